package dev.policywatch.es;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.client.internal.ParentTaskAssigningClient;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.index.VersionType;
import org.elasticsearch.index.reindex.AbstractBulkByScrollRequest;
import org.elasticsearch.index.reindex.BulkByScrollResponse;
import org.elasticsearch.index.reindex.BulkByScrollTask;
import org.elasticsearch.index.reindex.DeleteByQueryAction;
import org.elasticsearch.index.reindex.DeleteByQueryRequest;
import org.elasticsearch.index.reindex.ReindexAction;
import org.elasticsearch.index.reindex.ReindexRequest;
import org.elasticsearch.index.reindex.UpdateByQueryAction;
import org.elasticsearch.index.reindex.UpdateByQueryRequest;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;

import java.util.Arrays;

/**
 * Transport actions for _reindex, _update_by_query and _delete_by_query (registered under Elasticsearch's own action
 * names). Shared by both versions, like {@link BulkByScrollWorker}.
 */
public final class ByScrollTransportActions {
    private ByScrollTransportActions() {}

    static final String UNSUPPORTED = " is not supported on this node (PolicyWatch's Maven-Central Elasticsearch has no "
        + "lang-painless / reindex module; see scripts/es-start)";

    public abstract static class Base<R extends AbstractBulkByScrollRequest<R>> extends HandledTransportAction<R, BulkByScrollResponse> {
        final Client client;
        final ClusterService clusterService;
        final ThreadPool threadPool;

        Base(String name, TransportService ts, ActionFilters af, org.elasticsearch.common.io.stream.Writeable.Reader<R> reader,
             Client client, ClusterService clusterService, ThreadPool threadPool) {
            super(name, ts, af, reader, EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.client = client;
            this.clusterService = clusterService;
            this.threadPool = threadPool;
        }

        abstract void check(R request);

        abstract BulkByScrollWorker<R> worker(BulkByScrollTask task, R request, Client client, ActionListener<BulkByScrollResponse> l);

        @Override
        protected void doExecute(Task task, R request, ActionListener<BulkByScrollResponse> listener) {
            try {
                check(request);
                if (request.getSlices() > 1) {
                    throw new IllegalArgumentException("[slices] > 1" + UNSUPPORTED + "; use slices=1 or auto");
                }
                BulkByScrollTask bt = (BulkByScrollTask) task;
                Client c = new ParentTaskAssigningClient(client, clusterService.localNode(), task);
                worker(bt, request, c, listener).start();
            } catch (Exception e) {
                listener.onFailure(e);
            }
        }
    }

    public static final class Reindex extends Base<ReindexRequest> {
        @Inject
        public Reindex(TransportService ts, ActionFilters af, Client client, ClusterService cs, ThreadPool tp) {
            super(ReindexAction.NAME, ts, af, ReindexRequest::new, client, cs, tp);
        }

        @Override
        void check(ReindexRequest request) {
            if (request.getScript() != null) {
                throw new IllegalArgumentException("[script]" + UNSUPPORTED);
            }
            if (request.getRemoteInfo() != null) {
                throw new IllegalArgumentException("reindex from [remote]" + UNSUPPORTED);
            }
            String dest = request.getDestination().index();
            if (Arrays.asList(request.getSearchRequest().indices()).contains(dest)) {
                throw new IllegalArgumentException("reindex cannot write into an index its reading from [" + dest + "]");
            }
        }

