"""Any SPARQL 1.1 server: loaded through the Graph Store Protocol, queried through the SPARQL Protocol."""

from __future__ import annotations

import base64
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from pyoxigraph import RdfFormat, parse

from ..errors import BadQuery, KgbuildError
from ..sparqltext import code_only, query_form, split_prologue, where_group
from .results import Results, StoreUnavailable, bind, literal_value, triple_rows


class SparqlStore:
    """Any SPARQL 1.1 server, through the Graph Store Protocol and the SPARQL 1.1 Protocol.

    ``endpoint`` is an Oxigraph server's base URL (``http://127.0.0.1:7878``);
    other servers name their endpoints: ``query_url``, ``update_url`` and
    ``store_url`` (Virtuoso: ``…/sparql`` and ``…/sparql-graph-crud-auth``;
    Fuseki: ``…/ds/query``, ``…/ds/update``, ``…/ds/data``). Credentials are
    ``credentials`` (user, password), else from the environment
    (``KGBUILD_SPARQL_USER``, ``KGBUILD_SPARQL_PASSWORD``); never printed.
    ``auth`` says how the server wants them: ``basic`` (sent with every
    request) or ``digest`` (answered to the server's challenge, as Virtuoso's
    ``-auth`` endpoints ask).
    """

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        auth: str = "basic",
        credentials: tuple[str, str] | None = None,
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
        if auth not in ("basic", "digest"):
            raise KgbuildError(f"HTTP authentication is basic or digest, not {auth!r}")
        self.auth, self.retries, self.backoff, self.timeout = auth, retries, backoff, timeout
        user, password = os.environ.get("KGBUILD_SPARQL_USER"), os.environ.get("KGBUILD_SPARQL_PASSWORD")
        self._credentials = credentials or ((user, password) if user and password else None)
        handlers: list[urllib.request.BaseHandler] = []
        if self._credentials and auth == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in filter(None, (self.query_url, self.update_url, self.store_url)):
                passwords.add_password(None, url, *self._credentials)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        self._opener = urllib.request.build_opener(*handlers)

    def _headers(self) -> dict[str, str]:
        if not self._credentials or self.auth != "basic":
            return {}
        token = base64.b64encode(f"{self._credentials[0]}:{self._credentials[1]}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def _retrying(self, what: str, url: str, call: Callable[[], Any], *, query: bool = False) -> Any:
        """Run a request, retrying with back-off on what may pass (5xx, 408, 429, a refused or reset
        connection); any failure ends as one line with the server's own reason (a query's 400: BadQuery)."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                return call()
            except urllib.error.HTTPError as e:
                if e.code in _PASSING and not last:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                reason = server_reason(e.read())
                if e.code == 400 and query:
                    raise BadQuery(f"the server refused the query: {reason}") from None
                raise StoreUnavailable(f"{what}: HTTP {e.code} {e.reason}: {reason}", url) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                if not last:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                cause = getattr(e, "reason", e)
                raise StoreUnavailable(
                    f"{what} failed after {self.retries + 1} tries: {cause} (is the server running?)", url
                ) from None
        raise AssertionError("unreachable")

    def _graph_request(self, method: str, graph: str, ntriples: bytes = b"") -> None:
        if not self.store_url:
            raise KgbuildError("loading needs the Graph Store endpoint: --endpoint URL, or --store-url")
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
        headers = {"Content-Type": "application/n-triples", **self._headers()}

        def send() -> None:
            request = urllib.request.Request(url, data=ntriples or None, method=method, headers=headers)
            with self._opener.open(request, timeout=self.timeout):
                pass

        self._retrying(f"{_VERBS[method]} graph {graph}", self.store_url, send)

    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        """PUT a graph: the server replaces what the graph held, so a reload changes nothing."""
        self._graph_request("PUT", graph, ntriples)

    def append_graph(self, graph: str, ntriples: bytes) -> None:
        """POST to a graph: the server adds the triples to what it holds."""
        self._graph_request("POST", graph, ntriples)

    def drop_graph(self, graph: str) -> None:
        """DELETE a graph."""
        self._graph_request("DELETE", graph)

    def graph_names(self) -> set[str]:
        """The names of the server's graphs that hold triples."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return {str(r[0]) for r in rows}

    def select(self, query: str, params: Mapping[str, str] | None = None) -> Results:
        """Run a query. Where the server cuts a SELECT's rows at its limit (Virtuoso's
        ResultSetMaxRows, told by the X-SPARQL-MaxRows header), the rest is read page by page.

        :raises StoreUnavailable: the server cannot be reached or refuses.
        :raises BadQuery: the server finds the query invalid.
        """
        if not self.query_url:
            raise KgbuildError("querying needs the query endpoint: --endpoint URL, or --query-url")
        text = bind(query, params)
        form = query_form(text)
        body, limit = self._ask(text, form)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return triple_rows(parse(body, format=RdfFormat.TURTLE))
        variables, rows = _json_rows(body)
        if limit is None or len(rows) < limit or form != "SELECT":
            return Results(variables, rows)
        # The rest page by page, each page a slice of the query as a subquery under a stable order
        # (Virtuoso sorts no more than MaxSortedTopRows for a top-level ORDER BY with OFFSET, but
        # slices an ordered subquery), until a page comes back short.
        prologue, inner = split_prologue(text)
        modifiers = code_only(inner)[where_group(inner)[1] :]  # what follows the WHERE group
        if not re.search(r"\bORDER\s+BY\b", modifiers, re.I):  # an order, before any LIMIT or OFFSET
            at = len(inner) - len(modifiers) + next(re.finditer(r"\b(?:LIMIT|OFFSET)\b|$", modifiers, re.I)).start()
            inner = f"{inner[:at].rstrip()}\nORDER BY {' '.join(f'?{v}' for v in variables)}\n{inner[at:]}"
        projection = " ".join(f"?{v}" for v in variables)
        rows = []
        while True:
            page = f"{prologue}SELECT {projection} WHERE {{ {{\n{inner}\n}} }}\nLIMIT {limit} OFFSET {len(rows)}"
            more = _json_rows(self._ask(page, form)[0])[1]
            rows.extend(more)
            if len(more) < limit:
                return Results(variables, rows)

    def _ask(self, text: str, form: str) -> tuple[bytes, int | None]:
        """The server's answer to one query (SPARQL 1.1 Protocol, POST), and the row limit it says
        it cut the answer at."""
        assert self.query_url
        url = self.query_url
        accept = "text/turtle" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept, **self._headers()}
        data = urllib.parse.urlencode({"query": text}).encode()

        def ask() -> tuple[bytes, int | None]:
            request = urllib.request.Request(url, data=data, method="POST", headers=headers)
            with self._opener.open(request, timeout=self.timeout) as response:
                limit = response.headers.get("X-SPARQL-MaxRows", "")
                return response.read(), int(limit) if limit.isdigit() else None

        answer: tuple[bytes, int | None] = self._retrying("the query", url, ask, query=True)
        return answer


