package com.darbilling.output;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** An output table: its name, the grain stated in its comment, its columns with comments, its layout. */
public record TableSpec(String name, String comment, StructType schema, List<String> partitionColumns,
                        List<String> keyColumns) {
}
