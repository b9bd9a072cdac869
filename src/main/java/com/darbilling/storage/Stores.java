package com.darbilling.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Hadoop's FileSystem of a location, small reads, and storage errors in one line. */
public final class Stores {
    private Stores() {
    }

    public static FileSystem fileSystem(Location location, Configuration hadoop) throws IOException {
        return location.path().getFileSystem(hadoop);
    }

    /** A small text file (a plan catalog, a key file) read whole; FileNotFoundException when it is not a file. */
    public static String readText(Location file, Configuration hadoop) throws IOException {
        FileSystem fs = fileSystem(file, hadoop);
        if (!fs.getFileStatus(file.path()).isFile()) {
            throw new FileNotFoundException(file + " is not a file");
        }
        try (InputStream in = fs.open(file.path())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** "cannot list s3a://bucket/input/messages: <the store's answer, first line>". */
    public static StorageException failure(String what, Location location, IOException e) {
        return new StorageException(what + " " + location + ": " + StorageException.describe(e), e);
    }
}
