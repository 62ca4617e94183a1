package dev.policywatch.es;

import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanReadingFormFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;

import java.util.List;

/**
 * Korean analysis, as Elasticsearch's analysis-nori plugin names it: the {@code nori} analyzer,
 * the {@code nori_tokenizer} (compounds decomposed and the compound discarded, nori's default),
 * and the {@code nori_part_of_speech} (nori's default stop tags: particles, endings, symbols) and
 * {@code nori_readingform} (Hanja to Hangul) filters. The Lucene classes come from
 * org.apache.lucene:lucene-analysis-nori, the same version as the node's Lucene (es/pom.xml copies
 * the jar into this module). Only the default settings are offered, which is all PolicyWatch uses.
 * A module built with {@code -Dpw.nori=false} has no nori jar and registers none of them: a node
 * like a stock cluster without the analysis-nori plugin, where PolicyWatch falls back to CJK bigrams
 * (PolicyWatchCompatPlugin checks for the jar before it touches this class).
 */
final class NoriAnalysis {
    private NoriAnalysis() {}

    static List<PreBuiltAnalyzerProviderFactory> preBuiltAnalyzers() {
        return List.of(new PreBuiltAnalyzerProviderFactory("nori", CachingStrategy.LUCENE, KoreanAnalyzer::new));
    }

    static List<PreConfiguredTokenizer> preConfiguredTokenizers() {
        return List.of(PreConfiguredTokenizer.singleton("nori_tokenizer", KoreanTokenizer::new));
    }

    static List<PreConfiguredTokenFilter> preConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("nori_part_of_speech", false, KoreanPartOfSpeechStopFilter::new),
            PreConfiguredTokenFilter.singleton("nori_readingform", false, KoreanReadingFormFilter::new)
        );
    }
}
