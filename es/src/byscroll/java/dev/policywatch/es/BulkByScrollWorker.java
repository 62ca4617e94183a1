package dev.policywatch.es;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.DocWriteResponse;
import org.elasticsearch.action.admin.indices.refresh.RefreshRequest;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.search.ClearScrollRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.search.SearchScrollRequest;
import org.elasticsearch.action.search.ShardSearchFailure;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.common.util.concurrent.AbstractRunnable;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.reindex.AbstractBulkByScrollRequest;
import org.elasticsearch.index.reindex.BulkByScrollResponse;
import org.elasticsearch.index.reindex.BulkByScrollTask;
import org.elasticsearch.index.reindex.ScrollableHitSource.SearchFailure;
import org.elasticsearch.index.reindex.WorkerBulkByScrollTaskState;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.xcontent.XContentType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scroll over the documents matched by a by-scroll request and write one bulk request per batch:
 * the same model as Elasticsearch's reindex module (scroll + bulk, task status through
 * {@link WorkerBulkByScrollTaskState}, throttling through requests_per_second, version conflicts
 * counted / aborting per {@code conflicts}, {@code max_docs}, {@code refresh}), in a compact form.
 * Not supported (rejected by the transport actions): scripts, remote sources, slices &gt; 1.
 * Shared by both versions (src/byscroll/java): written with Elasticsearch 8's class names, which the
 * Elasticsearch 9 build renames (es/pom.xml, profile es9).
 */
abstract class BulkByScrollWorker<R extends AbstractBulkByScrollRequest<R>> {
    private static final Logger logger = LogManager.getLogger(BulkByScrollWorker.class);

    /** The parts of a search hit the writers need, copied out of the (ref-counted) search response. */
    record Hit(String index, String id, String routing, long version, long seqNo, long primaryTerm, BytesReference source,
               XContentType sourceType) {}

    protected final BulkByScrollTask task;
    protected final R request;
    private final Client client;
    private final ThreadPool threadPool;
    private final ActionListener<BulkByScrollResponse> listener;
    private final WorkerBulkByScrollTaskState state;
    private final long startNanos = System.nanoTime();
    private final List<BulkItemResponse.Failure> bulkFailures = new ArrayList<>();
    private final List<SearchFailure> searchFailures = new ArrayList<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile String scrollId;
    private volatile boolean timedOut;
    private long sent;
    private boolean first = true;
    private long lastBatchStartNanos = System.nanoTime();
    private int lastBatchSize;

    BulkByScrollWorker(BulkByScrollTask task, R request, Client client, ThreadPool threadPool,
                       ActionListener<BulkByScrollResponse> listener) {
        this.task = task;
        this.request = request;
        this.client = client;
        this.threadPool = threadPool;
        this.listener = listener;
        task.setWorker(request.getRequestsPerSecond(), null);
        this.state = task.getWorkerState();
    }

    /** Adjust the scroll search (e.g. ask for versions or seq_no/primary_term). */
    protected abstract void prepareSearch(SearchSourceBuilder source);

    /** The write for one hit. */
    protected abstract DocWriteRequest<?> buildRequest(Hit hit);

    /** Indices to refresh at the end when {@code refresh=true}. */
    protected abstract String[] indicesToRefresh();

    /** Whether hits must carry their _source. */
    protected boolean needsSource() {
        return true;
    }

    final void start() {
        try {
            SearchRequest search = request.getSearchRequest();
            if (search.source() == null) {
                search.source(new SearchSourceBuilder());
            }
            search.scroll(request.getScrollTime());
            prepareSearch(search.source());
            client.search(search, ActionListener.wrap(this::onSearchResponse, this::fail));
        } catch (Exception e) {
            fail(e);
        }
    }

