package com.darbilling.run;

import com.darbilling.storage.StorageException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * What went wrong, in one line, from whatever a run threw. Spark wraps a failed task in layers
 * ("Job aborted due to stage failure ... Exception thrown in awaitResult ..."); the line names the
 * cause under them, and for a raw file Spark could not read, the file and what is wrong with it.
 */
public final class Failures {
    /** Spark's messages that name the file a task could not read. */
    private static final List<Pattern> FILE_ERRORS = List.of(
            Pattern.compile("Encountered error while reading file (\\S+?)\\. Details"),
            Pattern.compile("Could not read footer for file: (\\S+?)\\. "),
            Pattern.compile("File (\\S+) does not exist"),
            Pattern.compile("Parquet column cannot be converted in file (\\S+?)\\. "));

    private Failures() {
    }

    /** The raw file a failed Spark job could not read, when its error names one. */
    public static Optional<String> unreadableFile(Throwable failure) {
        for (Throwable t : chain(failure)) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            for (Pattern pattern : FILE_ERRORS) {
                Matcher m = pattern.matcher(message);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    /** The innermost message: what actually went wrong, first line only. */
    public static String rootCause(Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (int i = chain.size() - 1; i >= 0; i--) {
            String line = firstLine(chain.get(i));
            if (line != null && !isWrapper(line)) {
                return line;
            }
        }
        return failure.getClass().getName();
    }

    /**
     * One line for stderr and runs.error: the first message that is not one of Spark's wrappers,
     * followed by the innermost cause when that is another ("Failed to execute user defined function
     * ...: No space left on device"); for a file Spark could not read, the file and the innermost cause.
     */
    public static String oneLine(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof StorageException) {
                return t.getMessage();
            }
        }
        Optional<String> file = unreadableFile(failure);
        String root = rootCause(failure);
        if (file.isPresent()) {
            return "cannot read file " + file.get() + ": " + root;
        }
        for (Throwable t : chain(failure)) {
            String line = firstLine(t);
            if (line != null && !isWrapper(line)) {
                return line.equals(root) ? line : line + ": " + root;
            }
        }
        return root;
    }

    private static boolean isWrapper(String line) {
        return line.startsWith("Job aborted due to stage failure") || line.startsWith("Exception thrown in awaitResult")
                || line.isBlank();
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return null;
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.isEmpty() ? null : (line.endsWith(":") ? line.substring(0, line.length() - 1) : line);
    }

    /** The failure and its causes, outermost first (commons-lang3 stops at a cause seen before). */
    private static List<Throwable> chain(Throwable failure) {
        return ExceptionUtils.getThrowableList(failure);
    }
}
