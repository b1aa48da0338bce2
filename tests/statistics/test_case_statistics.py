"""`caseStatistics` through HTTP, as the police analyst, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.cases.statements import counting_statements
from tests.statistics import world
from tests.statistics.conftest import analyst, policy_with, world_with_policy

QUERY = """
query Stats($groupBy: [StatisticsDimension!]!, $measures: [StatisticsMeasure!],
            $filter: [StatisticsCondition!]) {
  caseStatistics(groupBy: $groupBy, measures: $measures, filter: $filter) {
    dimensions threshold suppressedCells
    cells {
      level key { dimension value } suppressed cases
      durations { measure suppressed cases median lowerQuartile upperQuartile }
    }
  }
}
"""

FIELD = {"POLICE_REGION": "region", "HANDOVER_REASON": "reason", "DECISION_TYPE": "decision_type"}


async def statistics(client: Any, group_by: list[str], **variables: Any) -> dict[str, Any]:
    response = await analyst(client)(QUERY, groupBy=group_by, **variables)
    return response.ok()["caseStatistics"]


def by_key(table: dict[str, Any]) -> dict[tuple[tuple[str, Any], ...], dict[str, Any]]:
    return {
        tuple((k["dimension"], k["value"]) for k in cell["key"]): cell for cell in table["cells"]
    }


def matching(key: tuple[tuple[str, Any], ...]) -> list[world.Fact]:
    return [
        fact
        for fact in world.facts()
        if all(getattr(fact, FIELD[dimension]) == value for dimension, value in key)
    ]


async def test_analyst_gets_counts_and_quartiles_as_percentile_cont_computes_them(
    statistics_client,
):
    measures = ["FINAL_TO_HANDOVER", "HANDOVER_TO_DEPARTURE", "HANDOVER_TO_HANDBACK"]
    table = await statistics(statistics_client, ["POLICE_REGION"], measures=measures)
    cells = by_key(table)
    assert table["threshold"] == 5
    assert set(cells) == {(), *((("POLICE_REGION", r),) for r in (*world.REGIONS, None))}
    for key, cell in cells.items():
        facts = matching(key)
        assert cell["cases"] == len(facts)
        for summary in cell["durations"]:
            values = sorted(d for d in (f.days(summary["measure"]) for f in facts) if d is not None)
            assert summary["suppressed"] == (len(values) < 5)
            if not summary["suppressed"]:
                expected = world.quartiles(values)
                got = (summary["lowerQuartile"], summary["median"], summary["upperQuartile"])
                assert got == pytest.approx(expected)


async def test_postgres_percentile_cont_agrees_with_the_portable_quartiles(
    statistics_client, statistics_url
):
    if not statistics_url.startswith("postgresql"):
        pytest.skip("percentile_cont is PostgreSQL's")
    table = await statistics(statistics_client, ["POLICE_REGION"], measures=["FINAL_TO_HANDOVER"])
    connection = await asyncpg.connect(statistics_url)
    try:
        rows = await connection.fetch(
            """SELECT h.to_unit,
                 percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY
                   (h.handed_over_at AT TIME ZONE 'UTC')::date - d.final_date) AS q
               FROM handover h JOIN decision d ON d.case_id = h.case_id GROUP BY h.to_unit"""
        )
    finally:
        await connection.close()
    cells = by_key(table)
    for row in rows:
        summary = cells[(("POLICE_REGION", row["to_unit"]),)]["durations"][0]
        if not summary["suppressed"]:
            got = [summary["lowerQuartile"], summary["median"], summary["upperQuartile"]]
            assert got == pytest.approx([round(q, 2) for q in row["q"]])


async def test_cells_under_the_threshold_are_suppressed_at_it_and_above_published(
    statistics_client,
):
    cells = by_key(await statistics(statistics_client, ["DECISION_TYPE"]))
    count = {key[0][1]: cell["cases"] for key, cell in cells.items() if key}
    # 4 and 3 are under the threshold (and protect each other: 4 + 3 >= 5); 5 and 6 are not.
    assert count["AVVISNING"] is None
    assert count["DUBLIN_TRANSFER"] is None
    assert count["UTVISNING"] == 5
    assert count["BROTTSUTVISNING"] == 6
    assert cells[()]["cases"] == len(world.facts())


async def test_a_raised_threshold_from_settings_or_policy_suppresses_more(
    statistics_url, dev_key_dir, tmp_path
):
    policies = policy_with(
        tmp_path / "policies",
        replace=("p3, police_analyst, polisen, 5", "p3, police_analyst, polisen, 7"),
    )
    for number, (policy, overrides, threshold) in enumerate(
        (
            (Path("policies"), {"statistics_min_cell_size": 6}, 6),
            (policies, {}, 7),  # the policy's p3 line raises the setting's 5
            (policies, {"statistics_min_cell_size": 8}, 8),  # and never lowers the setting
        )
    ):
        directory = tmp_path / f"db{number}"
        directory.mkdir()
        async with world_with_policy(
            statistics_url, directory, dev_key_dir, policy, **overrides
        ) as client:
            table = await statistics(client, ["DECISION_TYPE"])
        assert table["threshold"] == threshold
        for key, cell in by_key(table).items():
            if len(matching(key)) < threshold:
                assert cell["suppressed"], (threshold, key)
            if cell["suppressed"]:
                assert cell["cases"] is None


async def test_no_suppressed_cell_is_recovered_from_totals_margins_and_overlapping_requests(
    statistics_client,
):
    """The attacker asks every grouping and every slice, then solves for what was hidden."""
    from tests.statistics.attacker import pinned, recoverable

    dims = ["POLICE_REGION", "HANDOVER_REASON", "DECISION_TYPE"]
    requests: list[dict[str, Any]] = [{"group_by": []}]
    requests += [{"group_by": [d]} for d in dims]
    requests += [{"group_by": [a, b]} for i, a in enumerate(dims) for b in dims[i + 1 :]]
    requests += [{"group_by": dims}]
    for region in world.REGIONS:
        requests.append(
            {
                "group_by": ["HANDOVER_REASON"],
                "filter": [{"dimension": "POLICE_REGION", "value": region}],
            }
        )
    for reason in ("ABSCONDED", "COERCION_NEEDED"):
        requests.append(
            {
                "group_by": ["POLICE_REGION"],
                "filter": [{"dimension": "HANDOVER_REASON", "value": reason}],
            }
        )
    atoms = {tuple(getattr(f, FIELD[d]) for d in dims) for f in world.facts()}

    def under(key: tuple[tuple[str, Any], ...]) -> frozenset[tuple[Any, ...]]:
        fixed = dict(key)
        return frozenset(
            a for a in atoms if all(a[i] == fixed[d] for i, d in enumerate(dims) if d in fixed)
        )

    equations, hidden = [], set()
    statuses: dict[tuple[tuple[str, Any], ...], bool] = {}
    for request in requests:
        table = await statistics(
            statistics_client, request["group_by"], filter=request.get("filter")
        )
        for key, cell in by_key(table).items():
            canonical = tuple(sorted(key))
            # The same cell has the same status in every answer that contains it.
            assert statuses.setdefault(canonical, cell["suppressed"]) == cell["suppressed"]
            if cell["suppressed"]:
                hidden.add(canonical)
            else:
                equations.append((under(key), cell["cases"]))
    assert hidden, "the data has small cells, so something must be suppressed"
    truth: dict[tuple[tuple[str, Any], ...], int] = defaultdict(int)
    for key in hidden:
        truth[key] = len(matching(key))
        target = under(key)
        assert not recoverable(target, equations), key
        assert not pinned(target, equations, atoms), key
    # Every cell under the threshold was among the hidden ones.
    assert all(truth[key] >= 1 for key in hidden)


@pytest.mark.parametrize(
    ("roles", "agency", "purpose"),
    [
        (("border_police_officer",), "polisen", "ENFORCEMENT"),
        (("case_officer", "return_officer"), "migrationsverket", "CASE_HANDLING"),
        (("police_analyst",), "polisen", "ENFORCEMENT"),
        (("police_analyst",), "migrationsverket", "STATISTICS"),
        (("security_officer",), "polisen", "STATISTICS"),
        (("auditor",), "polisen", "STATISTICS"),
    ],
)
async def test_a_role_without_aggregate_is_refused_before_any_case_is_read(
    statistics_client, roles, agency, purpose
):
    client = statistics_client.as_user(
        *roles, agency=agency, unit="polisen-region-a", purposes=(purpose,)
    )
    with counting_statements(statistics_client) as statements:
        response = await client(QUERY, groupBy=["POLICE_REGION"])
    assert response.data is None
    assert response.codes == ["FORBIDDEN"]
    assert response.errors[0]["extensions"]["coordinate"] == "Query.caseStatistics"
    assert not [s for s in statements if "return_case" in s]


async def test_a_dimension_the_role_may_not_aggregate_is_refused_before_execution(
    statistics_url, dev_key_dir, tmp_path
):
    policies = policy_with(
        tmp_path / "policies",
        extra="p, police_analyst, polisen, Outcome.departureDate, aggregate, *, *, deny\n",
    )
    async with world_with_policy(statistics_url, tmp_path, dev_key_dir, policies) as client:
        for variables in (
            {"groupBy": ["DEPARTURE_YEAR"]},
            {"groupBy": [], "filter": [{"dimension": "DEPARTURE_YEAR", "value": "2025"}]},
            {"groupBy": ["POLICE_REGION"], "measures": ["HANDOVER_TO_DEPARTURE"]},
        ):
            with counting_statements(client) as statements:
                response = await analyst(client)(QUERY, **variables)
            assert response.codes == ["FORBIDDEN"], variables
            assert response.errors[0]["extensions"]["coordinates"] == ["Outcome.departureDate"]
            assert not [s for s in statements if "return_case" in s]
        # The rest still works.
        assert (await analyst(client)(QUERY, groupBy=["POLICE_REGION"])).ok()


async def test_statements_per_request_do_not_depend_on_the_number_of_groups(statistics_client):
    counts = []
    for group_by in (
        [],
        ["HANDOVER_REASON"],
        ["POLICE_REGION", "HANDOVER_REASON", "DECISION_TYPE"],
    ):
        with counting_statements(statistics_client) as statements:
            await statistics(statistics_client, group_by, measures=["FINAL_TO_HANDOVER"])
        counts.append(len([s for s in statements if "return_case" in s]))
    assert counts == [1, 1, 1]


async def test_a_filter_is_a_slice_of_the_grouped_table(statistics_client):
    whole = by_key(await statistics(statistics_client, ["POLICE_REGION", "HANDOVER_REASON"]))
    region = world.REGIONS[1]
    sliced = by_key(
        await statistics(
            statistics_client,
            ["HANDOVER_REASON"],
            filter=[{"dimension": "POLICE_REGION", "value": region}],
        )
    )
    assert sliced
    for key, cell in sliced.items():
        assert ("POLICE_REGION", region) in key
        assert whole[key]["cases"] == cell["cases"]
        assert whole[key]["suppressed"] == cell["suppressed"]


async def test_statistics_requests_are_audited_without_counts(statistics_client):
    await statistics(
        statistics_client,
        ["POLICE_REGION"],
        filter=[{"dimension": "HANDOVER_REASON", "value": "ABSCONDED"}],
    )
    auditor = statistics_client.as_user("auditor", purposes=("AUDIT",))
    response = await auditor(
        """{ auditEvents(first: 5, filter: {subject: "olle"}) { events {
              read purpose outcome statistics {
                dimensions measures filter threshold cells suppressedCells } } } }"""
    )
    event = response.ok()["auditEvents"]["events"][0]
    assert event["purpose"] == "STATISTICS"
    assert event["read"] == ["Query.caseStatistics"]
    assert event["statistics"] == {
        "dimensions": ["POLICE_REGION", "HANDOVER_REASON"],
        "measures": [],
        "filter": {"HANDOVER_REASON": "ABSCONDED"},
        "threshold": 5,
        "cells": 5,
        "suppressedCells": 2,
    }


@pytest.mark.parametrize(
    "variables",
    [
        {"groupBy": ["STATE", "OUTCOME", "DECISION_TYPE", "POLICE_REGION"]},
        {"groupBy": ["STATE", "STATE"]},
        {"groupBy": ["STATE"], "filter": [{"dimension": "STATE", "value": "ENFORCED"}]},
        {"groupBy": [], "filter": [{"dimension": "STATE", "value": ""}]},
        {"groupBy": [], "filter": [{"dimension": "STATE", "value": "x" * 81}]},
    ],
)
async def test_bad_statistics_input_is_refused_with_bad_user_input(statistics_client, variables):
    response = await analyst(statistics_client)(QUERY, **variables)
    assert response.codes == ["BAD_USER_INPUT"]


async def test_a_table_whose_totals_pin_a_small_cell_is_refused(statistics_client):
    # Every 2026 handover is in region d, so region d's total minus the 2026 total is its 2025
    # count (2): no suppression at this grouping can hide it once the totals are published.
    response = await analyst(statistics_client)(QUERY, groupBy=["POLICE_REGION", "HANDOVER_YEAR"])
    assert response.data is None
    assert response.codes == ["STATISTICS_TOO_DETAILED"]
    # The totals alone are fine (and are the same totals the refused table would have had).
    assert (await analyst(statistics_client)(QUERY, groupBy=["HANDOVER_YEAR"])).ok()


async def test_the_statistics_of_an_audit_entry_are_covered_by_its_hash(
    statistics_url, dev_key_dir, tmp_path
):
    from tests.audit.helpers import tamper, verify

    async with world_with_policy(statistics_url, tmp_path, dev_key_dir, Path("policies")) as client:
        await statistics(client, ["HANDOVER_REASON"])
        assert (await verify(client)).ok
        await tamper(
            client, "UPDATE audit_entry SET statistics = NULL WHERE statistics IS NOT NULL"
        )
        verdict = await verify(client)
    assert not verdict.ok
