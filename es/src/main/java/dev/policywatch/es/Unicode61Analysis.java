package dev.policywatch.es;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

import java.io.IOException;
import java.text.Normalizer;

/**
 * The same words as SQLite FTS5's {@code unicode61 remove_diacritics 2} tokenizer, so that
 * PolicyWatch's two backends find the same articles for the same query.
 *
 * <ul>
 *   <li>{@code pw_unicode61} tokenizer: a token is a run of letters (L*), numbers (N*),
 *       private-use characters (Co) and non-spacing marks (Mn); everything else separates.
 *       "15.1" gives 15 and 1, "Durov's" gives Durov and s (Elasticsearch's standard tokenizer
 *       keeps both whole).</li>
 *   <li>{@code pw_remove_diacritics} filter: drops non-spacing marks and replaces a character
 *       whose canonical decomposition is an ASCII letter plus marks by that letter
 *       ("é" → "e", "ǘ" → "u"), leaving everything else alone ("ø", "ß", "ά", "й"), which is
 *       what FTS5's remove_diacritics=2 does. {@code asciifolding} folds far more ("ß" → "ss").</li>
 * </ul>
 * Lower-casing and Porter stemming are the stock {@code lowercase} and {@code porter_stem} filters.
 *
 * <p>Legacy: since schema 5 the template builds the same words from stock parts only (a
 * {@code pattern} tokenizer, {@code mapping} and {@code pattern_replace} char filters; see
 * index/elastic/template.json and index/elastic/folding.py), so that it runs on any stock cluster.
 * These two names stay registered only because an index of schema 4 or older names them in its
 * settings and would not open without them; drop them once no such index can be left.
 */
final class Unicode61Analysis {
    private Unicode61Analysis() {}

    /** FTS5 has no token length limit; Lucene's default (255) would split long tokens. */
    static final int MAX_TOKEN_LENGTH = 1024;

    static final class Unicode61Tokenizer extends CharTokenizer {
        Unicode61Tokenizer() {
            super(DEFAULT_TOKEN_ATTRIBUTE_FACTORY, MAX_TOKEN_LENGTH);
        }

        @Override
        protected boolean isTokenChar(int c) {
            return isTokenCodePoint(c);
        }
    }

    static boolean isTokenCodePoint(int c) {
        switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
            case Character.PRIVATE_USE:
            case Character.NON_SPACING_MARK:
                return true;
            default:
                return false;
        }
    }

    static final class RemoveDiacriticsFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final StringBuilder out = new StringBuilder();

        RemoveDiacriticsFilter(TokenStream input) {
            super(input);
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            char[] buffer = term.buffer();
            int length = term.length();
            boolean ascii = true;
            for (int i = 0; i < length; i++) {
                if (buffer[i] >= 0x80) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                return true;
            }
            out.setLength(0);
            for (int i = 0; i < length; ) {
                int c = Character.codePointAt(buffer, i, length);
                i += Character.charCount(c);
                if (Character.getType(c) == Character.NON_SPACING_MARK) {
                    continue;
                }
                out.appendCodePoint(fold(c));
            }
            term.setEmpty().append(out);
            return true;
        }

        /** An ASCII letter when {@code c} decomposes canonically into one plus marks; else {@code c}. */
        static int fold(int c) {
            if (c < 0x80) {
                return c;
            }
            String decomposed = Normalizer.normalize(new String(Character.toChars(c)), Normalizer.Form.NFD);
            char base = decomposed.charAt(0);
            if (decomposed.length() < 2 || base >= 0x80 || !Character.isLetter(base)) {
                return c;
            }
            for (int i = 1; i < decomposed.length(); i++) {
                if (Character.getType(decomposed.charAt(i)) != Character.NON_SPACING_MARK) {
                    return c;
                }
            }
            return base;
        }
    }
}
