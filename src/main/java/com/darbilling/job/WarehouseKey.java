package com.darbilling.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.darbilling.output.DeltaWriter;
import com.darbilling.output.LocalRows;
import com.darbilling.output.OutputTables;
import com.darbilling.output.StateTables;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.run.Refusal;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The pseudonym key a warehouse is written with, known by its fingerprint in {@code _billing_state}.
 * DARs are merged on the pseudonym, so a run with another key would bill every end user it sees
 * again under a second pseudonym: such a run is refused before it writes. The check is made under
 * the lock (a run's guard), so no other run can record a fingerprint between the check and the
 * record, and a warehouse the store refuses fails on its lock as before, with the store's answer.
 */
final class WarehouseKey {
    private final SparkSession spark;
    private final DeltaWriter writer;
    private final PseudonymKey key;
    private final PrintStream out;

    WarehouseKey(SparkSession spark, DeltaWriter writer, PseudonymKey key, PrintStream out) {
        this.spark = spark;
        this.writer = writer;
        this.key = key;
        this.out = out;
    }

    /** Refuses (exit 2) a key whose fingerprint differs from the one stored; a warehouse without one passes. */
    void check() {
        stored().filter(f -> !f.equals(key.fingerprint())).ifPresent(f -> {
            throw Refusal.cannotRun("the pseudonym key differs from the one warehouse " + writer.warehouse()
                    + " was written with (its key fingerprint is " + f.substring(0, 12) + "..., this key's "
                    + key.fingerprint().substring(0, 12) + "...): use that key; to move a warehouse to a new key, "
                    + "reprocess every month into a new warehouse with the new key");
        });
    }

    /**
     * After {@link #check}, under the same lock, before the run's first pseudonym: records this key's
     * fingerprint when the warehouse has none, a new warehouse or one written before fingerprints were
     * kept (which adopts this key: nothing in it tells which key it was written with).
     */
    void recordIfAbsent(String runId) {
        if (stored().isPresent()) {
            return;
        }
        boolean written = writer.exists(OutputTables.DAILY_ACTIVE_RELATIONSHIPS);
        writer.mergeNew(StateTables.KEY_FINGERPRINT, LocalRows.of(spark,
                List.of(RowFactory.create(PseudonymKey.FINGERPRINT_LABEL, key.fingerprint(), runId)), StateTables.KEY_FINGERPRINT.schema()),
                lit(true));
        if (written) {
            out.println("the warehouse had no pseudonym key fingerprint (written before fingerprints were kept): "
                    + "it adopts this run's key; later runs with another key are refused");
        }
    }

    private Optional<String> stored() {
        List<Row> rows = writer.read(StateTables.KEY_FINGERPRINT).where(col("label").equalTo(lit(PseudonymKey.FINGERPRINT_LABEL)))
                .select("fingerprint").collectAsList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getString(0));
    }
}
