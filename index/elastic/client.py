"""One client for Elasticsearch and OpenSearch clusters: the rest of this package calls the
elasticsearch-py 8 API (keyword arguments such as `query=`, `document=`, `settings=`) and catches
its exceptions, whichever product answers.

The elasticsearch client refuses OpenSearch (its product check), so the product is read from the
cluster's root endpoint (GET /: `version.distribution` is "opensearch") on the first request, not
when the index is opened (opening never contacts the node). For OpenSearch the calls go through
OpenSearchAdapter to the official opensearch-py client: the keywords the REST API takes in the
request body are put into `body=`, point-in-time calls become OpenSearch's, and opensearch-py's
exceptions become the elasticsearch ones (ApiError and its subclasses by HTTP status,
ConnectionError, BulkIndexError), so the backend's error handling is the same for both."""
from __future__ import annotations

import logging
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

import opensearchpy
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig, OrjsonSerializer
from elasticsearch import (ApiError, AuthenticationException, AuthorizationException, BadRequestError,
                           ConflictError, ConnectionError, ConnectionTimeout, Elasticsearch, NotFoundError, helpers)
from opensearchpy import helpers as os_helpers

from ..base import IndexConfigError

BulkIndexError = helpers.BulkIndexError

# opensearch-py logs every reply that is not 2xx as a warning (a 404 that answers "does it exist?"
# too); elasticsearch-py's transport does so at INFO. The backend reports what matters itself.
logging.getLogger("opensearch").setLevel(logging.ERROR)

# elasticsearch-py 8 keywords that OpenSearch's REST API takes in the request body, per method
_BODY = {
    "search": {"query", "size", "from_", "sort", "aggs", "aggregations", "highlight", "collapse", "source",
               "search_after", "track_total_hits", "pit", "post_filter", "min_score", "stored_fields"},
    "count": {"query"},
    "mget": {"ids", "docs"},
    "update": {"doc", "script", "upsert", "doc_as_upsert", "scripted_upsert", "detect_noop"},
    "reindex": {"source", "dest", "conflicts", "max_docs", "script"},
    "update_by_query": {"query", "script", "conflicts", "max_docs"},
    "delete_by_query": {"query", "max_docs"},
    "indices.create": {"settings", "mappings", "aliases"},
    "indices.put_index_template": {"index_patterns", "template", "priority", "composed_of", "version", "_meta"},
    "indices.update_aliases": {"actions"},
    "indices.put_mapping": {"properties", "dynamic", "_meta", "runtime"},
    "indices.analyze": {"text", "analyzer", "tokenizer", "filter", "char_filter", "field", "normalizer", "explain"},
}
# methods whose one keyword is the whole body
_WHOLE_BODY = {"index": "document", "create": "document", "indices.put_settings": "settings", "bulk": "operations"}
# elasticsearch-py's names for body fields and parameters spelt otherwise on the wire
_BODY_NAMES = {"search": {"from_": "from", "source": "_source"}}
_PARAM_NAMES = {"source": "_source", "source_excludes": "_source_excludes", "source_includes": "_source_includes"}
# the same setting under another name (OpenSearch kept Elasticsearch 7's spelling)
_HIGHLIGHT_NAMES = {"max_analyzed_offset": "max_analyzer_offset"}
_STATUS = {400: BadRequestError, 401: AuthenticationException, 403: AuthorizationException, 404: NotFoundError,
           409: ConflictError}


class Response(dict):
    """An opensearch-py reply, readable as elasticsearch-py's (`.body`, or as a dict)."""

    @property
    def body(self) -> dict:
        return self


def mapped(exc: opensearchpy.TransportError) -> Exception:
    """The elasticsearch exception the backend catches for an opensearch-py one."""
    if isinstance(exc, opensearchpy.ConnectionTimeout):
        return ConnectionTimeout(str(exc))
    if isinstance(exc, opensearchpy.ConnectionError):       # refused, reset, DNS, TLS
        return ConnectionError(str(exc))
    status = exc.status_code if isinstance(exc.status_code, int) else 500
    body = exc.info if isinstance(exc.info, dict) else {"error": exc.error}
    meta = ApiResponseMeta(status=status, http_version="1.1", headers=HttpHeaders(), duration=0.0,
                           node=NodeConfig("http", "opensearch", 0))
    return _STATUS.get(status, ApiError)(str(exc.error), meta, body)


def _call(method, name: str, defaults: dict, kwargs: dict):
    body_keys = _BODY.get(name, ())
    renamed = _BODY_NAMES.get(name, {})
    body, params = {}, dict(defaults)
    for key, value in kwargs.items():
        if value is None:
            continue
        if key == _WHOLE_BODY.get(name):
            body = value
        elif key in body_keys:
            body[renamed.get(key, key)] = value
        else:
            params[_PARAM_NAMES.get(key, key)] = value
    if "highlight" in body:
        body["highlight"] = _renamed_highlight(body["highlight"])
    try:
        reply = method(body=body, **params) if body or name in _WHOLE_BODY else method(**params)
    except opensearchpy.TransportError as exc:
        raise mapped(exc) from exc
    return Response(reply) if isinstance(reply, dict) else reply


def _renamed_highlight(highlight: dict) -> dict:
    out = {_HIGHLIGHT_NAMES.get(k, k): v for k, v in highlight.items()}
    if isinstance(out.get("fields"), dict):
        out["fields"] = {f: _renamed_highlight(spec) for f, spec in out["fields"].items()}
    return out