    private void onSearchResponse(SearchResponse response) {
        if (response.getScrollId() != null) {
            scrollId = response.getScrollId();
        }
        ShardSearchFailure[] shardFailures = response.getShardFailures();
        if (shardFailures != null && shardFailures.length > 0) {
            for (ShardSearchFailure f : shardFailures) {
                searchFailures.add(new SearchFailure(f.getCause(), f.index(), f.shardId(),
                    f.shard() == null ? null : f.shard().getNodeId(), f.status()));
            }
            finish();
            return;
        }
        if (response.isTimedOut()) {
            timedOut = true;
            finish();
            return;
        }
        int maxDocs = request.getMaxDocs();
        if (first) {
            first = false;
            long total = VersionedSearch.totalHits(response.getHits());
            state.setTotal(maxDocs == AbstractBulkByScrollRequest.MAX_DOCS_ALL_MATCHES ? total : Math.min(total, maxDocs));
        }
        SearchHit[] hits = response.getHits().getHits();
        int n = hits.length;
        if (maxDocs != AbstractBulkByScrollRequest.MAX_DOCS_ALL_MATCHES) {
            n = (int) Math.min(n, Math.max(0, maxDocs - sent));
        }
        if (n == 0 || task.isCancelled()) {
            finish();
            return;
        }
        List<Hit> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(copy(hits[i]));
        }
        sent += n;
        boolean last = maxDocs != AbstractBulkByScrollRequest.MAX_DOCS_ALL_MATCHES && sent >= maxDocs;
        // requests_per_second throttling, exactly as the reindex module does it
        state.delayPrepareBulkRequest(threadPool, lastBatchStartNanos, lastBatchSize, new AbstractRunnable() {
            @Override
            protected void doRun() {
                sendBulk(batch, last);
            }

            @Override
            public void onFailure(Exception e) {
                fail(e);
            }
        });
    }

    private Hit copy(SearchHit hit) {
        BytesReference source = null;
        XContentType type = null;
        if (hit.hasSource()) {
            BytesRef ref = hit.getSourceRef().toBytesRef();
            source = new BytesArray(Arrays.copyOfRange(ref.bytes, ref.offset, ref.offset + ref.length));
            type = XContentHelper.xContentType(source);
        } else if (needsSource()) {
            throw new IllegalArgumentException("[" + hit.getIndex() + "][" + hit.getId() + "] didn't store _source");
        }
        DocumentField routing = hit.field("_routing");
        return new Hit(hit.getIndex(), hit.getId(), routing == null ? null : routing.getValue().toString(), hit.getVersion(),
            hit.getSeqNo(), hit.getPrimaryTerm(), source, type);
    }

    private void sendBulk(List<Hit> batch, boolean last) {
        if (task.isCancelled()) {
            finish();
            return;
        }
        lastBatchStartNanos = System.nanoTime();
        lastBatchSize = batch.size();
        state.countBatch();
        BulkRequest bulk = new BulkRequest();
        bulk.timeout(request.getTimeout());
        bulk.waitForActiveShards(request.getWaitForActiveShards());
        for (Hit hit : batch) {
            DocWriteRequest<?> r = buildRequest(hit);
            if (r == null) {
                state.countNoop();
            } else {
                bulk.add(r);
            }
        }
        if (bulk.numberOfActions() == 0) {
            next(last);
            return;
        }
        client.bulk(bulk, ActionListener.wrap(r -> onBulkResponse(r, last), this::fail));
    }

    private void onBulkResponse(BulkResponse response, boolean last) {
        for (BulkItemResponse item : response.getItems()) {
            if (item.isFailed()) {
                BulkItemResponse.Failure failure = item.getFailure();
                if (failure.getStatus() == RestStatus.CONFLICT) {
                    state.countVersionConflict();
                    if (request.isAbortOnVersionConflict() == false) {
                        continue;
                    }
                }
                bulkFailures.add(failure);
                continue;
            }
            DocWriteResponse r = item.getResponse();
            switch (item.getOpType()) {
                case CREATE, INDEX -> {
                    if (r.getResult() == DocWriteResponse.Result.CREATED) {
                        state.countCreated();
                    } else {
                        state.countUpdated();
                    }
                }
                case UPDATE -> {
                    switch (r.getResult()) {
                        case CREATED -> state.countCreated();
                        case NOOP -> state.countNoop();
                        default -> state.countUpdated();
                    }
                }
                case DELETE -> state.countDeleted();
            }
        }
        if (bulkFailures.isEmpty() == false) {
            finish();
            return;
        }
        next(last);
    }

    private void next(boolean last) {
        if (last || task.isCancelled() || scrollId == null) {
            finish();
            return;
        }
        SearchScrollRequest scroll = new SearchScrollRequest(scrollId);
        scroll.scroll(request.getScrollTime());
        client.searchScroll(scroll, ActionListener.wrap(this::onSearchResponse, this::fail));
    }

    private void clearScroll() {
        String id = scrollId;
        if (id != null) {
            ClearScrollRequest clear = new ClearScrollRequest();
            clear.addScrollId(id);
            client.clearScroll(clear, ActionListener.wrap(r -> {}, e -> logger.debug("failed to clear scroll", e)));
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true) == false) {
            return;
        }
        clearScroll();
        Runnable respond = () -> listener.onResponse(new BulkByScrollResponse(
            TimeValue.timeValueNanos(System.nanoTime() - startNanos), task.getStatus(), bulkFailures, searchFailures, timedOut));
        String[] refresh = indicesToRefresh();
        if (request.isRefresh() && refresh.length > 0 && sent > 0) {
            client.admin().indices().refresh(new RefreshRequest(refresh), ActionListener.wrap(r -> respond.run(), listener::onFailure));
        } else {
            respond.run();
        }
    }

    private void fail(Exception e) {
        if (finished.compareAndSet(false, true) == false) {
            logger.warn("by-scroll request failed after it finished", e);
            return;
        }
        clearScroll();
        listener.onFailure(e);
    }
}
