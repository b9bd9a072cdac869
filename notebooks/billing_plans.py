"""The plan calendar of a site-month, to explain invoice lines day by day (R8 of the spec).

The warehouse keeps what was billed, not the plan assignments nor the rate cards behind it: these
come from the input root's `site_plans/` (BILLING_INPUT) and the plan catalog (BILLING_PLANS, else
the project's bundled catalog). Plain Python and exact decimals, written from the spec's rules so
that a notebook can explain (and check) what the pipeline billed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import decimal
import json
import os
from pathlib import Path

import pandas as pd

from billing_notebook import HOME, BillingNotebookError, quote


def catalog(path: str | os.PathLike | None = None) -> list[dict]:
    """The rate cards of the catalog at `path` (else BILLING_PLANS, else the bundled one), numbers exact."""
    path = Path(path or os.environ.get("BILLING_PLANS") or HOME / "src" / "main" / "resources" / "plan-catalog.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=decimal.Decimal)
    except (OSError, ValueError) as e:
        raise BillingNotebookError(f"cannot read the plan catalog {path}: {e}") from None


def card(cards: list[dict], plan_id: str, month: str) -> dict:
    """The card of a plan for a month: the version with the latest effective_from on or before its first day."""
    first = f"{month}-01"
    found = [c for c in cards if c["plan_id"] == plan_id and c["effective_from"] <= first]
    if not found:
        raise BillingNotebookError(f"the catalog has no card of plan {plan_id} in force on {first}")
    return max(found, key=lambda c: c["effective_from"])


def days_of(month: str) -> list[dt.date]:
    year, number = (int(part) for part in month.split("-"))
    return [dt.date(year, number, day) for day in range(1, calendar.monthrange(year, number)[1] + 1)]


def plan_days(wh, input_root: str | os.PathLike, site: str, month: str) -> pd.DataFrame:
    """Every local day of the month with the site's plan and intent manager (plan None: no assignment).

    An assignment is in force on day d when effective_from <= d < effective_to (nulls: open ends).
    """
    path = Path(input_root).expanduser().resolve() / "site_plans"
    if not path.is_dir():
        raise BillingNotebookError(f"no site_plans/ under the input root {path.parent} (BILLING_INPUT)")
    assignments = wh.sql(f"SELECT plan_id, effective_from, effective_to, intent_manager "
                         f"FROM parquet.`{path}` WHERE site_id = {quote(site)}")
    rows = []
    for day in days_of(month):
        plan, intent = None, False
        for a in assignments.itertuples():
            if (a.effective_from is None or a.effective_from <= day) and (a.effective_to is None or day < a.effective_to):
                plan, intent = a.plan_id, bool(a.intent_manager)  # null intent_manager means off
        rows.append((day, plan, intent))
    return pd.DataFrame(rows, columns=["local_date", "plan_id", "intent_manager"])


def prorated(allowance: int, days: int, days_in_month: int) -> int:
    """round_half_up(allowance * days / days_in_month), in integers (R8)."""
    return (2 * allowance * days + days_in_month) // (2 * days_in_month)


def segments(calendar_days: pd.DataFrame, cards: list[dict], month: str) -> pd.DataFrame:
    """Per plan segment of the month (R3, R8): days, prorated allowance, DARs, overage blocks and amount.

    `calendar_days` is plan_days() with a `dars` column (DARs of each local day).
    """
    in_month = len(calendar_days)
    rows = []
    for plan, days in calendar_days[calendar_days.plan_id.notna()].groupby("plan_id", sort=False):
        c = card(cards, plan, month)
        allowance, block = int(c["included_dar"]), int(c["overage_block_size"])
        included = prorated(allowance, len(days), in_month)
        used = int(days.dars.sum())
        blocks = -(-max(0, used - included) // block)  # ceil, in integers
        price = decimal.Decimal(c["overage_block_price"]).quantize(decimal.Decimal("0.01"))
        rows.append((plan, c["version"], f"{days.local_date.min():%d %b} – {days.local_date.max():%d %b}", len(days),
                     f"round_half_up({allowance:,} × {len(days)} / {in_month})", included, used, blocks, price,
                     blocks * price))
    return pd.DataFrame(rows, columns=["plan_id", "card version", "days", "day count", "allowance", "included", "DARs",
                                       "overage blocks", "block price", "overage amount"])
