package com.darbilling.cli;

import com.darbilling.session.SparkSessions;
import com.darbilling.statement.StatementException;
import com.darbilling.statement.Statements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@code statement --warehouse DIR --month YYYY-MM [--site ID] --out DIR}: usage statements from the
 * Delta tables. What cannot be stated (no such warehouse, month or site) is a usage error: exit 2,
 * one line, no output folder.
 */
final class StatementCommand {
    private StatementCommand() {
    }

    static int run(CliOptions o, Map<String, String> settings) {
        YearMonth month;
        try {
            month = YearMonth.parse(o.month);
        } catch (DateTimeParseException e) {
            throw new UsageException("--month expects YYYY-MM, found '" + o.month + "'");
        }
        Path warehouse = Path.of(o.warehouse).toAbsolutePath();
        if (!Files.isDirectory(warehouse)) {
            throw new UsageException("--warehouse: " + warehouse + " does not exist or is not a directory");
        }
        Path out = Path.of(o.out).toAbsolutePath();
        try {
            Statements.checkOut(out);
        } catch (StatementException e) {
            throw new UsageException(e.getMessage());
        }
        // Stop only a session this command started (an embedding program, or a test, may share its own).
        boolean started = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessions.create("dar-billing statement", settings);
        try {
            Statements.write(spark, warehouse, month, Optional.ofNullable(o.site), out, System.out);
            return 0;
        } catch (StatementException e) {
            throw new UsageException(e.getMessage());
        } finally {
            if (started) {
                spark.stop();
            }
        }
    }
}
