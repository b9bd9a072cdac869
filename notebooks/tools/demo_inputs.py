"""Stages the two input changes of the notebooks' demo warehouse (jobs/notebooks), with the helper's Spark.

    /usr/bin/python3 notebooks/tools/demo_inputs.py INPUT_ROOT STAGING_DIR

writes, without touching INPUT_ROOT:
  STAGING_DIR/site_plans/     INPUT_ROOT's plan assignments with s-kolkata's plan change: Starter until
                              2026-10-16 (exclusive), Growth from 2026-10-16, intent manager off;
  STAGING_DIR/late-message/   one Parquet file for messages/event_date=2026-10-05/: end user c-zed of
                              s-newyork at 2026-10-05T14:00:00Z (10:00 EDT), a DAR on 2026-10-05.
jobs/notebooks moves each into the input root when its step comes. The hand-worked effects are in
notebooks/README.md ("The demo warehouse").
"""
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import billing_notebook  # noqa: E402

PLAN_CHANGE = """
SELECT site_id, plan_id, effective_from,
       CASE WHEN site_id = 's-kolkata' THEN DATE'2026-10-16' ELSE effective_to END AS effective_to, intent_manager
FROM parquet.`{input}/site_plans`
UNION ALL
SELECT 's-kolkata', 'growth', DATE'2026-10-16', CAST(NULL AS DATE), false
"""

LATE_MESSAGE = """
SELECT 'ny-late-1' AS message_id, 's-newyork' AS site_id, 'conv-ny-8' AS conversation_id, 'c-zed' AS consumer_id,
       'CONSUMER' AS sender_role, CAST(NULL AS STRING) AS sender_id, 'WEB' AS channel,
       TIMESTAMP'2026-10-05 14:00:00' AS sent_at
"""


def write_one_file(spark, query: str, out: Path) -> None:
    """The query's rows as one Parquet file in `out` (instants as TIMESTAMP_MICROS, adjusted to UTC)."""
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    spark.sql(query).coalesce(1).write().mode("overwrite").parquet(str(out))
    for extra in out.iterdir():
        if not extra.name.endswith(".parquet"):
            extra.unlink()


def main(input_root: Path, staging: Path) -> None:
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    backend = billing_notebook._JPypeSpark()  # a plain script: the project's Spark, as the notebooks use here
    write_one_file(backend.session, PLAN_CHANGE.format(input=input_root.resolve()), staging / "site_plans")
    write_one_file(backend.session, LATE_MESSAGE, staging / "late-message")
    print(f"demo inputs staged in {staging}: site_plans/ (s-kolkata Starter -> Growth on 2026-10-16), late-message/")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        main(Path(sys.argv[1]), Path(sys.argv[2]))
    except billing_notebook.BillingNotebookError as e:
        sys.exit(f"demo_inputs: {e}")
