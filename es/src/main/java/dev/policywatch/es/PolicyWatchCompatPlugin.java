package dev.policywatch.es;

import org.apache.lucene.analysis.Analyzer;
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
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.index.reindex.DeleteByQueryAction;
import org.elasticsearch.index.reindex.ReindexAction;
import org.elasticsearch.index.reindex.UpdateByQueryAction;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * PolicyWatch's module for the Elasticsearch node built from Maven Central (see es/pom.xml).
 * Elastic publishes the server and a minimal distribution there, but not the analysis-common,
 * reindex and rest-root modules; this module provides the parts of them PolicyWatch relies on.
 */
public class PolicyWatchCompatPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {
    /** Whether lucene-analysis-nori was copied into this module (it is unless built with -Dpw.nori=false); checked
     *  here, before NoriAnalysis (whose code refers to nori's classes) is loaded. */
    static final boolean NORI = present("org.apache.lucene.analysis.ko.KoreanTokenizer");

    private volatile ClusterService clusterService;

    private static boolean present(String className) {
        try {
            Class.forName(className, false, PolicyWatchCompatPlugin.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    // ---------------------------------------------------------------- analysis

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return CompatAnalysis.analyzers();
    }

    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        return concat(CompatAnalysis.preBuiltAnalyzers(), NORI ? NoriAnalysis.preBuiltAnalyzers() : List.of());
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> all = new java.util.TreeMap<>(CompatAnalysis.tokenFilters());
        all.putAll(StockAnalysis.tokenFilters());
        return all;
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return StockAnalysis.tokenizers();
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return StockAnalysis.charFilters();
    }

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return concat(concat(CompatAnalysis.preConfiguredTokenFilters(), StockAnalysis.preConfiguredTokenFilters()),
            NORI ? NoriAnalysis.preConfiguredTokenFilters() : List.of());
    }

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return concat(concat(CompatAnalysis.preConfiguredTokenizers(), StockAnalysis.preConfiguredTokenizers()),
            NORI ? NoriAnalysis.preConfiguredTokenizers() : List.of());
    }

    @Override
    public List<PreConfiguredCharFilter> getPreConfiguredCharFilters() {
        return CompatAnalysis.preConfiguredCharFilters();
    }

    // ---------------------------------------------------------------- actions / REST

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
            new CompatRestHandlers.MainInfo(() -> clusterService),
            new CompatRestHandlers.GetDataStreams(() -> clusterService),
            new CompatRestHandlers.Reindex(clusterSupportsFeature),
            new CompatRestHandlers.UpdateByQuery(clusterSupportsFeature),
            new CompatRestHandlers.DeleteByQuery(clusterSupportsFeature)
        );
    }

    /** The analysis pieces of one source followed by those of another. */
    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
