"""Airflow DAG: the dar-billing nightly run, and a monthly close on the 5th.

Assumes: Airflow 2.x with apache-airflow-providers-apache-spark; a Spark connection `spark_billing` whose host
is the master (yarn, spark://host:7077 or k8s://...) and whose extra sets the deploy mode; the application jar
(target/dar-billing-*-app.jar) copied to /opt/dar-billing/dar-billing-app.jar on the Airflow workers; the
pseudonym key in a file on the cluster's storage that only the job's user can read (KEY_FILE below: HDFS with
`hdfs dfs -chmod 600`, an S3 object only the job's role may read, or a mode-600 file on the shared mount), read by the
driver wherever it runs; jobs/conf/spark-defaults.conf copied beside this DAG file
(the Spark settings every run needs, the file the application and jobs/spark-submit-billing read); the driver's and the
executors' JVM zone set to UTC by appending -Duser.timezone=UTC to the extraJavaOptions of the worker's Spark installation
($SPARK_CONF_DIR or $SPARK_HOME/conf). Only one run may write a warehouse at a time:
max_active_runs=1 here, and the job's own lock refuses a second writer anyway.

The key never passes through Airflow: given as env_vars, SparkSubmitHook turns it into
spark.yarn.appMasterEnv.BILLING_PSEUDONYM_KEY or spark.kubernetes.driverEnv.BILLING_PSEUDONYM_KEY on the spark-submit
command line in cluster mode, which the task log prints (its masking knows only "secret" and "password" names), and a
templated variable shows in the task's rendered template unless Airflow's masker knows its name. (Spark itself redacts
such settings: spark.redaction.regex in spark-defaults.conf.) On Kubernetes a secret may replace the file: drop
--pseudonym-key-file and add "spark.kubernetes.driver.secretKeyRef.BILLING_PSEUDONYM_KEY": "<secret>:<key>" to CONF;
the executors never need the key (it reaches them inside the serialized task).

Exit codes of the job: 0 done; 1 failed (runs.status FAILED, one line on stderr); 2 a command line that cannot run;
3 (nightly) everything readable billed, some raw files set aside (runs.status PARTIAL, table rejected_files). Any
non-zero exit fails the task and alerts. The nightly task is not retried: a retry an hour later would meet the same
bad file, and every nightly run picks up whatever the last one did not bill, so the next night catches up by itself.
In cluster deploy mode spark-submit may not pass the driver's exit code on: watch runs.status there.
"""
import os
import re
from datetime import datetime
from pathlib import Path

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/dar-billing/dar-billing-app.jar"
INPUT = "/mnt/billing/raw"  # a path every node mounts (README, Running on a cluster)
WAREHOUSE = "/mnt/billing/warehouse"
KEY_FILE = "hdfs:///user/billing/secrets/pseudonym.key"  # owner-only; s3a://... or a shared-mount path work too


def spark_defaults(path):
    """The "key value" lines of a spark-defaults.conf ("key=value" too, as Java properties allow), comments and blank
    lines skipped."""
    settings = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = (re.split(r"\s*[=:\s]\s*", line.strip(), maxsplit=1) + [""])[:2]
            settings[key] = value.strip()
    return settings


DEFAULTS = Path(__file__).with_name("spark-defaults.conf")
if not DEFAULTS.exists():  # in the repository: jobs/airflow/ beside jobs/conf/
    DEFAULTS = Path(__file__).resolve().parent.parent / "conf" / "spark-defaults.conf"
# The Spark installation's own settings on this worker (what spark-submit reads besides our --conf).
CLUSTER_DEFAULTS = Path(os.environ.get("SPARK_CONF_DIR") or Path(os.environ.get("SPARK_HOME", "/opt/spark")) / "conf") / "spark-defaults.conf"


def with_utc_zone(key):
    """The JVM zone UTC on the driver and executors (Delta 3.3 rebuilds a table's state on every commit when the
    driver's JVM zone is not UTC; README, "Running on a cluster"): appended to the cluster's own extraJavaOptions,
    which a conf of the same key would otherwise replace."""
    cluster = spark_defaults(CLUSTER_DEFAULTS) if CLUSTER_DEFAULTS.exists() else {}
    return " ".join(filter(None, [cluster.get(key, ""), "-Duser.timezone=UTC"]))


CONF = {**spark_defaults(DEFAULTS), "spark.sql.shuffle.partitions": "64", "spark.eventLog.enabled": "true",
        "spark.driver.extraJavaOptions": with_utc_zone("spark.driver.extraJavaOptions"),
        "spark.executor.extraJavaOptions": with_utc_zone("spark.executor.extraJavaOptions")}


def billing_task(task_id, application_args, **kwargs):
    """One dar-billing command submitted to the cluster."""
    return SparkSubmitOperator(task_id=task_id, conn_id="spark_billing", application=JAR, java_class="com.darbilling.cli.Main",
                               conf=CONF, application_args=application_args, **kwargs)


with DAG(
    dag_id="dar_billing_nightly",
    start_date=datetime(2026, 11, 1),
    schedule="30 2 * * *",
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 0, "email_on_failure": True},
) as dag:
    billing_task("nightly", ["nightly", "--input", INPUT, "--warehouse", WAREHOUSE, "--pseudonym-key-file", KEY_FILE])

with DAG(
    dag_id="dar_billing_close_month",
    start_date=datetime(2026, 11, 1),
    schedule="0 6 5 * *",
    catchup=False,
    max_active_runs=1,
) as close_dag:
    billing_task("close_previous_month", ["close", "--warehouse", WAREHOUSE, "--month",
                                          "{{ (data_interval_start - macros.dateutil.relativedelta.relativedelta(months=1)).strftime('%Y-%m') }}"])
