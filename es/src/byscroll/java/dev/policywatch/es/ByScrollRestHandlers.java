package dev.policywatch.es;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.support.ActiveShardCount;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.reindex.AbstractBulkByScrollRequest;
import org.elasticsearch.index.reindex.BulkByScrollResponse;
import org.elasticsearch.index.reindex.BulkByScrollTask;
import org.elasticsearch.index.reindex.DeleteByQueryAction;
import org.elasticsearch.index.reindex.DeleteByQueryRequest;
import org.elasticsearch.index.reindex.ReindexAction;
import org.elasticsearch.index.reindex.ReindexRequest;
import org.elasticsearch.index.reindex.ScrollableHitSource.SearchFailure;
import org.elasticsearch.index.reindex.UpdateByQueryAction;
import org.elasticsearch.index.reindex.UpdateByQueryRequest;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.rest.action.search.RestSearchAction;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentType;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.elasticsearch.rest.RestRequest.Method.POST;

/**
 * REST layer of the reindex module's APIs (_reindex, _update_by_query, _delete_by_query), with Elasticsearch's URL
 * parameters and response format. Shared by both versions: written with Elasticsearch 8's class names, which the
 * Elasticsearch 9 build renames (es/pom.xml, profile es9).
 */
final class ByScrollRestHandlers {
    private static final Logger logger = LogManager.getLogger(ByScrollRestHandlers.class);

    private ByScrollRestHandlers() {}

    abstract static class ByScroll<R extends AbstractBulkByScrollRequest<R>> extends BaseRestHandler {
        final ActionType<BulkByScrollResponse> action;
        final Predicate<NodeFeature> clusterSupportsFeature;

        ByScroll(ActionType<BulkByScrollResponse> action, Predicate<NodeFeature> clusterSupportsFeature) {
            this.action = action;
            this.clusterSupportsFeature = clusterSupportsFeature;
        }

        abstract R parse(RestRequest request) throws IOException;

        boolean includeCreated() {
            return true;
        }

