package com.darbilling.input;

import static org.apache.spark.sql.functions.regexp_replace;

import com.darbilling.contract.Inputs;
import com.darbilling.storage.Location;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/**
 * A raw input file: its table, its path as Spark names it, size and modification time.
 *
 * <p>The path is the one name of the file everywhere: the input_file column of the rows read from
 * it (quarantine.input_file), rejected_files.input_file, processed_files.path and a batch's files.
 * It is {@code file://} and the absolute path, characters a URI cannot hold quoted ({@code a b} is
 * {@code a%20b}, {@code %} is {@code %25}) and the others, non-ASCII included, as they are:
 * {@code file:///data/in b/é/x.parquet} is {@code file:///data/in%20b/é/x.parquet}. That is how
 * input_file_name() named it; Spark's {@code _metadata.file_path} writes the same file
 * {@code file:/data/in%20b/é/x.parquet}, which {@link #nameOf(Column)} brings to this form. A file
 * on another store is named as Hadoop's {@code Path.toUri().toString()} gives it, which is how
 * {@code _metadata.file_path} names it too ({@code s3a://bucket/in%20b/x.parquet}).
 */
public record RawFile(EventSource source, String path, long size, Instant modifiedAt) {
    private static final Pattern EVENT_DATE = Pattern.compile("/" + Inputs.EVENT_DATE + "=(\\d{4}-\\d{2}-\\d{2})/");

    /** The UTC date of the {@code event_date=} folder the file lies in; empty outside one. */
    public Optional<LocalDate> eventDate() {
        return eventDateOf(path);
    }

    public static Optional<LocalDate> eventDateOf(String path) {
        Matcher date = EVENT_DATE.matcher(path);
        return date.find() ? Optional.of(LocalDate.parse(date.group(1))) : Optional.empty();
    }

    /** The same file with the same size and modification time. */
    public boolean sameAs(RawFile other) {
        return other != null && path.equals(other.path) && size == other.size && modifiedAt.equals(other.modifiedAt);
    }

    /** The path without its scheme, the same whether Spark wrote it file:/x or file:///x. */
    public String location() {
        return locationOf(path);
    }

    public static String locationOf(String path) {
        return URI.create(path).normalize().getPath();
    }

    /**
     * The name of a file as Hadoop's FileSystem lists it: a local file as the class comment says, a
     * file on another store as Spark's {@code _metadata.file_path} names it ({@code s3a://bucket/in/x.parquet},
     * {@code hdfs://namenode:8020/in/x.parquet}, quoted the same way).
     */
    static String nameOf(org.apache.hadoop.fs.Path file) {
        URI uri = file.toUri();
        return Location.LOCAL.equals(uri.getScheme()) ? "file://" + uri.getRawPath() : uri.toString();
    }

    /** The name of the file each row was read from, from Spark's {@code _metadata.file_path}. */
    static Column nameOf(Column metadataFilePath) {
        return regexp_replace(metadataFilePath, "^file:/+", "file:///");
    }

    /**
     * The path to give Spark's and Hadoop's readers: they take a path string as it is, so
     * {@code a%20b} would name a folder called {@code a%20b}, not {@code a b}.
     */
    static String readable(String path) {
        return new org.apache.hadoop.fs.Path(URI.create(path)).toString();
    }
}
