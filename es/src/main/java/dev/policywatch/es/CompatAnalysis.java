package dev.policywatch.es;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.tartarus.snowball.ext.EnglishStemmer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The analysis components PolicyWatch uses that Elasticsearch ships in its (not Maven-published)
 * analysis-common module. Each one is a thin wrapper around the Lucene class Elasticsearch itself
 * uses (lucene-analysis-common is already on the server's classpath), with the same names and
 * the same settings, so analysis output matches a stock Elasticsearch node.
 */
final class CompatAnalysis {
    private CompatAnalysis() {}

    // ---------------------------------------------------------------- analyzers

    static Map<String, AnalysisProvider<AnalyzerProvider<? extends org.apache.lucene.analysis.Analyzer>>> analyzers() {
        return Map.of("english", EnglishAnalyzerProvider::new);
    }

    static List<PreBuiltAnalyzerProviderFactory> preBuiltAnalyzers() {
        return List.of(new PreBuiltAnalyzerProviderFactory("english", CachingStrategy.LUCENE, EnglishAnalyzer::new));
    }

    /** Same as Elasticsearch's EnglishAnalyzerProvider: settings {@code stopwords}, {@code stopwords_path}, {@code stem_exclusion}. */
    static final class EnglishAnalyzerProvider extends VersionedAnalysis.AnalyzerProviderBase<EnglishAnalyzer> {
        private final EnglishAnalyzer analyzer;

        EnglishAnalyzerProvider(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            analyzer = new EnglishAnalyzer(
                Analysis.parseStopWords(env, settings, EnglishAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public EnglishAnalyzer get() {
            return analyzer;
        }
    }

    // ---------------------------------------------------------------- token filters

    static Map<String, AnalysisProvider<TokenFilterFactory>> tokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("asciifolding", AsciiFoldingFactory::new);
        m.put("porter_stem", (is, env, name, s) -> simple(name, s, PorterStemFilter::new));
        m.put("kstem", (is, env, name, s) -> simple(name, s, KStemFilter::new));
        m.put("stemmer", StemmerFactory::new);
        m.put("snowball", SnowballFactory::new);
        return m;
    }

    static List<PreConfiguredTokenFilter> preConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new),
            PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("kstem", false, KStemFilter::new),
            // Elasticsearch's pre-configured "stemmer" and "snowball" are English
            PreConfiguredTokenFilter.singleton("stemmer", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("snowball", false, ts -> new SnowballFilter(ts, "English")),
            // Legacy, PolicyWatch's own: FTS5's remove_diacritics=2 (see Unicode61Analysis). No template names it
            // since schema 5; kept only so that an index of schema 4 or older still opens until `policywatch reindex`.
            PreConfiguredTokenFilter.singleton("pw_remove_diacritics", true, Unicode61Analysis.RemoveDiacriticsFilter::new)
        );
    }

    private static TokenFilterFactory simple(String name, Settings settings, Function<TokenStream, TokenStream> f) {
        return new VersionedAnalysis.TokenFilterBase(name, settings) {
            @Override
            public TokenStream create(TokenStream tokenStream) {
                return f.apply(tokenStream);
            }
        };
    }

    /** {@code asciifolding} with {@code preserve_original}; usable in keyword normalizers. */
    static final class AsciiFoldingFactory extends VersionedAnalysis.TokenFilterBase implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFoldingFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new ASCIIFoldingFilter(tokenStream, preserveOriginal);
        }
    }

    /**
     * {@code stemmer} filter, English variants (as in Elasticsearch): english / porter -> Porter,
     * light_english / kstem -> KStem, porter2 -> Snowball English, minimal_english, possessive_english.
     * Other languages are rejected with a clear error rather than silently stemmed differently.
     */
    static final class StemmerFactory extends VersionedAnalysis.TokenFilterBase {
        private final Function<TokenStream, TokenStream> stemmer;

        StemmerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            String language = settings.get("language", settings.get("name", "porter")).toLowerCase(Locale.ROOT);
            stemmer = switch (language) {
                case "english", "porter" -> PorterStemFilter::new;
                case "light_english", "lightenglish", "kstem" -> KStemFilter::new;
                case "porter2" -> ts -> new SnowballFilter(ts, new EnglishStemmer());
                case "minimal_english", "minimalenglish" -> EnglishMinimalStemFilter::new;
                case "possessive_english", "possessiveenglish" -> EnglishPossessiveFilter::new;
                default -> throw new IllegalArgumentException(
                    "stemmer language [" + language + "] is not available on this node (policywatch-compat supports "
                        + "english, porter, light_english, kstem, porter2, minimal_english, possessive_english; "
                        + "use the [snowball] filter for other languages)"
                );
            };
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return stemmer.apply(tokenStream);
        }
    }

    /** {@code snowball} filter with {@code language} (default English), exactly like Elasticsearch's. */
    static final class SnowballFactory extends VersionedAnalysis.TokenFilterBase {
        private final String language;

        SnowballFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            language = settings.get("language", settings.get("name", "English"));
            new SnowballFilter(new KeywordTokenizer(), language); // fail fast on an unknown language
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new SnowballFilter(tokenStream, language);
        }
    }

    // ---------------------------------------------------------------- tokenizers, char filters

    static List<PreConfiguredTokenizer> preConfiguredTokenizers() {
        return List.of(
            PreConfiguredTokenizer.singleton("whitespace", WhitespaceTokenizer::new),
            PreConfiguredTokenizer.singleton("keyword", KeywordTokenizer::new),
            PreConfiguredTokenizer.singleton("letter", LetterTokenizer::new),
            // Legacy, PolicyWatch's own: the words of SQLite FTS5's unicode61 tokenizer (see Unicode61Analysis). Kept
            // only so that an index of schema 4 or older still opens until `policywatch reindex` moves it.
            PreConfiguredTokenizer.singleton("pw_unicode61", Unicode61Analysis.Unicode61Tokenizer::new)
        );
    }

    static List<PreConfiguredCharFilter> preConfiguredCharFilters() {
        return List.of(PreConfiguredCharFilter.singleton("html_strip", false, HTMLStripCharFilter::new));
    }
}
