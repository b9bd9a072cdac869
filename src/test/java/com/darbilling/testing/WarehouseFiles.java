package com.darbilling.testing;

import com.darbilling.storage.WarehouseLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A local warehouse as its files: a refused run must leave it byte for byte. */
public final class WarehouseFiles {
    private WarehouseFiles() {
    }

    /**
     * Every file under {@code dir} (relative path) with the SHA-256 of its bytes; the lock's
     * generation files aside (a run refused under the lock takes and releases it: one generation
     * more, no content; WarehouseLock.holder says whether it is held).
     */
    public static Map<String, String> contents(Path dir) {
        Path lock = dir.resolve(WarehouseLock.DIR);
        return files(dir, f -> !f.startsWith(lock));
    }

    /** The lock's generation files with their hashes: a run that takes no lock leaves them as they were. */
    public static Map<String, String> lock(Path dir) {
        Path lock = dir.resolve(WarehouseLock.DIR);
        return Files.isDirectory(lock) ? files(dir, f -> f.startsWith(lock)) : Map.of();
    }

    private static Map<String, String> files(Path dir, java.util.function.Predicate<Path> which) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).filter(which).toList()) {
                files.put(dir.relativize(f).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(f))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }
}
