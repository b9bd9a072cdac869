"""Unit tests of the notebooks' helpers, without Spark: hand-written inputs, hand-worked results.

    /usr/bin/python3 -m unittest discover -s notebooks/tools -p 'test_*.py'
"""
import datetime as dt
import os
import sys
import unittest
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import billing_notebook as bn  # noqa: E402
import billing_plans  # noqa: E402
import sample_figures  # noqa: E402

SCHEMA = """{"type":"struct","fields":[
 {"name":"site_id","type":"string","nullable":false,"metadata":{}},
 {"name":"quantity","type":"decimal(18,4)","nullable":false,"metadata":{}},
 {"name":"amount","type":"decimal(18,2)","nullable":true,"metadata":{}},
 {"name":"version","type":"integer","nullable":true,"metadata":{}},
 {"name":"dars","type":"long","nullable":false,"metadata":{}},
 {"name":"local_date","type":"date","nullable":true,"metadata":{}},
 {"name":"started_at","type":"timestamp","nullable":true,"metadata":{}},
 {"name":"table_versions","type":{"type":"map","keyType":"string","valueType":"long","valueContainsNull":true},
  "nullable":true,"metadata":{}}]}"""

# As Spark's toJSON writes them: null fields left out, decimals with their scale.
ROWS = ['{"site_id":"s-kolkata","quantity":2101.0000,"amount":78.00,"version":1,"dars":2101,'
        '"local_date":"2026-10-12","started_at":"2026-11-29T16:59:37.952Z","table_versions":{"invoice_lines":2}}',
        '{"site_id":"s-london","quantity":1.4000,"dars":7}']


class ToPandasTest(unittest.TestCase):
    def setUp(self):
        self.frame = bn.to_pandas(SCHEMA, ROWS)

    def test_decimals_stay_exact_with_their_scale(self):
        self.assertEqual(list(map(str, self.frame.quantity)), ["2101.0000", "1.4000"])
        self.assertIsInstance(self.frame.amount[0], Decimal)
        self.assertEqual(str(self.frame.amount[0]), "78.00")
        self.assertIsNone(self.frame.amount[1])
        self.assertEqual(sum(self.frame.quantity, Decimal(0)), Decimal("2102.4"))

    def test_integers_dates_timestamps_maps(self):
        self.assertEqual(str(self.frame.version.dtype), "Int64")  # a null among them
        self.assertEqual(str(self.frame.dars.dtype), "int64")
        self.assertEqual(self.frame.local_date[0], dt.date(2026, 10, 12))
        self.assertEqual(str(self.frame.started_at[0]), "2026-11-29 16:59:37.952000+00:00")
        self.assertEqual(self.frame.table_versions[0], {"invoice_lines": 2})

    def test_an_empty_result_keeps_its_columns(self):
        self.assertEqual(list(bn.to_pandas(SCHEMA, []).columns)[:3], ["site_id", "quantity", "amount"])


class FormatsTest(unittest.TestCase):
    def test_money_and_quantities(self):
        self.assertEqual(bn.money(Decimal("1234.5")), "1,234.50")
        self.assertEqual(bn.money(None), "\u2014")
        self.assertEqual(bn.quantity(Decimal("2101.0000")), "2,101")
        self.assertEqual(bn.quantity(Decimal("420.2000")), "420.2")
        self.assertEqual(bn.quantity(Decimal("-1032.0000")), "-1,032")

    def test_sql_literal(self):
        self.assertEqual(bn.quote("it's"), "'it\\'s'")

    def test_first_line_of_a_java_message(self):
        message = ("org.apache.spark.sql.AnalysisException: [PATH_NOT_FOUND] Path does not exist: /x.\n"
                   "\tat org.apache.spark.sql.errors.QueryCompilationErrors$.dataPathNotExistError(...)")
        self.assertEqual(bn._one_line(message), "[PATH_NOT_FOUND] Path does not exist: /x.")


