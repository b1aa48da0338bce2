"""The histogram quartiles (api/statistics/statement.py) where durations repeat, against
PostgreSQL's own percentile_cont: demo cases whose final decisions are moved to 0-8 days before
their first handover, so each region's ~50 cases share 9 values. (The world of the other tests
has no two equal durations in a cell.)"""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from api.seed import seed
from db.engine import create_engine
from tests.databases import migrated_database
from tests.graphql_client import graphql_client
from tests.statistics.conftest import statistics_settings
from tests.statistics.test_case_statistics import by_key, statistics

# The first handover of each case, as the statistics take it, and the days from the final
# decision to it, per region and overall (percentile_cont over the same cases).
FIRST = """
  SELECT DISTINCT ON (case_id) case_id, to_unit, handed_over_at
  FROM handover ORDER BY case_id, handed_over_at, id
"""
REPEAT_DAYS = f"""
UPDATE decision d SET final_date = (f.handed_over_at AT TIME ZONE 'UTC')::date
                                    - (abs(hashtext(d.case_id::text)) % 9)
FROM ({FIRST}) f WHERE f.case_id = d.case_id AND d.final_date IS NOT NULL
"""
FIRST_HANDOVERS = """
WITH first AS (
  SELECT DISTINCT ON (case_id) case_id, to_unit, handed_over_at
  FROM handover ORDER BY case_id, handed_over_at, id
), days AS (
  SELECT f.to_unit, (f.handed_over_at AT TIME ZONE 'UTC')::date - d.final_date AS days
  FROM first f JOIN decision d ON d.case_id = f.case_id WHERE d.final_date IS NOT NULL
)
SELECT to_unit, count(*) AS n, count(DISTINCT days) AS distinct_days,
       percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY days) AS q
FROM days GROUP BY ROLLUP (to_unit)
"""


@pytest.mark.postgres
async def test_quartiles_with_repeated_durations_agree_with_percentile_cont(
    tmp_path: Path, dev_key_dir: Path
):
    async with migrated_database("postgresql", tmp_path) as url:
        engine = create_engine(url)
        try:
            await seed(engine, 600, seed=1)
        finally:
            await engine.dispose()
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(REPEAT_DAYS)
            rows = await connection.fetch(FIRST_HANDOVERS)
        finally:
            await connection.close()
        async with graphql_client(statistics_settings(url, dev_key_dir)) as client:
            table = await statistics(client, ["POLICE_REGION"], measures=["FINAL_TO_HANDOVER"])
    cells = by_key(table)
    compared = 0
    for row in rows:
        key = () if row["to_unit"] is None else (("POLICE_REGION", row["to_unit"]),)
        summary = cells[key]["durations"][0]
        if summary["suppressed"]:
            continue
        got = [summary["lowerQuartile"], summary["median"], summary["upperQuartile"]]
        assert got == pytest.approx([round(q, 2) for q in row["q"]]), key
        compared += 1
    assert compared >= 2
    # What makes this test: every cell's cases share a few values.
    assert all(row["distinct_days"] <= 9 < row["n"] for row in rows)
