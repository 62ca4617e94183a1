package dev.policywatch.es;

import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.reindex.DeleteByQueryAction;
import org.elasticsearch.index.reindex.ReindexAction;
import org.elasticsearch.index.reindex.UpdateByQueryAction;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The actions and REST handlers of the module on Elasticsearch 9: GET /, _reindex, _update_by_query and
 * _delete_by_query (the shared src/byscroll/java, renamed to Elasticsearch 9's classes by es/pom.xml). Unlike
 * Elasticsearch 8 (src/es8/java): no GET /_data_stream, which PolicyWatch does not call.
 */
abstract class VersionedPlugin extends Plugin implements ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<ActionHandler> getActions() {
        return List.of(
            new ActionHandler(ReindexAction.INSTANCE, ByScrollTransportActions.Reindex.class),
            new ActionHandler(UpdateByQueryAction.INSTANCE, ByScrollTransportActions.UpdateByQuery.class),
            new ActionHandler(DeleteByQueryAction.INSTANCE, ByScrollTransportActions.DeleteByQuery.class)
        );
    }

    @Override
    public Collection<RestHandler> getRestHandlers(RestHandlersServices services, Supplier<DiscoveryNodes> nodesInCluster,
                                                   Predicate<NodeFeature> clusterSupportsFeature) {
        return List.of(
            new MainInfoRestHandler(() -> clusterService),
            new ByScrollRestHandlers.Reindex(clusterSupportsFeature),
            new ByScrollRestHandlers.UpdateByQuery(clusterSupportsFeature),
            new ByScrollRestHandlers.DeleteByQuery(clusterSupportsFeature)
        );
    }
}
