package dev.policywatch.es;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;

import java.util.List;
import java.util.Map;

/**
 * PolicyWatch's module for the Elasticsearch node built from Maven Central (see es/pom.xml).
 * Elastic publishes the server and a minimal distribution there, but not the analysis-common,
 * reindex and rest-root modules; this module provides the parts of them PolicyWatch relies on.
 */
public class PolicyWatchCompatPlugin extends VersionedPlugin implements AnalysisPlugin {
    /** Whether lucene-analysis-nori was copied into this module (it is unless built with -Dpw.nori=false); checked
     *  here, before NoriAnalysis (whose code refers to nori's classes) is loaded. */
    static final boolean NORI = present("org.apache.lucene.analysis.ko.KoreanTokenizer");

    private static boolean present(String className) {
        try {
            Class.forName(className, false, PolicyWatchCompatPlugin.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
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

    /** The analysis pieces of one source followed by those of another. */
    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
