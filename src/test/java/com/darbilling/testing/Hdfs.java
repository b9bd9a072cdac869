package com.darbilling.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS for the tests: a MiniDFSCluster (hadoop-client-minicluster, Spark's Hadoop version)
 * in this JVM, one NameNode and one DataNode on 127.0.0.1, its storage under target/. One per test
 * JVM, started on first use (about 14 s) and stopped when the JVM exits.
 */
public final class Hdfs {
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
            try {
                shared = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            MiniDFSCluster cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown, "minidfs-stop"));
            // The tests' writers: one DataNode holds one replica.
            TestSpark.session().sparkContext().hadoopConfiguration().setInt("dfs.replication", 1);
        }
        return "hdfs://127.0.0.1:" + shared.getNameNodePort();
    }
}
