package com.darbilling.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lock on HDFS: {@code create(path, overwrite = false)} is atomic in the NameNode, and the
 * heartbeat sets the file's modification time.
 */
final class HadoopLock implements LockStore {
    private final FileSystem fs;
    private final Path file;

    HadoopLock(FileSystem fs, Path file) {
        this.fs = fs;
        this.file = file;
    }

    @Override
    public boolean create(String holder) throws IOException {
        fs.mkdirs(file.getParent());
        try (OutputStream out = fs.create(file, false)) {
            out.write(holder.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        }
    }

    @Override
    public Optional<Held> current() throws IOException {
        try {
            FileStatus status = fs.getFileStatus(file);
            Instant touched = Instant.ofEpochMilli(status.getModificationTime());
            return Optional.of(new Held(read(), touched, touched.toString()));
        } catch (FileNotFoundException gone) {
            return Optional.empty();
        }
    }

    private String read() {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(unreadable lock)";
        }
    }

    @Override
    public boolean replace(Held stale, String holder) throws IOException {
        fs.delete(file, false);
        return create(holder);
    }

    @Override
    public void touch() throws IOException {
        fs.setTimes(file, System.currentTimeMillis(), -1);
    }

    @Override
    public void release() throws IOException {
        fs.delete(file, false);
    }

    @Override
    public String where() {
        return file.toString();
    }
}
