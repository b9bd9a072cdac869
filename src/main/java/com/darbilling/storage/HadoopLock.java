package com.darbilling.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lock on HDFS: a generation file is written whole under a temporary name and renamed to its
 * own, a rename the NameNode refuses atomically when the name exists; the heartbeat sets the file's
 * modification time.
 */
final class HadoopLock implements LockStore {
    private final FileSystem fs;
    private final Path dir;

    HadoopLock(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    @Override
    public List<Entry> list() throws IOException {
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(dir);
        } catch (FileNotFoundException none) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (FileStatus status : statuses) {
            LockStore.generation(status.getPath().getName())
                    .ifPresent(g -> entries.add(new Entry(g, Long.toString(status.getModificationTime()))));
        }
        return entries;
    }

    @Override
    public boolean create(long generation, String text) throws IOException {
        fs.mkdirs(dir);
        Path temporary = new Path(dir, ".tmp-" + UUID.randomUUID());
        try (OutputStream out = fs.create(temporary, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return fs.rename(temporary, file(generation));
        } finally {
            fs.delete(temporary, false);
        }
    }

    @Override
    public Optional<String> read(long generation) throws IOException {
        try (InputStream in = fs.open(file(generation))) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException gone) {
            return Optional.empty();
        }
    }

    @Override
    public boolean touch(long generation, String text) throws IOException {
        try {
            fs.setTimes(file(generation), System.currentTimeMillis(), -1);
            return true;
        } catch (FileNotFoundException gone) {
            return false;
        }
    }

    @Override
    public void delete(long generation) throws IOException {
        fs.delete(file(generation), false);
    }

    private Path file(long generation) {
        return new Path(dir, LockStore.name(generation));
    }

    @Override
    public String where() {
        return dir.toString();
    }
}
