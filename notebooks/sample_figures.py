"""The hand-worked figures of data-samples/README.md, for the notebooks' check sections.

The sample's expected DARs, credit usage, invoice lines, accounting and quarantine are worked out
by hand in data-samples/README.md (SampleMonthTest compares the pipeline with the same tables).
A notebook run against the demo warehouse (jobs/notebooks) compares what it shows with them, so a
notebook that runs but shows wrong numbers fails; the changes of the demo scenario on top of the
sample (a plan change, a late file) are worked out by hand in each notebook's text.
"""
from __future__ import annotations

import decimal
import os
from pathlib import Path

README = Path(os.environ.get("BILLING_HOME") or Path(__file__).resolve().parent.parent) / "data-samples" / "README.md"


def table(heading: str) -> list[dict[str, str | None]]:
    """The rows of the first Markdown table under the heading (`-` read as None)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    titles = [i for i, line in enumerate(lines) if line.lstrip("#").strip() == heading and line.startswith("#")]
    if not titles:
        raise KeyError(f"no heading {heading!r} in {README}")
    rows = [line for line in _table_after(lines, titles[0] + 1)]
    header = _cells(rows[0])
    return [dict(zip(header, [None if c == "-" else c for c in _cells(row)])) for row in rows[2:]]


def _table_after(lines, start):
    i = start
    while i < len(lines) and not lines[i].startswith("|"):
        if lines[i].startswith("#"):
            raise KeyError(f"no table under {lines[start - 1]!r} in {README}")
        i += 1
    while i < len(lines) and lines[i].startswith("|"):
        yield lines[i]
        i += 1


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def number(text: str | None) -> decimal.Decimal | None:
    """A figure of the tables as an exact decimal ("2,101" and "0.6" alike)."""
    return None if text is None else decimal.Decimal(text.replace(",", ""))


class Checks:
    """Comparisons of what a notebook shows with hand-worked figures, in the demo warehouse only.

    jobs/notebooks sets BILLING_NOTEBOOK_CHECKS=demo; against any other warehouse the figures differ
    and every comparison is skipped (done() says so). A difference raises AssertionError naming the
    figure, which fails the cell and so the CI run.
    """

    def __init__(self, applies: bool = True):
        """`applies`: False when the notebook's parameters are not those the figures were worked for."""
        self.active = os.environ.get("BILLING_NOTEBOOK_CHECKS") == "demo" and applies
        self.count = 0

    def equal(self, what: str, actual, expected) -> None:
        if not self.active:
            return
        if actual != expected:
            raise AssertionError(f"{what}: the notebook shows {actual!r}, worked out by hand: {expected!r}")
        self.count += 1

    def done(self) -> None:
        if self.active:
            print(f"hand-worked checks passed: {self.count} figures agree with data-samples/README.md "
                  "and this notebook's text")
        else:
            print("hand-worked checks skipped: they hold for the demo warehouse of jobs/notebooks "
                  "(BILLING_NOTEBOOK_CHECKS=demo) with the notebook's default parameters")
