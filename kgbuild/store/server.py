"""Any SPARQL 1.1 server: loaded through the Graph Store Protocol, queried through SPARQLWrapper."""

from __future__ import annotations

import base64
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from pyoxigraph import RdfFormat, parse

from ..errors import BadQuery, KgbuildError
from .results import Results, StoreUnavailable, bind, literal_value, query_form, triple_rows


class SparqlStore:
    """Any SPARQL 1.1 server, through the Graph Store Protocol and SPARQLWrapper.

    ``endpoint`` is an Oxigraph server's base URL (``http://127.0.0.1:7878``);
    other servers name their endpoints: ``query_url``, ``update_url`` and
    ``store_url`` (Fuseki: ``…/ds/query``, ``…/ds/update``, ``…/ds/data``).
    Credentials come from the environment (``KGBUILD_SPARQL_USER``,
    ``KGBUILD_SPARQL_PASSWORD``) and are never printed.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 60,
    ) -> None:
        base = endpoint.rstrip("/") if endpoint else None
        self.query_url = query_url or (f"{base}/query" if base else None)
        self.update_url = update_url or (f"{base}/update" if base else None)
        self.store_url = store_url or (f"{base}/store" if base else None)
        if not (self.query_url or self.store_url):
            raise KgbuildError("name a SPARQL endpoint: --endpoint URL, --query-url or --store-url")
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        user, password = os.environ.get("KGBUILD_SPARQL_USER"), os.environ.get("KGBUILD_SPARQL_PASSWORD")
        self._auth = (user, password) if user and password else None

    def _headers(self) -> dict[str, str]:
        if not self._auth:
            return {}
        token = base64.b64encode(f"{self._auth[0]}:{self._auth[1]}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def _retrying(self, what: str, url: str, call: Callable[[], Any]) -> Any:
        """Run a request, retrying with back-off on what may pass (refused, 5xx, 429)."""
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

        for attempt in range(self.retries + 1):
            try:
                return call()
            except urllib.error.HTTPError as e:
                if e.code in (408, 429, 500, 502, 503, 504) and attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                detail = e.read().decode("utf-8", "replace")[:500].strip()
                raise StoreUnavailable(f"{what} refused: HTTP {e.code} {e.reason}. {detail}".strip(), url) from None
            except EndPointInternalError as e:
                if attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                raise StoreUnavailable(f"{what} failed on the server: {e}", url) from None
            except SPARQLWrapperException as e:  # 401, 404, 414: trying again changes nothing
                raise StoreUnavailable(f"{what} refused: {e}", url) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                if attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                reason = getattr(e, "reason", e)
                raise StoreUnavailable(
                    f"{what} failed after {self.retries + 1} tries: {reason} (is the server running?)", url
                ) from None
        raise AssertionError("unreachable")

    def _graph_request(self, method: str, graph: str, ntriples: bytes) -> None:
        if not self.store_url:
            raise KgbuildError("loading needs the Graph Store endpoint: --endpoint URL, or --store-url")
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
        headers = {"Content-Type": "application/n-triples", **self._headers()}

        def send() -> None:
            request = urllib.request.Request(url, data=ntriples, method=method, headers=headers)
            with urllib.request.urlopen(request, timeout=self.timeout):
                pass

        self._retrying(f"loading graph {graph}", self.store_url, send)

    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        """PUT a graph: the server replaces what the graph held, so a reload changes nothing."""
        self._graph_request("PUT", graph, ntriples)

    def append_graph(self, graph: str, ntriples: bytes) -> None:
        """POST to a graph: the server adds the triples to what it holds."""
        self._graph_request("POST", graph, ntriples)

    def select(self, query: str, params: Mapping[str, str] | None = None) -> Results:
        from SPARQLWrapper import JSON, N3, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

        if not self.query_url:
            raise KgbuildError("querying needs the query endpoint: --endpoint URL, or --query-url")
        form = query_form(query)
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setQuery(bind(query, params))
        wrapper.setReturnFormat(N3 if form in ("CONSTRUCT", "DESCRIBE") else JSON)
        wrapper.setMethod("POST")
        wrapper.setTimeout(int(self.timeout))
        if self._auth:
            wrapper.setCredentials(*self._auth)

        def ask() -> object:
            try:
                return wrapper.query().response.read()
            except QueryBadFormed as e:
                raise BadQuery(f"the query is not valid SPARQL: {str(e)[:500]}") from None

        import json

        body: bytes = self._retrying("the query", self.query_url, ask)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return triple_rows(parse(body, format=RdfFormat.TURTLE))
        answer = json.loads(body)
        if "boolean" in answer:
            return Results(["ask"], [[bool(answer["boolean"])]])
        variables = answer["head"]["vars"]
        rows = [[_json_value(b.get(v)) for v in variables] for b in answer["results"]["bindings"]]
        return Results(variables, rows)


def _json_value(binding: dict[str, str] | None) -> object:
    if binding is None:
        return None
    if binding.get("type") in ("literal", "typed-literal"):
        return literal_value(binding["value"], binding.get("datatype", ""))
    return binding["value"]