_PASSING = (408, 429, 500, 502, 503, 504)
_VERBS = {"PUT": "loading", "POST": "adding to", "DELETE": "dropping"}


def server_reason(body: bytes | str | None) -> str:
    """A server's error page or message as one line: its text, without markup or the query it echoes."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    text = re.sub(r"(?is)<head\b.*?</head>|<[^>]+>", " ", text)  # an HTML error page: its body's text
    text = re.split(r"\n\s*SPARQL query:", text)[0]  # Virtuoso repeats the query after its reason
    return " ".join(text.split())[:1000] or "(the server gave no reason)"


def _json_rows(body: bytes) -> tuple[list[str], list[list[object]]]:
    try:
        answer = json.loads(body)
    except ValueError:
        raise StoreUnavailable(f"the server's answer is no SPARQL JSON results: {server_reason(body)[:200]}") from None
    if "boolean" in answer:
        return ["ask"], [[bool(answer["boolean"])]]
    variables = answer["head"]["vars"]
    return variables, [[_json_value(b.get(v)) for v in variables] for b in answer["results"]["bindings"]]


def _json_value(binding: dict[str, str] | None) -> object:
    if binding is None:
        return None
    if binding.get("type") in ("literal", "typed-literal"):
        return literal_value(binding["value"], binding.get("datatype", ""))
    return binding["value"]
