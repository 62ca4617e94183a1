package dev.policywatch.es;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.lucene.analysis.miscellaneous.DisableGraphAttribute;
import org.elasticsearch.plugins.AnalysisPlugin;

import java.io.Reader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The analysis-common parts that PolicyWatch's index template (index/elastic/template.json) is
 * built from, under their stock names and with their stock settings, so that the one template
 * serves this node and any stock Elasticsearch or OpenSearch cluster:
 *
 * <ul>
 *   <li>{@code pattern} tokenizer: {@code pattern} (default {@code \W+}), {@code flags}
 *       (Java regex flag names joined by |), {@code group} (-1: split on the pattern; 0 or more:
 *       the matches, or that group of them, are the tokens).</li>
 *   <li>{@code pattern_replace} char filter: {@code pattern} (required), {@code flags},
 *       {@code replacement} (default "").</li>
 *   <li>{@code mapping} char filter: {@code mappings} (a list of "from => to" rules) or
 *       {@code mappings_path}; escapes \\ \n \t \r \b \f and \\uXXXX.</li>
 *   <li>{@code truncate} filter: {@code length} (required; pre-configured: 10).</li>
 *   <li>{@code cjk_width} filter (no settings) and {@code cjk_bigram} filter:
 *       {@code ignored_scripts} (han, hiragana, katakana, hangul), {@code output_unigrams}.</li>
 * </ul>
 * Each is a thin wrapper around the Lucene class a stock node uses (lucene-analysis-common is on
 * the server's classpath). Those that are useless without settings are registered with
 * {@link AnalysisPlugin#requiresAnalysisSettings}, as a stock node does, so naming one bare in
 * an analyzer fails here as it would there.
 */
final class StockAnalysis {
    private StockAnalysis() {}

    static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
        return Map.of("pattern", PatternTokenizerFactory::new);
    }

    static Map<String, AnalysisProvider<CharFilterFactory>> charFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("mapping", AnalysisPlugin.requiresAnalysisSettings(MappingFactory::new));
        m.put("pattern_replace", AnalysisPlugin.requiresAnalysisSettings(PatternReplaceFactory::new));
        return m;
    }

    static Map<String, AnalysisProvider<TokenFilterFactory>> tokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("truncate", AnalysisPlugin.requiresAnalysisSettings(TruncateFactory::new));
        m.put("cjk_width", CjkWidthFactory::new);
        m.put("cjk_bigram", CjkBigramFactory::new);
        return m;
    }

    static List<PreConfiguredTokenizer> preConfiguredTokenizers() {
        return List.of(PreConfiguredTokenizer.singleton("pattern", () -> new PatternTokenizer(Regex.compile("\\W+", null), -1)));
    }

    static List<PreConfiguredTokenFilter> preConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("truncate", false, ts -> new TruncateTokenFilter(ts, 10)),
            PreConfiguredTokenFilter.singleton("cjk_width", true, CJKWidthFilter::new),
            PreConfiguredTokenFilter.singleton("cjk_bigram", false, CJKBigramFilter::new)
        );
    }

    // ---------------------------------------------------------------- tokenizer

    static final class PatternTokenizerFactory extends VersionedAnalysis.TokenizerBase {
        private final Pattern pattern;
        private final int group;

        PatternTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            pattern = Regex.compile(settings.get("pattern", "\\W+"), settings.get("flags"));
            group = settings.getAsInt("group", -1);
        }

        @Override
        public Tokenizer create() {
            return new PatternTokenizer(pattern, group);
        }
    }

    // ---------------------------------------------------------------- char filters

    static final class PatternReplaceFactory extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {
        private final Pattern pattern;
        private final String replacement;

        PatternReplaceFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            String source = settings.get("pattern");
            if (source == null || source.isEmpty()) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] char filter of type 'pattern_replace'");
            }
            pattern = Regex.compile(source, settings.get("flags"));
            replacement = settings.get("replacement", "");
        }

        @Override
        public Reader create(Reader reader) {
            return new PatternReplaceCharFilter(pattern, replacement, reader);
        }
    }

    static final class MappingFactory extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {
        private final NormalizeCharMap map;

        MappingFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            List<String> rules = Analysis.getWordList(env, settings, "mappings");
            if (rules == null) {
                throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
            }
            NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
            for (String rule : rules) {
                int arrow = rule.indexOf("=>");
                if (arrow < 0) {
                    throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
                }
                builder.add(unescape(rule.substring(0, arrow).trim(), rule), unescape(rule.substring(arrow + 2).trim(), rule));
            }
            map = builder.build();
        }

        /** The stock rule syntax's escapes: \\ \n \t \r \b \f, \\uXXXX; any other escaped character stands for itself. */
        static String unescape(String text, String rule) {
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (++i >= text.length()) {
                    throw new IllegalArgumentException("Invalid escaped char in [" + rule + "]");
                }
                c = text.charAt(i);
                switch (c) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 >= text.length()) {
                            throw new IllegalArgumentException("Invalid escaped char in [" + rule + "]");
                        }
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(c);
                }
            }
            return out.toString();
        }

        @Override
        public Reader create(Reader reader) {
            return new MappingCharFilter(map, reader);
        }
    }

    // ---------------------------------------------------------------- token filters

    static final class TruncateFactory extends VersionedAnalysis.TokenFilterBase {
        private final int length;

        TruncateFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            length = settings.getAsInt("length", -1);
            if (length <= 0) {
                throw new IllegalArgumentException("length parameter must be provided");
            }
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new TruncateTokenFilter(tokenStream, length);
        }
    }

    static final class CjkWidthFactory extends VersionedAnalysis.TokenFilterBase implements NormalizingTokenFilterFactory {
        CjkWidthFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new CJKWidthFilter(tokenStream);
        }
    }

    static final class CjkBigramFactory extends VersionedAnalysis.TokenFilterBase {
        private final int flags;
        private final boolean outputUnigrams;

        CjkBigramFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            outputUnigrams = settings.getAsBoolean("output_unigrams", false);
            List<String> ignored = settings.getAsList("ignored_scripts");
            int f = 0;
            for (Map.Entry<String, Integer> script : Map.of("han", CJKBigramFilter.HAN, "hiragana", CJKBigramFilter.HIRAGANA,
                "katakana", CJKBigramFilter.KATAKANA, "hangul", CJKBigramFilter.HANGUL).entrySet()) {
                if (ignored.contains(script.getKey()) == false) {
                    f |= script.getValue();
                }
            }
            flags = f;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            CJKBigramFilter filter = new CJKBigramFilter(tokenStream, flags, outputUnigrams);
            if (outputUnigrams) {
                // unigrams and bigrams at overlapping positions are no graph a query can follow
                filter.addAttribute(DisableGraphAttribute.class);
            }
            return filter;
        }
    }
}