class _Namespace:
    """client.indices, client.cluster, … of the adapter."""

    def __init__(self, target, prefix: str, defaults: dict):
        self._target, self._prefix, self._defaults = target, prefix, defaults

    def __getattr__(self, attr: str):
        method = getattr(self._target, attr)
        return lambda **kwargs: _call(method, f"{self._prefix}{attr}", self._defaults, kwargs)


class OpenSearchAdapter(_Namespace):
    """opensearch-py's OpenSearch client with elasticsearch-py 8's keyword API."""

    product = "OpenSearch"

    def __init__(self, raw: opensearchpy.OpenSearch, defaults: dict | None = None):
        super().__init__(raw, "", defaults or {})
        self.raw = raw

    def __getattr__(self, attr: str):
        if attr in ("indices", "cluster", "nodes", "cat", "snapshot", "tasks", "ingest"):
            return _Namespace(getattr(self.raw, attr), f"{attr}.", self._defaults)
        return super().__getattr__(attr)

    def options(self, request_timeout: float | None = None, **_ignored) -> "OpenSearchAdapter":
        return OpenSearchAdapter(self.raw, {**self._defaults, "request_timeout": request_timeout})

    def open_point_in_time(self, index, keep_alive: str) -> Response:
        opened = _call(self.raw.create_pit, "create_pit", {}, {"index": index, "keep_alive": keep_alive})
        return Response(id=opened["pit_id"])

    def close_point_in_time(self, id: str) -> Response:
        return _call(self.raw.delete_pit, "delete_pit", {}, {"body": {"pit_id": [id]}})

    def close(self) -> None:
        self.raw.close()


class Client:
    """The cluster behind an --index URL: an elasticsearch-py client, or the OpenSearchAdapter when
    the cluster's root endpoint says it is OpenSearch (asked once, on first use)."""

    def __init__(self, nodes: list[str], auth: tuple[str, str] | None = None, api_key: str | None = None,
                 ca_certs: str | None = None, request_timeout: float = 30.0):
        # one retry per other node, so a request that meets a dead node is tried on each live one
        retries = max(1, len(nodes))
        # orjson reads the candidate searches' 10,000-hit pages and bulk replies ~5x faster than json
        options: dict = {"request_timeout": request_timeout, "max_retries": retries, "retry_on_timeout": True,
                         "serializer": OrjsonSerializer()}
        if auth:
            options["basic_auth"] = auth
        if api_key:
            options["api_key"] = api_key
        if ca_certs:
            options["ca_certs"] = ca_certs
        self.es = Elasticsearch(nodes, **options)
        self._opensearch = {"hosts": nodes, "timeout": request_timeout, "max_retries": retries,
                            "retry_on_timeout": True, "http_auth": auth, "ca_certs": ca_certs}
        self._api_key = bool(api_key)
        self._target: Any = None

    @property
    def target(self):
        """The client to call: GET / decides, once (a connection error propagates, and the next
        call asks again)."""
        if self._target is None:
            # the transport, unlike the client, has no product check
            reply = self.es.transport.perform_request("GET", "/", headers={"accept": "application/json"})
            if not 200 <= reply.meta.status < 300:
                return self.es          # e.g. 401: the client's own call then says what is wrong; ask again later
            version = reply.body.get("version") if isinstance(reply.body, dict) else None
            if isinstance(version, dict) and version.get("distribution") == "opensearch":
                if self._api_key:
                    raise IndexConfigError("OpenSearch has no API keys: drop --es-api-key (POLICYWATCH_ES_API_KEY) "
                                           "and put user:password in the index URL")
                options = {k: v for k, v in self._opensearch.items() if v is not None}
                if any(urlsplit(n).scheme == "https" for n in options["hosts"]):
                    options["use_ssl"] = True
                self._target = OpenSearchAdapter(opensearchpy.OpenSearch(**options))
            else:
                self._target = self.es
        return self._target

    @property
    def product(self) -> str:
        """"OpenSearch" or "Elasticsearch" (before the first answer: "Elasticsearch")."""
        return getattr(self._target, "product", "Elasticsearch")

    @property
    def opensearch(self) -> bool:
        return isinstance(self.target, OpenSearchAdapter)

    def __getattr__(self, attr: str):
        return getattr(self.target, attr)

    def close(self) -> None:
        if isinstance(self._target, OpenSearchAdapter):
            self._target.close()
        self.es.close()


def streaming_bulk(client: Client, actions: Iterable[dict], **options) -> Iterator[tuple[bool, dict]]:
    """elasticsearch.helpers.streaming_bulk for either product. As elasticsearch-py's does, it
    raises when the node cannot be reached at all and yields per-document failures otherwise."""
    target = client.target
    if not isinstance(target, OpenSearchAdapter):
        yield from helpers.streaming_bulk(target, actions, **options)
        return
    try:
        for ok, item in os_helpers.streaming_bulk(target.raw, actions, **options):
            error = next(iter(item.values())).get("exception")
            if isinstance(error, opensearchpy.ConnectionError):
                raise mapped(error) from error
            yield ok, item
    except os_helpers.BulkIndexError as exc:
        raise BulkIndexError(str(exc), exc.errors) from exc
    except opensearchpy.TransportError as exc:
        raise mapped(exc) from exc


def bulk(client: Client, actions: Iterable[dict], **options) -> tuple[int, list]:
    """elasticsearch.helpers.bulk for either product: raises BulkIndexError when a document fails."""
    if not client.opensearch:
        return helpers.bulk(client.target, actions, **options)
    ok = 0
    for done, _ in streaming_bulk(client, actions, **options):
        ok += done
    return ok, []