        @Override
        BulkByScrollWorker<ReindexRequest> worker(BulkByScrollTask task, ReindexRequest request, Client c,
                                                  ActionListener<BulkByScrollResponse> l) {
            IndexRequest dest = request.getDestination();
            boolean copyVersion = dest.versionType() != VersionType.INTERNAL;
            return new BulkByScrollWorker<>(task, request, c, threadPool, l) {
                @Override
                protected void prepareSearch(SearchSourceBuilder source) {
                    if (copyVersion) {
                        source.version(true);
                    }
                }

                @Override
                protected DocWriteRequest<?> buildRequest(Hit hit) {
                    IndexRequest ir = new IndexRequest(dest.index());
                    ir.id(hit.id());
                    ir.source(hit.source(), hit.sourceType());
                    ir.opType(dest.opType());
                    ir.versionType(dest.versionType());
                    if (copyVersion) {
                        ir.version(hit.version());
                    }
                    String routing = dest.routing();
                    if (routing == null || "keep".equals(routing)) {
                        ir.routing(hit.routing());
                    } else if (routing.startsWith("=")) {
                        ir.routing(routing.substring(1));
                    } // "discard": no routing
                    if (dest.getPipeline() != null) {
                        ir.setPipeline(dest.getPipeline());
                    }
                    ir.setRequireAlias(dest.isRequireAlias());
                    return ir;
                }

                @Override
                protected String[] indicesToRefresh() {
                    return new String[] { dest.index() };
                }
            };
        }
    }

    public static final class UpdateByQuery extends Base<UpdateByQueryRequest> {
        @Inject
        public UpdateByQuery(TransportService ts, ActionFilters af, Client client, ClusterService cs, ThreadPool tp) {
            super(UpdateByQueryAction.NAME, ts, af, UpdateByQueryRequest::new, client, cs, tp);
        }

        @Override
        void check(UpdateByQueryRequest request) {
            if (request.getScript() != null) {
                throw new IllegalArgumentException("[script]" + UNSUPPORTED);
            }
        }

        @Override
        BulkByScrollWorker<UpdateByQueryRequest> worker(BulkByScrollTask task, UpdateByQueryRequest request, Client c,
                                                        ActionListener<BulkByScrollResponse> l) {
            return new BulkByScrollWorker<>(task, request, c, threadPool, l) {
                @Override
                protected void prepareSearch(SearchSourceBuilder source) {
                    source.seqNoAndPrimaryTerm(true);
                }

                @Override
                protected DocWriteRequest<?> buildRequest(Hit hit) {
                    IndexRequest ir = new IndexRequest(hit.index());
                    ir.id(hit.id());
                    ir.source(hit.source(), hit.sourceType());
                    ir.setIfSeqNo(hit.seqNo());
                    ir.setIfPrimaryTerm(hit.primaryTerm());
                    ir.routing(hit.routing());
                    if (request.getPipeline() != null) {
                        ir.setPipeline(request.getPipeline());
                    }
                    return ir;
                }

                @Override
                protected String[] indicesToRefresh() {
                    return request.indices();
                }
            };
        }
    }

    public static final class DeleteByQuery extends Base<DeleteByQueryRequest> {
        @Inject
        public DeleteByQuery(TransportService ts, ActionFilters af, Client client, ClusterService cs, ThreadPool tp) {
            super(DeleteByQueryAction.NAME, ts, af, DeleteByQueryRequest::new, client, cs, tp);
        }

        @Override
        void check(DeleteByQueryRequest request) {}

        @Override
        BulkByScrollWorker<DeleteByQueryRequest> worker(BulkByScrollTask task, DeleteByQueryRequest request, Client c,
                                                        ActionListener<BulkByScrollResponse> l) {
            return new BulkByScrollWorker<>(task, request, c, threadPool, l) {
                @Override
                protected void prepareSearch(SearchSourceBuilder source) {
                    source.seqNoAndPrimaryTerm(true);
                    source.fetchSource(false);
                }

                @Override
                protected boolean needsSource() {
                    return false;
                }

                @Override
                protected DocWriteRequest<?> buildRequest(Hit hit) {
                    DeleteRequest dr = new DeleteRequest(hit.index(), hit.id());
                    dr.setIfSeqNo(hit.seqNo());
                    dr.setIfPrimaryTerm(hit.primaryTerm());
                    dr.routing(hit.routing());
                    return dr;
                }

                @Override
                protected String[] indicesToRefresh() {
                    return request.indices();
                }
            };
        }
    }
}
