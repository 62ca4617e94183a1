package dev.policywatch.es;

import org.elasticsearch.search.SearchHits;

/** What the shared code reads off a search and spells differently per version (src/es9/java has Elasticsearch 9's). */
final class VersionedSearch {
    private VersionedSearch() {}

    /** The number of hits a search matched (Lucene 9: TotalHits.value is a field). */
    static long totalHits(SearchHits hits) {
        return hits.getTotalHits() == null ? 0 : hits.getTotalHits().value;
    }
}
