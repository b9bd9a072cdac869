package com.darbilling.storage;

import com.amazonaws.AmazonClientException;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.AmazonS3Exception;
import com.amazonaws.services.s3.model.ListObjectsV2Request;
import com.amazonaws.services.s3.model.ListObjectsV2Result;
import com.amazonaws.services.s3.model.ObjectMetadata;
import com.amazonaws.services.s3.model.PutObjectRequest;
import com.amazonaws.services.s3.model.S3Object;
import com.amazonaws.services.s3.model.S3ObjectSummary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.fs.s3a.S3AUtils;

/**
 * The lock on S3. S3A's {@code create(path, false)} is not atomic (two writers both "create" the
 * object, the last one wins) and its {@code setTimes} does nothing, so the lock uses S3's
 * conditional writes through the AWS SDK v1 client of S3A itself (same endpoint, credentials and
 * retries): {@code PUT} with {@code If-None-Match: *} creates a generation object (412 when it
 * exists), and the heartbeat rewrites it with a beat count inside, {@code If-Match} its last ETag,
 * so a run whose object was replaced or removed finds out instead of writing it again. The version
 * of an object is its ETag.
 */
final class S3Lock implements LockStore {
    private static final int PRECONDITION_FAILED = 412;
    /** S3 answers 409 to a conditional write racing another one on the same key. */
    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;

    private final AmazonS3 client;
    private final String bucket;
    private final String prefix;
    private final Path dir;
    /** The ETag of each generation object this process wrote last: the condition of its next heartbeat. */
    private final Map<Long, String> written = new ConcurrentHashMap<>();

    private S3Lock(AmazonS3 client, String bucket, String prefix, Path dir) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.dir = dir;
    }

    static S3Lock of(FileSystem fs, Path dir) {
        if (!(fs instanceof S3AFileSystem s3a)) {
            throw new IllegalArgumentException(dir + ": the s3a scheme is served by " + fs.getClass().getName()
                    + ", not Hadoop's S3AFileSystem: the lock cannot use S3's conditional writes");
        }
        return new S3Lock(sdkClient(s3a), s3a.getBucket(), s3a.pathToKey(dir) + "/", dir);
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
    public List<Entry> list() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try {
            ListObjectsV2Request request = new ListObjectsV2Request().withBucketName(bucket).withPrefix(prefix);
            ListObjectsV2Result page;
            do {
                page = client.listObjectsV2(request);
                for (S3ObjectSummary object : page.getObjectSummaries()) {
                    LockStore.generation(object.getKey().substring(prefix.length()))
                            .ifPresent(g -> entries.add(new Entry(g, unquoted(object.getETag()))));
                }
                request.setContinuationToken(page.getNextContinuationToken());
            } while (page.isTruncated());
        } catch (AmazonClientException e) {
            throw S3AUtils.translateException("list", dir, e);
        }
        return entries;
    }

    @Override
    public boolean create(long generation, String text) throws IOException {
        return put(generation, text, "If-None-Match", "*");
    }

    @Override
    public Optional<String> read(long generation) throws IOException {
        try (S3Object object = client.getObject(bucket, key(generation)); InputStream in = object.getObjectContent()) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (AmazonS3Exception e) {
            if (e.getStatusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw S3AUtils.translateException("read", dir, e);
        } catch (AmazonClientException e) {
            throw S3AUtils.translateException("read", dir, e);
        }
    }

    @Override
    public boolean touch(long generation, String text) throws IOException {
        String etag = written.get(generation);
        return etag != null && put(generation, text, "If-Match", "\"" + etag + "\"");
    }

    @Override
    public void delete(long generation) throws IOException {
        try {
            client.deleteObject(bucket, key(generation));
            written.remove(generation);
        } catch (AmazonClientException e) {
            throw S3AUtils.translateException("delete", dir, e);
        }
    }

    /** Writes a generation object on the condition; false when the store refused it (412; 409 for a racing write; 404 when gone). */
    private boolean put(long generation, String text, String condition, String value) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setContentLength(body.length);
        metadata.setContentType("text/plain; charset=utf-8");
        PutObjectRequest request = new PutObjectRequest(bucket, key(generation), new ByteArrayInputStream(body), metadata);
        request.putCustomRequestHeader(condition, value);
        try {
            written.put(generation, unquoted(client.putObject(request).getETag()));
            return true;
        } catch (AmazonS3Exception e) {
            // 404: the object an If-Match names is gone (a taker removed an old generation)
            if (e.getStatusCode() == PRECONDITION_FAILED || e.getStatusCode() == CONFLICT || e.getStatusCode() == NOT_FOUND) {
                return false;
            }
            throw S3AUtils.translateException("write", dir, e);
        } catch (AmazonClientException e) {
            throw S3AUtils.translateException("write", dir, e);
        }
    }

    private String key(long generation) {
        return prefix + LockStore.name(generation);
    }

    private static String unquoted(String etag) {
        return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() > 1 ? etag.substring(1, etag.length() - 1) : etag;
    }

    @Override
    public String where() {
        return dir.toString();
    }
}
