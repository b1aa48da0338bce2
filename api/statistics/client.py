"""`returncases stats`: ask a running service for a statistics table, as its analysts would,
print it, and optionally draw it (the `stats` extra brings matplotlib)."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

import orjson

DOCUMENT = """
query Stats($groupBy: [StatisticsDimension!]!, $measures: [StatisticsMeasure!],
            $filter: [StatisticsCondition!]) {
  caseStatistics(groupBy: $groupBy, measures: $measures, filter: $filter) {
    dimensions threshold suppressedCells
    cells { level key { dimension value } suppressed cases
            durations { measure suppressed cases median lowerQuartile upperQuartile } }
  }
}
"""


class StatisticsError(Exception):
    """The service answered with errors (their messages and codes)."""


def fetch(
    url: str, token: str, group_by: list[str], measures: list[str], where: dict[str, str]
) -> dict[str, Any]:
    if not url.startswith(("http://", "https://")):
        raise StatisticsError("the URL must be http:// or https://")
    variables = {
        "groupBy": group_by,
        "measures": measures,
        "filter": [{"dimension": d, "value": v} for d, v in where.items()],
    }
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=orjson.dumps({"query": DOCUMENT, "variables": variables}),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "X-Purpose": "STATISTICS",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            body = orjson.loads(response.read())
    except urllib.error.HTTPError as error:
        raise StatisticsError(f"HTTP {error.code}") from None
    except urllib.error.URLError as error:
        raise StatisticsError(f"cannot reach {url}: {error.reason}") from None
    if body.get("errors"):
        raise StatisticsError(
            "; ".join(
                f"{e.get('extensions', {}).get('code')}: {e.get('message')}" for e in body["errors"]
            )
        )
    table: dict[str, Any] = body["data"]["caseStatistics"]
    return table


def rows(table: dict[str, Any], group_by: list[str]) -> list[list[str]]:
    """The cells of the requested grouping, then their total, as text columns."""
    measures = [d["measure"] for d in (table["cells"][0]["durations"] if table["cells"] else [])]
    header = [*group_by, "cases"]
    for measure in measures:
        header += [f"{measure} median", "q1", "q3"]
    filtered = set(table["dimensions"]) - set(group_by)
    finest, totals = [], []
    for cell in table["cells"]:
        named = {k["dimension"]: k["value"] for k in cell["key"]}
        if set(named) == filtered | set(group_by):
            finest.append([("-" if named[d] is None else named[d]) for d in group_by] + [""])
        elif set(named) == filtered and group_by:
            totals.append(["total"] * len(group_by) + [""])
        else:
            continue
        line = (finest if set(named) == filtered | set(group_by) else totals)[-1]
        line[-1] = "suppressed" if cell["suppressed"] else str(cell["cases"])
        for summary in cell["durations"]:
            if summary["suppressed"]:
                line += ["suppressed", "", ""]
            else:
                line += [
                    f"{summary['median']:g}",
                    f"{summary['lowerQuartile']:g}",
                    f"{summary['upperQuartile']:g}",
                ]
    return [header, *finest, *totals]


def render(lines: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def chart(table: dict[str, Any], group_by: list[str], title: str, output: Path) -> None:
    """A bar per group: the first duration's median with its quartiles, or the case count."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installation
        raise StatisticsError("charts need matplotlib: pip install 'returncases[stats]'") from None
    every = rows(table, group_by)
    has_duration = len(every[0]) > len(group_by) + 1
    body = [line for line in every[1:] if line[0] != "total"] or every[1:]
    if has_duration:  # cases without the events (e.g. never handed over) have no duration
        body = [line for line in body if "-" not in line[: len(group_by)]]
    labels = [" / ".join(line[: len(group_by)]) or "total" for line in body]
    figure, axis = plt.subplots(figsize=(8, 4.5), dpi=100)
    for index, line in enumerate(body):
        value = line[len(group_by) + 1] if has_duration else line[len(group_by)]
        if value == "suppressed":
            axis.bar(index, 0, color="white")
            axis.annotate("suppressed", (index, 0), ha="center", va="bottom", fontsize=8)
            continue
        if has_duration:
            median, q1, q3 = (float(v) for v in line[len(group_by) + 1 : len(group_by) + 4])
            axis.bar(index, median, color="#3b6ea5")
            axis.errorbar(
                index, median, yerr=[[median - q1], [q3 - median]], color="black", capsize=4
            )
            axis.annotate(f"n={line[len(group_by)]}", (index, 0), ha="center", va="bottom",
                          color="white", fontsize=8)  # fmt: skip
        else:
            axis.bar(index, float(value), color="#3b6ea5")
    axis.set_xticks(range(len(labels)), labels, rotation=20, ha="right", fontsize=8)
    axis.set_ylabel("days (median, bars: quartiles)" if has_duration else "cases")
    axis.set_title(title, fontsize=10)
    figure.tight_layout()
    figure.savefig(output)
    plt.close(figure)
