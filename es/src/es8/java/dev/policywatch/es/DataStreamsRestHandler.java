package dev.policywatch.es;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

import java.util.List;
import java.util.function.Supplier;

import static org.elasticsearch.rest.RestRequest.Method.GET;

/**
 * Read-only view of the data streams in the cluster state. The server auto-creates data streams from
 * index templates, but the data-streams module (GET/PUT/DELETE _data_stream) is not on Maven Central.
 * Only GET is provided (e.g. elasticsearch.helpers.reindex() calls it); creating/deleting data streams
 * explicitly is not possible on this node.
 */
final class DataStreamsRestHandler extends BaseRestHandler {
    private final Supplier<ClusterService> clusterService;

    DataStreamsRestHandler(Supplier<ClusterService> clusterService) {
        this.clusterService = clusterService;
    }

    @Override
    public String getName() {
        return "policywatch_get_data_streams_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, "/_data_stream"), new Route(GET, "/_data_stream/{name}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String[] names = Strings.splitStringByCommaToArray(request.param("name", "*"));
        request.param("expand_wildcards");
        request.param("include_defaults");
        request.param("verbose");
        request.param("master_timeout");
        ClusterState state = clusterService.get().state();
        var metadata = state.metadata();
        var matched = new java.util.ArrayList<org.elasticsearch.cluster.metadata.DataStream>();
        for (var ds : metadata.dataStreams().values()) {
            for (String n : names) {
                if ("_all".equals(n) || org.elasticsearch.common.regex.Regex.simpleMatch(n, ds.getName())) {
                    matched.add(ds);
                    break;
                }
            }
        }
        for (String n : names) {
            if (org.elasticsearch.common.regex.Regex.isSimpleMatchPattern(n) == false && "_all".equals(n) == false
                && metadata.dataStreams().containsKey(n) == false) {
                throw new org.elasticsearch.index.IndexNotFoundException(n);
            }
        }
        matched.sort(java.util.Comparator.comparing(org.elasticsearch.cluster.metadata.DataStream::getName));
        return channel -> {
            XContentBuilder b = channel.newBuilder();
            b.startObject().startArray("data_streams");
            for (var ds : matched) {
                b.startObject();
                b.field("name", ds.getName());
                b.startObject("timestamp_field").field("name", "@timestamp").endObject();
                b.startArray("indices");
                for (var idx : ds.getIndices()) {
                    b.startObject().field("index_name", idx.getName()).field("index_uuid", idx.getUUID()).endObject();
                }
                b.endArray();
                b.field("generation", ds.getGeneration());
                if (ds.getMetadata() != null) {
                    b.field("_meta", ds.getMetadata());
                }
                String template = org.elasticsearch.cluster.metadata.MetadataIndexTemplateService.findV2Template(
                    metadata, ds.getName(), ds.isHidden());
                if (template != null) {
                    b.field("template", template);
                }
                b.field("hidden", ds.isHidden());
                b.field("system", ds.isSystem());
                b.field("allow_custom_routing", ds.isAllowCustomRouting());
                b.field("replicated", ds.isReplicated());
                b.endObject();
            }
            b.endArray().endObject();
            channel.sendResponse(new RestResponse(RestStatus.OK, b));
        };
    }
}
