package com.darbilling.storage;

import java.net.URI;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * A folder or file of the input root or the warehouse, on any store Hadoop's FileSystem reaches:
 * a local path ({@code data/input}, {@code /data/input}, {@code file:///data/input}) or a Hadoop URI
 * ({@code s3a://bucket/input}, {@code hdfs://namenode:8020/billing/warehouse}, {@code abfss://...},
 * {@code gs://...}). A path without a scheme is a local path, whatever the cluster's
 * {@code fs.defaultFS}: the same text names the same data on a laptop and under spark-submit.
 */
public record Location(Path path) {
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    public static final String LOCAL = "file";

    public Location {
        if (path.toUri().getScheme() == null) {
            throw new IllegalArgumentException("not a qualified location: " + path);
        }
    }

    /** A command line's value: a Hadoop URI when it has a scheme, else a local path made absolute. */
    public static Location of(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty path");
        }
        if (!SCHEME.matcher(text).matches()) {
            return of(java.nio.file.Path.of(text));
        }
        URI uri = new Path(text).toUri();
        if (uri.getScheme().equals(LOCAL)) {
            return of(java.nio.file.Path.of(uri.getPath()));
        }
        return new Location(new Path(uri.getScheme(), uri.getAuthority(), uri.getPath().isEmpty() ? "/" : uri.getPath()));
    }

    /** A local folder or file, made absolute. */
    public static Location of(java.nio.file.Path local) {
        return new Location(new Path(LOCAL, null, local.toAbsolutePath().normalize().toString()));
    }

    public String scheme() {
        return path.toUri().getScheme();
    }

    public boolean isLocal() {
        return scheme().equals(LOCAL);
    }

    /** The local path of a {@code file:} location. */
    public java.nio.file.Path localPath() {
        if (!isLocal()) {
            throw new IllegalStateException(this + " is not on the local file system");
        }
        return java.nio.file.Path.of(path.toUri().getPath());
    }

    /** The folder or file {@code child} (one name or a relative path with '/') below this one. */
    public Location resolve(String child) {
        return new Location(new Path(path, child));
    }

    /** The text to give Spark and Delta: a qualified Hadoop path ({@code file:/data/warehouse/runs}, {@code s3a://b/w/runs}). */
    public String forSpark() {
        return path.toString();
    }

    /** The location as people write it: a local path without its scheme, a URI otherwise. */
    @Override
    public String toString() {
        return isLocal() ? localPath().toString() : path.toString();
    }
}
