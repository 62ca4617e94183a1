package org.elasticsearch.io.ansi;

import java.util.function.Supplier;

/**
 * Elasticsearch 9 loads this class by name from lib/tools/ansi-console/ to print start-up errors in colour on a
 * terminal. Elastic's own (with the jansi library) ships only inside the distribution zips; ours says "no console",
 * which the server accepts: our node always runs in the background and writes its errors to its log.
 */
public final class AnsiConsoleLoader implements Supplier<Object> {
    @Override
    public Object get() {
        return null;
    }
}
