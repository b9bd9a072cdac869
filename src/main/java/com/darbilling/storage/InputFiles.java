package com.darbilling.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The input root as the job itself sees it, apart from Spark's reads: which directories exist and
 * which data files they hold, with size and modification time, through Hadoop's FileSystem of the
 * session's configuration (local disk, HDFS, S3 and the other stores alike).
 */
public final class InputFiles {
    /** A data file: its qualified path, bytes and modification time. */
    public record Listed(Path file, long size, Instant modifiedAt) {
    }

    private final Configuration hadoop;

    public InputFiles(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    public boolean isDirectory(Location dir) {
        try {
            return Stores.fileSystem(dir, hadoop).getFileStatus(dir.path()).isDirectory();
        } catch (FileNotFoundException absent) {
            return false;
        } catch (IOException e) {
            throw Stores.failure("cannot read", dir, e);
        }
    }

    /** The files Spark would read under {@code dir}: hidden files and folders ("_", ".") left out. */
    public List<Listed> dataFiles(Location dir) {
        List<Listed> files = new ArrayList<>();
        try {
            FileSystem fs = Stores.fileSystem(dir, hadoop);
            String root = fs.makeQualified(dir.path()).toUri().getPath();
            RemoteIterator<LocatedFileStatus> all = fs.listFiles(dir.path(), true);
            while (all.hasNext()) {
                FileStatus f = all.next();
                if (f.isFile() && visible(f.getPath().toUri().getPath(), root)) {
                    files.add(new Listed(f.getPath(), f.getLen(), Instant.ofEpochMilli(f.getModificationTime())));
                }
            }
        } catch (FileNotFoundException absent) {
            return List.of();
        } catch (IOException e) {
            throw Stores.failure("cannot list", dir, e);
        }
        return files;
    }

    /** Whether {@code dir} holds a file whose name ends with {@code suffix}, at any depth. */
    public boolean holdsFileEndingWith(Location dir, String suffix) {
        try {
            RemoteIterator<LocatedFileStatus> all = Stores.fileSystem(dir, hadoop).listFiles(dir.path(), true);
            while (all.hasNext()) {
                if (all.next().getPath().getName().endsWith(suffix)) {
                    return true;
                }
            }
            return false;
        } catch (FileNotFoundException absent) {
            return false;
        } catch (IOException e) {
            throw Stores.failure("cannot list", dir, e);
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

    /** Whether every name of {@code file}'s path below {@code root} is a data file's or folder's. */
    private static boolean visible(String file, String root) {
        String relative = file.startsWith(root) ? file.substring(root.length()) : file;
        for (String part : relative.split("/")) {
            if (!part.isEmpty() && !isDataFile(part)) {
                return false;
            }
        }
        return true;
    }
}
