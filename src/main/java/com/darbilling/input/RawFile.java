package com.darbilling.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** A raw input file: its table, its path as Spark names it, size and modification time. */
public record RawFile(EventSource source, String path, long size, Instant modifiedAt) {
    static RawFile of(EventSource source, Path file) {
        try {
            return new RawFile(source, file.toUri().toString(), Files.size(file), Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether Spark reads a file of this name in a table directory: every file but the hidden ones
     * (names starting with "_" or "."), whatever its extension. Listing the same files as Spark means
     * a file without the .parquet extension is read (and rejected if it is not Parquet), not ignored.
     */
    static boolean isDataFile(String name) {
        return !name.startsWith("_") && !name.startsWith(".") && !name.endsWith("._COPYING_");
    }

    /** The path without its scheme, the same whether Spark wrote it file:/x or file:///x. */
    public String location() {
        return locationOf(path);
    }

    public static String locationOf(String path) {
        return URI.create(path).normalize().getPath();
    }
}