class TimeTravelTest(unittest.TestCase):
    # Spark's answer to `invoice_lines VERSION AS OF 2` once maintain removed that version's files (MaintainTest's shape),
    # as _one_line leaves it.
    VACUUMED = ("Spark refused the query: Job aborted due to stage failure: Task 0 in stage 2298.0 failed 1 times, most recent "
                "failure: Lost task 0.0 in stage 2298.0 (TID 1280) (192.0.2.2 executor driver): "
                "org.apache.spark.SparkFileNotFoundException: File file:/w/invoice_lines/billing_month=2026-10/"
                "part-00000-fbf8b050.c000.snappy.parquet does not exist")

    def test_a_vacuumed_version_is_named_plainly(self):
        self.assertEqual(bn.time_travel_refused(self.VACUUMED, "invoice_lines", 2),
                         "invoice_lines version 2 can no longer be read: `jobs/billing maintain` removed its files after the "
                         "warehouse's retention (time travel reaches back only that far); invoice versions stay readable as "
                         "rows of the current table (invoice_version)")

    def test_a_version_past_the_log_is_named_too(self):
        error = ("Spark refused the query: [DELTA_VERSION_NOT_CONTIGUOUS] ... Cannot time travel Delta table to version 9. "
                 "Available versions: [0, 5].")
        self.assertTrue(bn.time_travel_refused(error, "runs", 9).startswith("runs has no version 9 any more (or not yet)"))

    def test_any_other_refusal_is_left_as_it_is(self):
        error = "Spark refused the query: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column cannot be resolved"
        self.assertEqual(bn.time_travel_refused(error, "invoice_lines", 2), error)


class PseudonymTest(unittest.TestCase):
    def test_the_pipeline_pseudonym(self):
        # printf 's-newyork\nc-cat' | openssl dgst -sha256 -hmac dar-billing-DEMO-key-public-never-use-for-real-data
        os.environ["BILLING_PSEUDONYM_KEY"] = " dar-billing-DEMO-key-public-never-use-for-real-data\n"
        try:
            self.assertEqual(bn.pseudonym("s-newyork", "c-cat"),
                             "26df5d8b0c8d7b5681384d27706e3a17ba4a11a406bae847034ffe1fca6fd343")
            os.environ["BILLING_PSEUDONYM_KEY"] = "too-short"
            with self.assertRaisesRegex(bn.BillingNotebookError, "9 bytes"):
                bn.pseudonym("s-newyork", "c-cat")
        finally:
            del os.environ["BILLING_PSEUDONYM_KEY"]


class PlansTest(unittest.TestCase):
    def test_prorated_allowances_of_the_spec_and_the_sample(self):
        self.assertEqual(billing_plans.prorated(2000, 29, 30), 1933)   # spec R8
        self.assertEqual(billing_plans.prorated(2000, 20, 31), 1290)   # s-mover
        self.assertEqual(billing_plans.prorated(2000, 15, 31), 968)    # s-upgrade, s-kolkata in the demo
        self.assertEqual(billing_plans.prorated(5000, 16, 31), 2581)   # Growth, 16 days
        self.assertEqual(billing_plans.prorated(2000, 31, 31), 2000)

    def test_the_card_of_a_month(self):
        cards = billing_plans.catalog(bn.HOME / "data-samples" / "plan-catalog.json")
        self.assertEqual(billing_plans.card(cards, "growth", "2026-10")["credit_price"], Decimal("0.10"))
        with self.assertRaises(bn.BillingNotebookError):
            billing_plans.card(cards, "growth", "2025-12")


class SampleFiguresTest(unittest.TestCase):
    def test_the_readme_tables(self):
        dars = {r["site_id"]: sample_figures.number(r["dars"]) for r in sample_figures.table("Expected DARs per site, 2026-10")}
        self.assertEqual(dars["s-kolkata"], Decimal(2101))
        lines = sample_figures.table("Expected invoice lines, 2026-10")
        self.assertEqual(len(lines), 50)
        self.assertIsNone(lines[0]["unit_price"])


if __name__ == "__main__":
    unittest.main()
