package dev.policywatch.es;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

/**
 * The analysis base classes of Elasticsearch 9, behind the constructors the shared code (src/main/java) calls;
 * Elasticsearch 9 takes only the name (src/es8/java has the same classes for Elasticsearch 8).
 */
final class VersionedAnalysis {
    private VersionedAnalysis() {}

    abstract static class AnalyzerProviderBase<T extends Analyzer> extends AbstractIndexAnalyzerProvider<T> {
        AnalyzerProviderBase(String name, Settings settings) {
            super(name);
        }
    }

    abstract static class TokenFilterBase extends AbstractTokenFilterFactory {
        TokenFilterBase(String name, Settings settings) {
            super(name);
        }
    }

    abstract static class TokenizerBase extends AbstractTokenizerFactory {
        TokenizerBase(IndexSettings indexSettings, Settings settings, String name) {
            super(name);
        }
    }
}
