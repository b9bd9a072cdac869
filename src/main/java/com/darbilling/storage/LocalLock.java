package com.darbilling.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

/** The lock on a local disk or a shared mount: a file created with O_EXCL, touched by the heartbeat. */
final class LocalLock implements LockStore {
    private final Path file;

    LocalLock(Path file) {
        this.file = file;
    }

    @Override
    public boolean create(String holder) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.writeString(Files.createFile(file), holder, StandardCharsets.UTF_8);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        }
    }

    @Override
    public Optional<Held> current() throws IOException {
        try {
            Instant touched = Files.getLastModifiedTime(file).toInstant();
            return Optional.of(new Held(read(), touched, touched.toString()));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    private String read() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(unreadable lock)";
        }
    }

    @Override
    public boolean replace(Held stale, String holder) throws IOException {
        Files.deleteIfExists(file);
        return create(holder);
    }

    @Override
    public void touch() throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    }

    @Override
    public void release() throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public String where() {
        return file.toString();
    }
}
