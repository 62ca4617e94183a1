package dev.policywatch.es;

import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The REST handlers of the module on Elasticsearch 9: GET / only. Elasticsearch 9 renamed the by-scroll classes
 * our _reindex / _update_by_query / _delete_by_query build on (src/es8/java), so this node does not have them yet:
 * `policywatch reindex` needs a stock cluster or the Elasticsearch 8 node.
 */
abstract class VersionedPlugin extends Plugin implements ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(RestHandlersServices services, Supplier<DiscoveryNodes> nodesInCluster,
                                                   Predicate<NodeFeature> clusterSupportsFeature) {
        return List.of(new MainInfoRestHandler(() -> clusterService));
    }
}
