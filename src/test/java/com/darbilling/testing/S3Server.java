package com.darbilling.testing;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * A real S3-compatible server for the tests: S3Proxy 4.1.0 (its jar with dependencies, copied to
 * target/s3proxy by Maven) in its own process on 127.0.0.1 and a free port, storing objects in a
 * folder under target/. In the Spark JVM its Jetty 12, Jackson and Guava would clash with Spark's.
 * One server per test JVM, started on first use and stopped when the JVM exits.
 */
public final class S3Server {
    public static final String ACCESS_KEY = "billing-test";
    public static final String SECRET_KEY = "billing-test-secret-0123456789";
    private static final Path JAR = Path.of("target/s3proxy/s3proxy.jar");
    private static S3Server shared;

    private final Process process;
    private final int port;
    private final AmazonS3 client;

    private S3Server(Process process, int port) {
        this.process = process;
        this.port = port;
        this.client = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint(), "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** The server of this JVM, started (about 2 s) on first use. */
    public static synchronized S3Server shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "s3proxy-stop"));
        }
        return shared;
    }

    private static S3Server start() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: Maven copies it in generate-test-resources (./mvnw test-compile)");
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path dir = Files.createDirectories(Path.of("target/s3proxy/run-" + port));
            Path data = Files.createDirectories(dir.resolve("data"));
            Path properties = Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                    ""));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-jar", JAR.toAbsolutePath().toString(), "--properties", properties.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("S3Proxy stopped: " + Files.readString(dir.resolve("s3proxy.log")));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return new S3Server(process, port);
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 60 s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A new empty bucket with a unique name starting with {@code prefix}. */
    public String newBucket(String prefix) {
        String bucket = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.createBucket(bucket);
        return bucket;
    }

    public AmazonS3 client() {
        return client;
    }

    /** S3A's settings for this server, as a session's Hadoop configuration takes them (without "spark.hadoop."). */
    public Map<String, String> s3aSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fs.s3a.endpoint", endpoint());
        s.put("fs.s3a.endpoint.region", "us-east-1");
        s.put("fs.s3a.path.style.access", "true");
        s.put("fs.s3a.connection.ssl.enabled", "false");
        s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        s.put("fs.s3a.access.key", ACCESS_KEY);
        s.put("fs.s3a.secret.key", SECRET_KEY);
        return s;
    }

    /** Points the S3A of {@code hadoop} (the tests' session's configuration) at this server. */
    public void configure(Configuration hadoop) {
        s3aSettings().forEach(hadoop::set);
    }

    /** The same settings as command-line arguments: --conf spark.hadoop.fs.s3a.x=v ... */
    public List<String> confArguments() {
        return s3aSettings().entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of("--conf", "spark.hadoop." + e.getKey() + "=" + e.getValue())).toList();
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
