package dev.policywatch.es;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.reindex.DeleteByQueryAction;
import org.elasticsearch.index.reindex.ReindexAction;
import org.elasticsearch.index.reindex.UpdateByQueryAction;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The actions and REST handlers of the module on Elasticsearch 8: GET /, GET /_data_stream, _reindex,
 * _update_by_query and _delete_by_query (src/es9/java has the Elasticsearch 9 counterpart).
 */
abstract class VersionedPlugin extends Plugin implements ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
        return List.of(
            new ActionHandler<>(ReindexAction.INSTANCE, ByScrollTransportActions.Reindex.class),
            new ActionHandler<>(UpdateByQueryAction.INSTANCE, ByScrollTransportActions.UpdateByQuery.class),
            new ActionHandler<>(DeleteByQueryAction.INSTANCE, ByScrollTransportActions.DeleteByQuery.class)
        );
    }

    @Override
    public Collection<RestHandler> getRestHandlers(Settings settings, NamedWriteableRegistry namedWriteableRegistry,
                                                   RestController restController, ClusterSettings clusterSettings,
                                                   IndexScopedSettings indexScopedSettings, SettingsFilter settingsFilter,
                                                   IndexNameExpressionResolver indexNameExpressionResolver,
                                                   Supplier<DiscoveryNodes> nodesInCluster,
                                                   Predicate<NodeFeature> clusterSupportsFeature) {
        return List.of(
            new MainInfoRestHandler(() -> clusterService),
            new DataStreamsRestHandler(() -> clusterService),
            new ByScrollRestHandlers.Reindex(clusterSupportsFeature),
            new ByScrollRestHandlers.UpdateByQuery(clusterSupportsFeature),
            new ByScrollRestHandlers.DeleteByQuery(clusterSupportsFeature)
        );
    }
}
