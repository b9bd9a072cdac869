package com.darbilling.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The lock on a local disk or a shared mount: a generation file is written whole under a temporary
 * name and published with a hard link, which fails when the name exists (atomic, also on NFS); the
 * heartbeat sets its modification time.
 */
final class LocalLock implements LockStore {
    private final Path dir;

    LocalLock(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<Entry> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Optional<Long> generation = LockStore.generation(file.getFileName().toString());
                if (generation.isPresent()) {
                    try {
                        entries.add(new Entry(generation.get(), Files.getLastModifiedTime(file).toInstant().toString()));
                    } catch (NoSuchFileException gone) {
                        // deleted between the listing and its time: not there
                    }
                }
            }
        }
        return entries;
    }

    @Override
    public boolean create(long generation, String text) throws IOException {
        Files.createDirectories(dir);
        Path temporary = dir.resolve(".tmp-" + UUID.randomUUID());
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        try {
            Files.createLink(dir.resolve(LockStore.name(generation)), temporary);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public Optional<String> read(long generation) throws IOException {
        try {
            return Optional.of(Files.readString(dir.resolve(LockStore.name(generation)), StandardCharsets.UTF_8));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    @Override
    public boolean touch(long generation, String text) throws IOException {
        try {
            Files.setLastModifiedTime(dir.resolve(LockStore.name(generation)), FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    @Override
    public void delete(long generation) throws IOException {
        Files.deleteIfExists(dir.resolve(LockStore.name(generation)));
    }

    @Override
    public String where() {
        return dir.toString();
    }
}
