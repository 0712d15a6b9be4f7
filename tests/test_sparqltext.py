"""Finding a query's parts in its text: the WHERE group, the prologue, where parameters go."""

from __future__ import annotations

import pytest
from pyoxigraph import Store

from kgbuild.errors import BadQuery
from kgbuild.sparqltext import Unbalanced, split_prologue, where_group
from kgbuild.store import bind

SELECT = 'PREFIX ex: <http://example.org/>\nSELECT ?a WHERE { ?s ex:p "}" . BIND (STR(?s) AS ?a) } # }'
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . OPTIONAL { ?o ?q ?r } }"


def test_the_where_group_is_found_past_strings_iris_comments_and_a_template() -> None:
    start, end = where_group(SELECT)
    assert SELECT[start : end + 1] == '{ ?s ex:p "}" . BIND (STR(?s) AS ?a) }'
    start, end = where_group(CONSTRUCT)
    assert CONSTRUCT[start : end + 1] == "{ ?s ?p ?o . OPTIONAL { ?o ?q ?r } }"
    assert where_group("CONSTRUCT WHERE { ?s ?p ?o }") == (16, 27)
    with pytest.raises(Unbalanced):
        where_group("SELECT * WHERE { ?s ?p ?o")


def test_the_prologue_is_split_off() -> None:
    prologue, rest = split_prologue(SELECT)
    assert prologue == "PREFIX ex: <http://example.org/>\n" and rest.startswith("SELECT ?a")


def test_parameters_are_bound_last_in_the_where_group_after_a_bind_of_the_same_variable() -> None:
    bound = bind(SELECT, {"a": "http://example.org/x"})
    assert bound.endswith('VALUES ?a { "http://example.org/x" }\n} # }')
    store = Store()
    store.update('PREFIX ex: <http://example.org/> INSERT DATA { ex:x ex:p "}" . ex:y ex:p "}" }')
    assert [s["a"].value for s in store.query(bound)] == ["http://example.org/x"]  # a join: it filters
    assert len(list(store.query(bind(CONSTRUCT, {"o": "}"})))) == 2


def test_a_variable_made_outside_the_where_group_cannot_be_bound() -> None:
    with pytest.raises(BadQuery, match=r"no variable \?n to bind"):
        bind("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"n": "3"})
