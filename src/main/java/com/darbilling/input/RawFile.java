package com.darbilling.input;

import java.io.IOException;
import java.io.UncheckedIOException;
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
}
