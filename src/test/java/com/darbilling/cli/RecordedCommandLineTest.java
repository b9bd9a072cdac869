package com.darbilling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.darbilling.session.SparkSessions;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The command line a run stores keeps no secret a --conf carried, under the redaction pattern Spark uses. No Spark. */
class RecordedCommandLineTest {
    private static final Pattern DEFAULTS = SparkSessions.redaction(Map.of());

    @Test
    void aSettingHoldingTheKeyOrAnotherSecretKeepsItsKeyOnly() {
        String[] args = {"reprocess", "--month", "2026-10", "--conf", "spark.executorEnv.BILLING_PSEUDONYM_KEY=key-0123456789abcdef",
            "--conf=spark.yarn.appMasterEnv.BILLING_PSEUDONYM_KEY=key-0123456789abcdef", "--conf", "spark.hadoop.fs.s3a.secret.key=s3-secret",
            "--conf", "spark.sql.shuffle.partitions=4", "--pseudonym-key-file", "/etc/billing/pseudonym.key"};
        assertEquals("reprocess --month 2026-10 --conf spark.executorEnv.BILLING_PSEUDONYM_KEY=*********(redacted) "
                + "--conf=spark.yarn.appMasterEnv.BILLING_PSEUDONYM_KEY=*********(redacted) --conf spark.hadoop.fs.s3a.secret.key=*********(redacted) "
                + "--conf spark.sql.shuffle.partitions=4 --pseudonym-key-file /etc/billing/pseudonym.key", RecordedCommandLine.of(args, DEFAULTS));
    }

    @Test
    void theRunsOwnPatternWins() {
        Pattern own = SparkSessions.redaction(Map.of("spark.redaction.regex", "(?i)partitions"));
        assertEquals("nightly --conf spark.sql.shuffle.partitions=*********(redacted)",
                RecordedCommandLine.of(new String[]{"nightly", "--conf", "spark.sql.shuffle.partitions=4"}, own));
    }
}
