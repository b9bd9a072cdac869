package com.darbilling.job;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A billing month's usage, in the columns of its tables: DARs (daily_active_relationships), the
 * de-duplicated co-browse sessions and Function invocations, and the platform users (month state).
 * Either as a run computed it from raw files (written or not: a dry run writes none) or as the tables
 * hold it: rating reads the same columns from both.
 */
record MonthUsage(Dataset<Row> dars, Dataset<Row> sessions, Dataset<Row> invocations, Dataset<Row> platformUsers) {
}
