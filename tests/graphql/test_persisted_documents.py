"""`returncases persisted build`: a folder of client documents becomes the allow-list, in the
canonical text a client computes from its own copy of each operation."""

from __future__ import annotations

import json
import subprocess

import pytest

from api.http.persisted import load_allow_list, sha256
from api.http.persisted_documents import DocumentProblem, canonical_text, collect_operations
from api.schema import schema
from tests.servers import RETURNCASES

WORKLIST = """
query Worklist($after: String) { cases(first: 5, after: $after) { ...Page } }
"""
FRAGMENTS = """
fragment Row on ReturnCase { id caseNumber }
fragment Page on ReturnCaseConnection { totalCount edges { node { ...Row } } }
fragment Unused on ReturnCase { version }
"""
# The same operation as a client carries it: other layout, fragments in another order.
CLIENTS_COPY = """fragment Page on ReturnCaseConnection {
  totalCount
  edges { node { ...Row } }
}
query Worklist($after: String) {
  cases(first: 5, after: $after) { ...Page }
}
fragment Row on ReturnCase { id, caseNumber }"""


def test_an_operation_is_registered_with_the_fragments_it_reaches_in_canonical_form():
    (operation,) = collect_operations([("a.graphql", WORKLIST), ("b.graphql", FRAGMENTS)],
                                      schema._schema)  # fmt: skip
    assert operation.name == "Worklist"
    assert "fragment Unused" not in operation.text
    assert operation.text == canonical_text(CLIENTS_COPY)
    assert operation.digest == sha256(canonical_text(CLIENTS_COPY))


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ([("x.graphql", "{ cases { totalCount } }")], "needs a name"),
        ([("x.graphql", "query A { nope }")], "Cannot query field 'nope'"),
        ([("x.graphql", "query A { cases { totalCount } "), ], "Syntax Error"),
        ([("x.graphql", "query A { __typename }"), ("y.graphql", "query A { __typename }")],
         "defined twice"),
        ([("x.graphql", "type Extra { id: ID }")], "only operations and fragments"),
        ([], "no operations"),
    ],
)  # fmt: skip
def test_a_document_that_cannot_be_registered_is_refused_with_its_file(files, problem):
    with pytest.raises(DocumentProblem, match=problem):
        collect_operations(files, schema._schema)


def test_the_command_writes_an_allow_list_the_server_loads(tmp_path):
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "worklist.graphql").write_text(WORKLIST)
    (tmp_path / "ops" / "fragments.graphql").write_text(FRAGMENTS)
    output = tmp_path / "allow-list.json"
    command = [RETURNCASES, "persisted", "build", str(tmp_path / "ops"), "-o", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "Worklist" in done.stdout
    loaded = load_allow_list(output)
    assert list(loaded.values()) == [canonical_text(CLIENTS_COPY)]
    assert json.loads(output.read_text()) == loaded


def test_the_command_fails_without_writing_on_an_invalid_document(tmp_path):
    (tmp_path / "bad.graphql").write_text("query Bad { cases { nope } }")
    output = tmp_path / "allow-list.json"
    done = subprocess.run([RETURNCASES, "persisted", "build", str(tmp_path), "-o", str(output)],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 1
    assert "bad.graphql" in done.stderr
    assert not output.exists()
