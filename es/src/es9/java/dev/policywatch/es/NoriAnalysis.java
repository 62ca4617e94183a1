package dev.policywatch.es;

import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;

import java.util.List;

/**
 * No Korean (nori) analysis on the Elasticsearch 9 node: org.apache.lucene:lucene-analysis-nori is not on Maven
 * Central for its Lucene (10.x), so this node is the one without nori, where PolicyWatch indexes Korean as CJK
 * bigrams (PolicyWatchCompatPlugin.NORI is false here: no nori jar is in the module).
 */
final class NoriAnalysis {
    private NoriAnalysis() {}

    static List<PreBuiltAnalyzerProviderFactory> preBuiltAnalyzers() {
        return List.of();
    }

    static List<PreConfiguredTokenizer> preConfiguredTokenizers() {
        return List.of();
    }

    static List<PreConfiguredTokenFilter> preConfiguredTokenFilters() {
        return List.of();
    }
}
