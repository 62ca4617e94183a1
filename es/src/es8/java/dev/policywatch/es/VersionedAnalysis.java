package dev.policywatch.es;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

/**
 * The analysis base classes of Elasticsearch 8, behind the constructors the shared code (src/main/java) calls.
 * Elasticsearch 9 dropped the settings arguments: src/es9/java has the same classes for it.
 */
final class VersionedAnalysis {
    private VersionedAnalysis() {}

    abstract static class AnalyzerProviderBase<T extends Analyzer> extends AbstractIndexAnalyzerProvider<T> {
        AnalyzerProviderBase(String name, Settings settings) {
            super(name, settings);
        }
    }

    abstract static class TokenFilterBase extends AbstractTokenFilterFactory {
        TokenFilterBase(String name, Settings settings) {
            super(name, settings);
        }
    }

    abstract static class TokenizerBase extends AbstractTokenizerFactory {
        TokenizerBase(IndexSettings indexSettings, Settings settings, String name) {
            super(indexSettings, settings, name);
        }
    }
}
