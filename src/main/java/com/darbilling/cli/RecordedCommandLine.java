package com.darbilling.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The command line as a run stores it (runs.arguments): a --conf setting whose text matches Spark's redaction
 * pattern (the pseudonym key in spark.executorEnv.BILLING_PSEUDONYM_KEY, an S3 secret key) keeps its key only,
 * as Spark shows it in its UI and event log.
 */
final class RecordedCommandLine {
    static final String REDACTED = "*********(redacted)";

    private RecordedCommandLine() {
    }

    static String of(String[] args, Pattern redaction) {
        List<String> recorded = new ArrayList<>();
        boolean setting = false;
        for (String arg : args) {
            if (setting) {
                recorded.add(redacted(arg, redaction));
                setting = false;
            } else if (arg.startsWith("--conf=")) {
                recorded.add("--conf=" + redacted(arg.substring("--conf=".length()), redaction));
            } else {
                recorded.add(arg);
                setting = arg.equals("--conf");
            }
        }
        return String.join(" ", recorded);
    }

    private static String redacted(String keyValue, Pattern redaction) {
        if (!redaction.matcher(keyValue).find()) {
            return keyValue;
        }
        int equals = keyValue.indexOf('=');
        return equals < 0 ? REDACTED : keyValue.substring(0, equals + 1) + REDACTED;
    }
}
