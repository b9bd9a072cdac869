package com.darbilling.storage;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.List;
import java.util.Objects;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.hadoop.security.AccessControlException;

/**
 * A store that could not be read or written: unreachable, refusing the credentials or the write, a
 * missing bucket. The message is one line naming the location and what the store answered, after
 * Hadoop's bounded retries (see README, "Running on object storage").
 */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the store answered that the bucket (or container, or file system) does not exist. */
    public boolean isMissingStore() {
        return ExceptionUtils.getThrowableList(getCause()).stream()
                .anyMatch(t -> t.getClass().getSimpleName().equals("UnknownStoreException"));
    }

    /**
     * What went wrong, for people: the kind of failure and the store's own answer (the innermost
     * cause, without the AWS SDK's request ids), else the first line of the exception.
     */
    static String describe(Throwable e) {
        List<Throwable> chain = ExceptionUtils.getThrowableList(e);
        Throwable root = chain.get(chain.size() - 1);
        String kind = chain.stream().map(StorageException::kind).filter(Objects::nonNull).findFirst().orElse(null);
        String answer = firstLine(root).replaceFirst(" \\(Service: .*", "");
        if (kind != null) {
            return kind + ": " + answer;
        }
        String line = firstLine(e);
        return line.contains(answer) ? line : line + " (" + answer + ")";
    }

    private static String kind(Throwable t) {
        if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
            return "the store is unreachable";
        }
        if (t instanceof AccessDeniedException || t instanceof AccessControlException) {
            return "access denied (credentials or permissions)";
        }
        if (t.getClass().getSimpleName().equals("UnknownStoreException")) {
            return "no such bucket or store";
        }
        return null;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getName();
        }
        return message.strip().lines().findFirst().orElse("");
    }
}
