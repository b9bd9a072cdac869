package com.darbilling.input;

import java.net.URI;
import java.time.Instant;

/** A raw input file: its table, its path as Spark names it, size and modification time. */
public record RawFile(EventSource source, String path, long size, Instant modifiedAt) {
    /** The path without its scheme, the same whether Spark wrote it file:/x or file:///x. */
    public String location() {
        return locationOf(path);
    }

    public static String locationOf(String path) {
        return URI.create(path).normalize().getPath();
    }
}
