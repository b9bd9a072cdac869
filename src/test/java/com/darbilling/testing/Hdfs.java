package com.darbilling.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A real HDFS for the tests: a MiniDFSCluster (hadoop-client-minicluster, Spark's Hadoop version)
 * in this JVM, one NameNode and one DataNode on 127.0.0.1, its storage under target/. One per test
 * JVM, started on first use (about 14 s) and stopped when the JVM exits.
 *
 * <p>The cluster runs as the user {@value #SUPERUSER}, HDFS's superuser; the tests run as the JVM's
 * user, an ordinary HDFS user (also when the JVM runs as root, as CI does), so HDFS checks their
 * permissions. The root folder is open to all; {@link #asSuperuser} makes folders they may not write.
 */
public final class Hdfs {
    public static final String SUPERUSER = "hdfs";
    private static final UserGroupInformation HDFS_USER = UserGroupInformation.createRemoteUser(SUPERUSER);
    private static MiniDFSCluster shared;

    private Hdfs() {
    }

    /** The cluster's root, {@code hdfs://127.0.0.1:PORT}. */
    public static synchronized String root() {
        if (shared == null) {
            Configuration conf = new Configuration();
            // The default base folder is relative to the working directory and shared by every cluster.
            conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR,
                    Path.of("target/minidfs-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath().toString());
            conf.setInt("dfs.replication", 1);
            shared = asSuperuser(fs -> {
                MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
                cluster.getFileSystem().setPermission(new org.apache.hadoop.fs.Path("/"), new FsPermission((short) 0777));
                return cluster;
            });
            MiniDFSCluster cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown, "minidfs-stop"));
            // The tests' writers: one DataNode holds one replica.
            TestSpark.session().sparkContext().hadoopConfiguration().setInt("dfs.replication", 1);
        }
        return "hdfs://127.0.0.1:" + shared.getNameNodePort();
    }

    /** What the HDFS superuser does; {@code fs} is the cluster's file system as that user (null while it starts). */
    public static <T> T asSuperuser(Action<T> action) {
        try {
            return HDFS_USER.doAs((PrivilegedExceptionAction<T>) () -> action.run(shared == null ? null : shared.getFileSystem()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An action on the cluster's file system. */
    public interface Action<T> {
        T run(FileSystem fs) throws IOException;
    }
}
