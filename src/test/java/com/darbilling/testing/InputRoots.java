package com.darbilling.testing;

import com.darbilling.contract.Inputs;
import com.darbilling.input.EventSource;
import com.darbilling.input.ReferenceTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Writes small input roots in the spec's layout. */
public final class InputRoots {
    public static final StructType SITES = ReferenceTable.SITES.schema();
    public static final StructType SITE_PLANS = ReferenceTable.SITE_PLANS.schema();

    private InputRoots() {
    }

    /** An input root with the given messages, one zone row and one plan row per site, no other usage. */
    public static Path withMessages(Path root, List<Row> messages, List<Row> sites, List<Row> plans) {
        write(root.resolve(Inputs.SITES), TestSpark.session().createDataFrame(sites, SITES), false);
        write(root.resolve(Inputs.SITE_PLANS), TestSpark.session().createDataFrame(plans, SITE_PLANS), false);
        write(root.resolve(Inputs.MESSAGES), TestSpark.session().createDataFrame(messages,
                EventSource.MESSAGES.schema().add(Inputs.EVENT_DATE, DataTypes.DateType)), true);
        try {
            Files.createDirectories(root.resolve(Inputs.COBROWSE_SESSIONS));
            Files.createDirectories(root.resolve(Inputs.FUNCTION_INVOCATIONS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /** Adds a late file of messages into their event_date partitions, next to the files already there. */
    public static void appendMessages(Path root, List<Row> messages) {
        TestSpark.session().createDataFrame(messages, EventSource.MESSAGES.schema().add(Inputs.EVENT_DATE, DataTypes.DateType))
                .coalesce(1).write().mode(SaveMode.Append).partitionBy(Inputs.EVENT_DATE).parquet(root.resolve(Inputs.MESSAGES).toString());
    }

    /**
     * Adds a file of co-browse sessions or Function invocations (these into their event_date
     * partitions, the UTC date of invoked_at) next to the files already there.
     */
    public static void appendEvents(Path root, EventSource source, List<Row> rows) {
        if (source == EventSource.FUNCTION_INVOCATIONS) {
            List<Row> withDate = rows.stream().map(r -> RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3),
                    LocalDate.ofInstant(r.<Instant>getAs(3), java.time.ZoneOffset.UTC))).toList();
            TestSpark.session().createDataFrame(withDate, source.schema().add(Inputs.EVENT_DATE, DataTypes.DateType)).coalesce(1).write()
                    .mode(SaveMode.Append).partitionBy(Inputs.EVENT_DATE).parquet(root.resolve(source.table()).toString());
        } else {
            TestSpark.session().createDataFrame(rows, source.schema()).coalesce(1).write().mode(SaveMode.Append)
                    .parquet(root.resolve(source.table()).toString());
        }
    }

    /**
     * One zone row and one plan row (site s, UTC, Starter) under an input root on any store: the
     * reference data a run needs before it gets anywhere (an empty sites/ or site_plans/ is refused).
     */
    public static void writeReferenceOnly(String root) {
        TestSpark.session().createDataFrame(List.of(site("s", "UTC")), SITES).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(root + "/" + Inputs.SITES);
        TestSpark.session().createDataFrame(List.of(plan("s", "starter", null, null)), SITE_PLANS).coalesce(1).write()
                .mode(SaveMode.Overwrite).parquet(root + "/" + Inputs.SITE_PLANS);
    }

    /** Adds a file of zone rows to sites/, next to the files already there (a late reference export). */
    public static void appendSites(Path root, List<Row> sites) {
        TestSpark.session().createDataFrame(sites, SITES).coalesce(1).write().mode(SaveMode.Append).parquet(root.resolve(Inputs.SITES).toString());
    }

    public static void replaceSites(Path root, List<Row> sites) {
        write(root.resolve(Inputs.SITES), TestSpark.session().createDataFrame(sites, SITES), false);
    }

    public static void replacePlans(Path root, List<Row> plans) {
        write(root.resolve(Inputs.SITE_PLANS), TestSpark.session().createDataFrame(plans, SITE_PLANS), false);
    }

    public static Row site(String site, String zone) {
        return RowFactory.create(site, zone, null);
    }

    public static Row plan(String site, String plan, String from, String to) {
        return plan(site, plan, from, to, false);
    }

    public static Row plan(String site, String plan, String from, String to, boolean intentManager) {
        return RowFactory.create(site, plan, from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to),
                intentManager);
    }

    public static void write(Path dir, Dataset<Row> rows, boolean partitioned) {
        if (partitioned) {
            rows.coalesce(1).write().mode(SaveMode.Overwrite).partitionBy(Inputs.EVENT_DATE).parquet(dir.toString());
        } else {
            rows.coalesce(1).write().mode(SaveMode.Overwrite).parquet(dir.toString());
        }
    }

    public static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
