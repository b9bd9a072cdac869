"""Spark with Delta for the analysts' notebooks, and query results as exact pandas DataFrames.

    from billing_notebook import connect
    wh = connect()                       # BILLING_WAREHOUSE, else the project's ./warehouse
    wh.sql("SELECT site_id, sum(amount) FROM invoice_lines GROUP BY site_id")
    wh.table("invoice_lines", where="billing_month = '2026-10'", version=3)   # Delta time travel

Spark comes from PySpark with delta-spark when both import (an analyst's laptop, a cluster
notebook: an active session is reused); otherwise the project's own Spark and Delta are started
inside this Python process through JPype, from `target/classes` and `target/launcher-classpath.txt`
(`jobs/billing --help` builds them). BILLING_NOTEBOOK_SPARK=jpype or =pyspark forces one.

Every public table is a temporary view of the same name, so SQL reads
`FROM invoice_lines`. Results cross from Spark as JSON text and are typed from Spark's schema:
DECIMAL arrives as decimal.Decimal (never a float), DATE as datetime.date, TIMESTAMP as a pandas
UTC timestamp (milliseconds), BIGINT/INT as integers, MAP as dict, ARRAY as list.

A problem the analyst can fix (a warehouse path without the tables, a month without data, a
query Spark refuses) raises BillingNotebookError, which a notebook shows as one line; Spark's
own log goes to a file under target/notebook-logs/, not into the notebook.
"""
from __future__ import annotations

import datetime as _dt
import decimal
import hashlib
import hmac
import json
import os
import re
from pathlib import Path

import pandas as pd

PUBLIC_TABLES = ("daily_active_relationships", "credit_usage", "invoice_lines", "quarantine", "runs")
HOME = Path(os.environ.get("BILLING_HOME") or Path(__file__).resolve().parent.parent)
MAX_ROWS = 200_000
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _conf_lines(name: str) -> list[str]:
    """The lines of a file of jobs/conf, without comments and blank lines."""
    path = HOME / "jobs" / "conf" / name
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")]


# Spark 3.5 on Java 17 needs these: the project's one list (jobs/conf/java17.args, as jobs/billing and pom.xml use it).
_JAVA17_OPTIONS = _conf_lines("java17.args")

# The pipeline's Spark defaults (jobs/conf/spark-defaults.conf: Delta, session zone UTC), then small, local and
# quiet: two shuffle partitions for notebook-sized results, no UI.
SPARK_SETTINGS = {
    # The job's log store (the writer lock's fence) is left out: a notebook only reads, and PySpark does not have it.
    **{key: value for key, value in (line.split(None, 1) for line in _conf_lines("spark-defaults.conf"))
       if not key.startswith("spark.delta.logStore.")},
    "spark.sql.shuffle.partitions": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.databricks.delta.snapshotPartitions": "2",
}


class BillingNotebookError(Exception):
    """Something the analyst can fix; a notebook shows it as one line, without a stack trace."""


def connect(warehouse: str | os.PathLike | None = None, month: str | None = None) -> "Warehouse":
    """The warehouse at `warehouse` (else BILLING_WAREHOUSE, else the project's ./warehouse), checked.

    With `month` (YYYY-MM), also checks that the month has invoice lines there. A URI (`dbfs:/...`,
    `s3a://...`) is handed to Spark as it is, and its tables are checked by Spark.
    """
    location = str(warehouse or os.environ.get("BILLING_WAREHOUSE") or HOME / "warehouse")
    if month is not None and not _MONTH.match(str(month)):
        raise BillingNotebookError(f"month must be YYYY-MM, found {month!r}")
    if re.match(r"^[a-zA-Z][\w+.-]*:/", location):
        location = location.rstrip("/")
        spark = _start_spark()
        missing = [t for t in PUBLIC_TABLES if not _readable(spark, f"delta.`{location}/{t}`")]
    else:
        path = Path(location).expanduser().resolve()
        location = str(path)
        if not path.is_dir():
            raise BillingNotebookError(f"no warehouse at {path}: set BILLING_WAREHOUSE to the folder "
                                       "`jobs/billing reprocess --warehouse` wrote")
        missing = [t for t in PUBLIC_TABLES if not (path / t / "_delta_log").is_dir()]
    if missing:
        raise BillingNotebookError(f"{location} is not a billing warehouse: no Delta table {', '.join(missing)} "
                                   "(set BILLING_WAREHOUSE to the folder `jobs/billing reprocess --warehouse` wrote)")
    wh = Warehouse(location, _start_spark())
    if month is not None and month not in wh.months():
        known = ", ".join(wh.months()) or "none"
        raise BillingNotebookError(f"no invoice lines for month {month} in {location} (months there: {known})")
    return wh