        boolean includeUpdated() {
            return true;
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
            R internal = parse(request);
            internal.setRefresh(request.paramAsBoolean("refresh", internal.isRefresh()));
            internal.setTimeout(request.paramAsTime("timeout", internal.getTimeout()));
            String activeShards = request.param("wait_for_active_shards");
            if (activeShards != null) {
                internal.setWaitForActiveShards(ActiveShardCount.parseString(activeShards));
            }
            String rps = request.param("requests_per_second");
            if (rps != null) {
                float f;
                if ("-1".equals(rps) || "unlimited".equals(rps)) {
                    f = Float.POSITIVE_INFINITY;
                } else {
                    f = Float.parseFloat(rps);
                    if (f <= 0) {
                        throw new IllegalArgumentException("[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.");
                    }
                }
                internal.setRequestsPerSecond(f);
            }
            String slices = request.param("slices");
            if (slices != null) {
                internal.setSlices("auto".equals(slices) ? AbstractBulkByScrollRequest.AUTO_SLICES : Integer.parseInt(slices));
            }
            if (request.hasParam("max_docs")) {
                internal.setMaxDocs(request.paramAsInt("max_docs", -1));
            }
            if (request.hasParam("scroll")) {
                internal.setScroll(TimeValue.parseTimeValue(request.param("scroll"), "scroll"));
            }
            boolean waitForCompletion = request.paramAsBoolean("wait_for_completion", true);
            ActionRequestValidationException invalid = internal.validate();
            if (invalid != null) {
                throw invalid;
            }
            if (waitForCompletion) {
                Map<String, String> params = new HashMap<>();
                params.put(BulkByScrollTask.Status.INCLUDE_CREATED, Boolean.toString(includeCreated()));
                params.put(BulkByScrollTask.Status.INCLUDE_UPDATED, Boolean.toString(includeUpdated()));
                return channel -> client.executeLocally(action, internal, new RestBuilderListener<BulkByScrollResponse>(channel) {
                    @Override
                    public RestResponse buildResponse(BulkByScrollResponse response, XContentBuilder builder) throws Exception {
                        builder.startObject();
                        response.toXContent(builder, new ToXContent.DelegatingMapParams(params, channel.request()));
                        builder.endObject();
                        return new RestResponse(status(response), builder);
                    }
                });
            }
            // like Elasticsearch: start it as a task whose result is stored in .tasks, answer {"task": "node:id"}
            internal.setShouldStoreResult(true);
            Task task = client.executeLocally(action, internal, ActionListener.wrap(
                r -> {}, e -> logger.warn("background " + action.name() + " failed", e)));
            String taskId = client.getLocalNodeId() + ":" + task.getId();
            return channel -> {
                XContentBuilder b = channel.newBuilder();
                b.startObject().field("task", taskId).endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, b));
            };
        }

        static RestStatus status(BulkByScrollResponse response) {
            RestStatus status = response.isTimedOut() ? RestStatus.REQUEST_TIMEOUT : RestStatus.OK;
            for (var f : response.getBulkFailures()) {
                if (f.getStatus().getStatus() > status.getStatus()) {
                    status = f.getStatus();
                }
            }
            for (SearchFailure f : response.getSearchFailures()) {
                if (f.getStatus().getStatus() > status.getStatus()) {
                    status = f.getStatus();
                }
            }
            return status;
        }

        /** The body of _update_by_query / _delete_by_query: a search body plus conflicts / max_docs. */
        void parseByQuery(RestRequest request, AbstractBulkByScrollRequest<?> internal, boolean isUpdate) throws IOException {
            XContentParser searchParser = null;
            Map<String, Object> body = null;
            if (request.hasContentOrSourceParam()) {
                try (XContentParser p = request.contentOrSourceParamParser()) {
                    body = p.map();
                }
                Object conflicts = body.remove("conflicts");
                if (conflicts != null) {
                    internal.setConflicts(conflicts.toString());
                }
                Object maxDocs = body.remove("max_docs");
                if (maxDocs != null) {
                    internal.setMaxDocs(Integer.parseInt(maxDocs.toString()));
                }
                if (isUpdate && body.remove("script") != null) {
                    throw new IllegalArgumentException("[script]" + ByScrollTransportActions.UNSUPPORTED);
                }
                XContentBuilder rebuilt = XContentFactory.jsonBuilder().map(body);
                searchParser = XContentType.JSON.xContent()
                    .createParser(request.contentParserConfig(), BytesReference.bytes(rebuilt).streamInput());
            }
            try {
                RestSearchAction.parseSearchRequest(internal.getSearchRequest(), request, searchParser, clusterSupportsFeature,
                    size -> internal.setMaxDocs(size));
            } finally {
                if (searchParser != null) {
                    searchParser.close();
                }
            }
            if (request.hasParam("conflicts")) {
                internal.setConflicts(request.param("conflicts"));
            }
            int scrollSize = request.paramAsInt("scroll_size", -1);
            if (scrollSize > 0) {
                internal.getSearchRequest().source().size(scrollSize);
            }
        }
    }

    static final class Reindex extends ByScroll<ReindexRequest> {
        Reindex(Predicate<NodeFeature> f) {
            super(ReindexAction.INSTANCE, f);
        }

        @Override
        public String getName() {
            return "reindex_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(POST, "/_reindex"));
        }

        @Override
        ReindexRequest parse(RestRequest request) throws IOException {
            if (request.hasParam("pipeline")) {
                throw new IllegalArgumentException(
                    "_reindex doesn't support [pipeline] as a query parameter. Specify it in the [dest] object instead.");
            }
            ReindexRequest internal;
            try (XContentParser parser = request.contentParser()) {
                internal = ReindexRequest.fromXContent(parser, clusterSupportsFeature);
            }
            if (request.hasParam(DocWriteRequest.REQUIRE_ALIAS)) {
                internal.setRequireAlias(request.paramAsBoolean(DocWriteRequest.REQUIRE_ALIAS, false));
            }
            return internal;
        }
    }

    static final class UpdateByQuery extends ByScroll<UpdateByQueryRequest> {
        UpdateByQuery(Predicate<NodeFeature> f) {
            super(UpdateByQueryAction.INSTANCE, f);
        }

        @Override
        public String getName() {
            return "update_by_query_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(POST, "/{index}/_update_by_query"));
        }

        @Override
        UpdateByQueryRequest parse(RestRequest request) throws IOException {
            UpdateByQueryRequest internal = new UpdateByQueryRequest(Strings.splitStringByCommaToArray(request.param("index")));
            parseByQuery(request, internal, true);
            if (request.hasParam("pipeline")) {
                internal.setPipeline(request.param("pipeline"));
            }
            return internal;
        }
    }

    static final class DeleteByQuery extends ByScroll<DeleteByQueryRequest> {
        DeleteByQuery(Predicate<NodeFeature> f) {
            super(DeleteByQueryAction.INSTANCE, f);
        }

        @Override
        public String getName() {
            return "delete_by_query_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(POST, "/{index}/_delete_by_query"));
        }

        @Override
        boolean includeCreated() {
            return false;
        }

        @Override
        boolean includeUpdated() {
            return false;
        }

        @Override
        DeleteByQueryRequest parse(RestRequest request) throws IOException {
            DeleteByQueryRequest internal = new DeleteByQueryRequest(Strings.splitStringByCommaToArray(request.param("index")));
            parseByQuery(request, internal, false);
            return internal;
        }
    }
}
