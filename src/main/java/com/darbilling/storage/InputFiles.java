package com.darbilling.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The input root as the job itself sees it, apart from Spark's reads: which directories exist and
 * which data files they hold, with size and modification time. The one place to change for input
 * on another file system.
 */
public final class InputFiles {
    /** A data file: its absolute path, bytes and modification time. */
    public record Listed(Path file, long size, Instant modifiedAt) {
    }

    private InputFiles() {
    }

    public static boolean isDirectory(Path dir) {
        return Files.isDirectory(dir);
    }

    /** The files Spark would read under {@code dir}: hidden files and folders ("_", ".") left out. */
    public static List<Listed> dataFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> visible(dir.relativize(f)))
                    .map(InputFiles::listed)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code dir} holds a file whose name ends with {@code suffix}, at any depth. */
    public static boolean holdsFileEndingWith(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
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

    private static boolean visible(Path relative) {
        for (Path part : relative) {
            if (!isDataFile(part.toString())) {
                return false;
            }
        }
        return true;
    }

    private static Listed listed(Path file) {
        try {
            return new Listed(file.toAbsolutePath().normalize(), Files.size(file), Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
