package com.darbilling.storage;

import com.amazonaws.AmazonClientException;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.AmazonS3Exception;
import com.amazonaws.services.s3.model.ObjectMetadata;
import com.amazonaws.services.s3.model.PutObjectRequest;
import com.amazonaws.services.s3.model.S3Object;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.fs.s3a.S3AUtils;

/**
 * The lock on S3. S3A's {@code create(path, false)} is not atomic (two writers both "create" the
 * object, the last one wins) and its {@code setTimes} does nothing, so the lock uses S3's
 * conditional writes through the AWS SDK v1 client of S3A itself (same endpoint, credentials and
 * retries): {@code PUT} with {@code If-None-Match: *} creates it (412 when it exists), and the
 * heartbeat rewrites it with the time inside, {@code If-Match} its last ETag, so a run that lost the
 * lock to another finds out instead of overwriting it.
 */
final class S3Lock implements LockStore {
    private static final String ALIVE = "alive at ";
    private static final int PRECONDITION_FAILED = 412;
    /** S3 answers 409 to a conditional write racing another one on the same key. */
    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;

    private final AmazonS3 client;
    private final String bucket;
    private final String key;
    private final Path file;
    private String holder;
    private String etag;

    private S3Lock(AmazonS3 client, String bucket, String key, Path file) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.file = file;
    }

    static S3Lock of(FileSystem fs, Path file) {
        if (!(fs instanceof S3AFileSystem s3a)) {
            throw new IllegalArgumentException(file + ": the s3a scheme is served by " + fs.getClass().getName()
                    + ", not Hadoop's S3AFileSystem: the lock cannot use S3's conditional writes");
        }
        return new S3Lock(sdkClient(s3a), s3a.getBucket(), s3a.pathToKey(file), file);
    }

    /**
     * The AWS SDK v1 client S3A built from the session's fs.s3a.* settings (endpoint, credentials,
     * retries), the one place this code reaches into S3A. Its name says "testing", but it is S3A's own
     * client. On an upgrade to Hadoop 3.4 (AWS SDK v2) this method breaks: S3A 3.4 offers
     * {@code S3AFileSystem.getS3AInternals().getAmazonS3Client(reason)}, an SDK v2 {@code S3Client};
     * {@link #put} then sends If-None-Match / If-Match on its {@code PutObjectRequest} (as the SDK's
     * own fields where its version has them, else as override headers), and the 412 answer stays the signal.
     */
    private static AmazonS3 sdkClient(S3AFileSystem s3a) {
        return s3a.getAmazonS3ClientForTesting("warehouse lock");
    }

    @Override
    public boolean create(String holder) throws IOException {
        return put(holder, "If-None-Match", "*");
    }

    @Override
    public Optional<Held> current() throws IOException {
        try (S3Object object = client.getObject(bucket, key); InputStream in = object.getObjectContent()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(new Held(text.lines().findFirst().orElse("").strip(), alive(text, object.getObjectMetadata()),
                    object.getObjectMetadata().getETag()));
        } catch (AmazonS3Exception e) {
            if (e.getStatusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw S3AUtils.translateException("read", file, e);
        } catch (AmazonClientException e) {
            throw S3AUtils.translateException("read", file, e);
        }
    }

    /** The time the holder wrote inside; the object's Last-Modified when it has none. */
    private static Instant alive(String text, ObjectMetadata metadata) {
        return text.lines().filter(l -> l.startsWith(ALIVE)).findFirst().map(l -> {
            try {
                return Instant.parse(l.substring(ALIVE.length()).strip());
            } catch (DateTimeParseException e) {
                return null;
            }
        }).orElse(metadata.getLastModified() == null ? Instant.EPOCH : metadata.getLastModified().toInstant());
    }

    @Override
    public boolean replace(Held stale, String holder) throws IOException {
        return put(holder, "If-Match", quoted(stale.version()));
    }

    @Override
    public void touch() throws IOException {
        if (!put(holder, "If-Match", quoted(etag))) {
            throw new IOException("the lock " + where() + " was taken over by another run");
        }
    }

    @Override
    public void release() throws IOException {
        try {
            Optional<Held> now = current();
            if (now.isPresent() && now.get().version().equals(etag)) {
                client.deleteObject(bucket, key);
            }
        } catch (AmazonClientException e) {
            throw S3AUtils.translateException("delete", file, e);
        }
    }

    /** Writes the lock object on the condition; false when the store refused it (412, or 409 for a racing write). */
    private boolean put(String holder, String condition, String value) throws IOException {
        byte[] body = (holder + "\n" + ALIVE + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setContentLength(body.length);
        metadata.setContentType("text/plain; charset=utf-8");
        PutObjectRequest request = new PutObjectRequest(bucket, key, new ByteArrayInputStream(body), metadata);
        request.putCustomRequestHeader(condition, value);
        try {
            etag = client.putObject(request).getETag();
            this.holder = holder;
            return true;
        } catch (AmazonS3Exception e) {
            if (e.getStatusCode() == PRECONDITION_FAILED || e.getStatusCode() == CONFLICT) {
                return false;
            }
            throw S3AUtils.translateException("write", file, e);
        } catch (AmazonClientException e) {
            throw S3AUtils.translateException("write", file, e);
        }
    }

    private static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    @Override
    public String where() {
        return file.toString();
    }
}
