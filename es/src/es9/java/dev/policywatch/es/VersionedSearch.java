package dev.policywatch.es;

import org.elasticsearch.search.SearchHits;

/** What the shared code reads off a search and spells differently per version (src/es8/java has Elasticsearch 8's). */
final class VersionedSearch {
    private VersionedSearch() {}

    /** The number of hits a search matched (Lucene 10: TotalHits is a record, value() its accessor). */
    static long totalHits(SearchHits hits) {
        return hits.getTotalHits() == null ? 0 : hits.getTotalHits().value();
    }
}