def _readable(spark: "_Backend", table: str) -> bool:
    try:
        spark.run(f"SELECT * FROM {table} LIMIT 0", 0)
        return True
    except BillingNotebookError:
        return False


class Warehouse:
    """The public tables of one warehouse, as SQL views and pandas results."""

    def __init__(self, location: str, spark: "_Backend"):
        self.path = location  # a local folder (absolute) or a URI
        self._spark = spark
        for name in PUBLIC_TABLES:
            self._spark.run(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT * FROM {self.ref(name)}", 0)
        self._months = None

    @property
    def spark(self):
        """The SparkSession itself (PySpark's, or the Java one through JPype) for what sql() cannot do."""
        return self._spark.session

    @property
    def engine(self) -> str:
        return self._spark.description

    def ref(self, table: str, version: int | None = None) -> str:
        """SQL text naming a public table by path, at a Delta version when given (time travel)."""
        if table not in PUBLIC_TABLES:
            raise BillingNotebookError(f"unknown table {table!r}; the public tables are {', '.join(PUBLIC_TABLES)}")
        text = f"delta.`{self.path}/{table}`"
        return text if version is None else f"{text} VERSION AS OF {int(version)}"

    def sql(self, query: str, max_rows: int = MAX_ROWS) -> pd.DataFrame:
        """The query's rows as a pandas DataFrame (at most max_rows: aggregate in SQL, not in pandas)."""
        return self._spark.run(query, max_rows)

    def table(self, name: str, where: str | None = None, version: int | None = None,
              max_rows: int = MAX_ROWS) -> pd.DataFrame:
        """A public table's rows (those matching `where`), as they are now or at a Delta version."""
        query = f"SELECT * FROM {self.ref(name, version)}" + (f" WHERE {where}" if where else "")
        try:
            return self.sql(query, max_rows)
        except BillingNotebookError as e:
            if version is None:
                raise
            raise BillingNotebookError(time_travel_refused(str(e), name, version)) from None

    def check_site(self, site: str, month: str) -> None:
        """One line when the site has no invoice lines in the month."""
        found = self.sql(f"SELECT count(*) AS n FROM invoice_lines WHERE site_id = {quote(site)} "
                         f"AND billing_month = {quote(month)}")
        if found["n"][0] == 0:
            sites = self.sql(f"SELECT DISTINCT site_id FROM invoice_lines WHERE billing_month = {quote(month)} ORDER BY site_id")
            raise BillingNotebookError(f"site {site} has no invoice lines in {month} (sites there: "
                                       f"{', '.join(sites['site_id']) or 'none'})")

    def months(self) -> list[str]:
        """Billing months that have invoice lines, oldest first."""
        if self._months is None:
            rows = self.sql("SELECT DISTINCT billing_month FROM invoice_lines ORDER BY billing_month")
            self._months = list(rows["billing_month"])
        return list(self._months)

    def __repr__(self) -> str:
        return f"warehouse {self.path} ({self.engine}); months with invoice lines: {', '.join(self.months()) or 'none'}"


# ---------------------------------------------------------------------------------------------
# Parameters, pseudonyms, formatting


def time_travel_refused(error: str, table: str, version: int) -> str:
    """One plain line for a table version that time travel cannot read any more; `error` as it is otherwise.

    `jobs/billing maintain` removes the data files no version within its retention reads (VACUUM, 400 days by
    default), and Delta keeps a table's log for 400 days: an older version fails on a missing file or a missing
    log entry. Invoice versions do not depend on it: they are rows of the current table (invoice_version).
    """
    rows = ("invoice versions stay readable as rows of the current table (invoice_version)"
            if table == "invoice_lines" else "the current table keeps every row")
    if re.search(r"FileNotFound|FILE_NOT_EXIST|does not exist|DELTA_FILE_NOT_FOUND", error):
        return (f"{table} version {version} can no longer be read: `jobs/billing maintain` removed its files after the "
                f"warehouse's retention (time travel reaches back only that far); {rows}")
    if re.search(r"VERSION_NOT_FOUND|Cannot time travel|VersionNotFound", error, re.IGNORECASE):
        return (f"{table} has no version {version} any more (or not yet): Delta keeps a table's log for 400 days; "
                f"{rows}")
    return error


def parameter(name: str, default: str | None = None, purpose: str = "") -> str:
    """An environment variable the notebook needs, or one clear line saying which to set."""
    value = os.environ.get(name, default)
    if value is None or not value.strip():
        raise BillingNotebookError(f"set {name}" + (f" ({purpose})" if purpose else ""))
    return value.strip()


def pseudonym(site_id: str, consumer_id: str) -> str:
    """The pipeline's keyed pseudonym of an end user: hex(HMAC-SHA256(key, site_id + "\\n" + consumer_id)).

    The key is BILLING_PSEUDONYM_KEY (surrounding white space ignored), as for `jobs/billing pseudonym`.
    """
    key = os.environ.get("BILLING_PSEUDONYM_KEY", "").strip().encode("utf-8")
    if len(key) < 16:
        raise BillingNotebookError("set BILLING_PSEUDONYM_KEY to the warehouse's pseudonym key (16 bytes or more)"
                                   if not key else f"BILLING_PSEUDONYM_KEY has {len(key)} bytes; a key has 16 or more")
    message = f"{site_id}\n{consumer_id}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


def money(amount) -> str:
    """12,345.60 for a Decimal amount; an em dash for null (a line without a money amount)."""
    return "\u2014" if amount is None or amount is pd.NA else f"{decimal.Decimal(amount):,.2f}"


def quantity(value) -> str:
    """A quantity without trailing zeros: 2,101 and 420.2 (DECIMAL(18,4) keeps four places)."""
    if value is None or value is pd.NA:
        return "\u2014"
    text = f"{decimal.Decimal(value):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------------------------------------
# Results: JSON rows typed by Spark's schema


def _converter(spark_type):
    if isinstance(spark_type, str):
        if spark_type.startswith("decimal"):
            scale = int(re.match(r"decimal\((\d+),(\d+)\)", spark_type).group(2))
            quantum = decimal.Decimal(1).scaleb(-scale)
            return lambda v: None if v is None else decimal.Decimal(v).quantize(quantum)
        if spark_type in ("integer", "long", "short", "byte"):
            return lambda v: None if v is None else int(v)
        if spark_type in ("double", "float"):
            return lambda v: None if v is None else float(v)
        if spark_type == "date":
            return lambda v: None if v is None else _dt.date.fromisoformat(v)
    return lambda v: v


def to_pandas(schema_json: str, json_rows) -> pd.DataFrame:
    """Rows as Spark's toJSON() writes them (null fields left out), typed by the schema's JSON."""
    fields = json.loads(schema_json)["fields"]
    names = [f["name"] for f in fields]
    converters = [_converter(f["type"]) for f in fields]
    records = []
    for line in json_rows:
        # parse_float keeps every decimal digit Spark wrote; floats exist only for DOUBLE columns.
        row = json.loads(str(line), parse_float=decimal.Decimal)
        records.append([convert(row.get(name)) for name, convert in zip(names, converters)])
    frame = pd.DataFrame.from_records(records, columns=names)
    for f in fields:
        name, kind = f["name"], f["type"]
        if kind in ("integer", "long", "short", "byte"):
            frame[name] = frame[name].astype("int64" if frame[name].notna().all() else "Int64")
        elif kind in ("timestamp", "timestamp_ntz"):
            frame[name] = pd.to_datetime(frame[name], utc=kind == "timestamp")
        elif kind in ("double", "float"):
            frame[name] = frame[name].astype("float64")
    return frame


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    text = lines[0] if lines else "unknown error"
    text = re.sub(r"^(?:[a-z]\w*\.)+(\w+(?:Exception|Error)):\s*", "", text)
    return text if len(text) <= 400 else text[:397] + "..."


# ---------------------------------------------------------------------------------------------
# Spark: PySpark with delta-spark when installed, else the project's Spark through JPype


class _Backend:
    session = None
    description = ""

    def run(self, query: str, max_rows: int) -> pd.DataFrame:
        raise NotImplementedError


_BACKEND: _Backend | None = None


def _start_spark() -> _Backend:
    global _BACKEND
    if _BACKEND is None:
        wanted = os.environ.get("BILLING_NOTEBOOK_SPARK", "").lower()
        if wanted not in ("", "pyspark", "jpype"):
            raise BillingNotebookError(f"BILLING_NOTEBOOK_SPARK must be pyspark or jpype, found {wanted!r}")
        if wanted == "pyspark" or (wanted == "" and _pyspark_with_delta()):
            _BACKEND = _PySpark()
        else:
            _BACKEND = _JPypeSpark()
    return _BACKEND


def _pyspark_with_delta() -> bool:
    try:
        import delta  # noqa: F401  (delta-spark)
        import pyspark  # noqa: F401
        return True
    except ImportError:
        return False


class _PySpark(_Backend):
    def __init__(self):
        from pyspark.sql import SparkSession
        session = SparkSession.getActiveSession()
        if session is None:
            from delta import configure_spark_with_delta_pip
            builder = SparkSession.builder.appName("billing-notebook").master(
                os.environ.get("BILLING_NOTEBOOK_MASTER", "local[2]"))
            for key, value in SPARK_SETTINGS.items():
                builder = builder.config(key, value)
            session = configure_spark_with_delta_pip(builder).getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
        self.session = session
        self.description = f"PySpark {session.version}"

    def run(self, query, max_rows):
        try:
            frame = self.session.sql(query)
            rows = frame.limit(max_rows + 1).toJSON().collect() if max_rows else []
            schema = frame.schema.json()
        except Exception as e:  # pyspark's AnalysisException, Py4JJavaError, ...
            raise BillingNotebookError(f"Spark refused the query: {_one_line(e)}") from None
        return _checked(to_pandas(schema, rows), max_rows)


class _JPypeSpark(_Backend):
    def __init__(self):
        try:
            import jpype
        except ImportError:
            raise BillingNotebookError("neither PySpark with delta-spark nor JPype is installed here "
                                       "(Debian: apt-get install python3-jpype)") from None
        classes = HOME / "target" / "classes"
        classpath_file = HOME / "target" / "launcher-classpath.txt"
        if not classes.is_dir() or not classpath_file.is_file():
            raise BillingNotebookError(f"the project's Spark is not built in {HOME / 'target'}: "
                                       "run `jobs/billing --help` once (it builds it)")
        logs = HOME / "target" / "notebook-logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.log = logs / f"spark-{os.getpid()}.log"
        if not jpype.isJVMStarted():
            jpype.startJVM(*_JAVA17_OPTIONS,
                           f"-Dlog4j2.configurationFile={Path(__file__).resolve().parent / 'log4j2.properties'}",
                           f"-Dbilling.notebook.log={self.log}",
                           classpath=[_jpype_jar(), str(classes), *classpath_file.read_text().strip().split(os.pathsep)],
                           convertStrings=True)
        self._exception = jpype.JException
        spark_session = jpype.JClass("org.apache.spark.sql.SparkSession")
        builder = spark_session.builder().appName("billing-notebook").master(
            os.environ.get("BILLING_NOTEBOOK_MASTER", "local[2]"))
        for key, value in SPARK_SETTINGS.items():
            builder = builder.config(key, value)
        self.session = builder.getOrCreate()
        self.description = f"Spark {self.session.version()} of {HOME} through JPype"
        _install_one_line_errors(jpype.JException, self.log)

    def run(self, query, max_rows):
        try:
            frame = self.session.sql(query)
            rows = list(frame.limit(max_rows + 1).toJSON().collectAsList()) if max_rows else []
            schema = str(frame.schema().json())
        except self._exception as e:
            raise BillingNotebookError(f"Spark refused the query: {_one_line(e.getMessage())}") from None
        return _checked(to_pandas(schema, rows), max_rows)


def _checked(frame: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    if max_rows and len(frame) > max_rows:
        raise BillingNotebookError(f"the query returned more than {max_rows:,} rows: aggregate it in SQL "
                                   "(or pass max_rows=)")
    return frame


def _jpype_jar() -> str:
    """org.jpype.jar: JPype's Java half (Debian's python3-jpype puts it in /usr/share/java)."""
    import jpype
    candidates = [os.environ.get("BILLING_JPYPE_JAR", ""), "/usr/share/java/org.jpype.jar",
                  str(Path(jpype.__file__).resolve().parent.parent / "org.jpype.jar")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise BillingNotebookError("org.jpype.jar not found (Debian's python3-jpype installs /usr/share/java/org.jpype.jar; "
                               "elsewhere set BILLING_JPYPE_JAR)")


# ---------------------------------------------------------------------------------------------
# One line instead of a stack trace, in IPython and Jupyter


def _install_one_line_errors(java_exception=None, log=None):
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    kinds = (BillingNotebookError,) + ((java_exception,) if java_exception is not None else ())

    def one_line(shell, etype, value, tb, tb_offset=None):
        if issubclass(etype, BillingNotebookError):
            text = f"{etype.__name__}: {value}"
        else:  # a Java exception from direct use of the session: its first line, and where the log is
            text = f"{_one_line(str(value))} (Java exception; Spark's log: {log})"
        stb = [text]
        shell._showtraceback(etype, value, stb)
        return stb

    shell.set_custom_exc(kinds, one_line)


_install_one_line_errors()
