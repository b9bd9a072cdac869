package com.darbilling.input;

import static com.darbilling.contract.Inputs.EFFECTIVE_FROM;
import static com.darbilling.contract.Inputs.EFFECTIVE_TO;
import static com.darbilling.contract.Inputs.INTENT_MANAGER;
import static com.darbilling.contract.Inputs.PLAN_ID;
import static com.darbilling.contract.Inputs.SITE_ID;
import static com.darbilling.contract.Inputs.TIME_ZONE;

import com.darbilling.contract.Inputs;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** An input table of reference data (spec section 3): small, unpartitioned, read whole and collected. */
public enum ReferenceTable {
    /** A site's zone from an instant on: the zone of an event is the row in force at its instant. */
    SITES(Inputs.SITES, new StructType()
            .add(SITE_ID, DataTypes.StringType)
            .add(TIME_ZONE, DataTypes.StringType)
            .add(EFFECTIVE_FROM, DataTypes.TimestampType)),
    /** A site's plan from effective_from (included; null = since always) to effective_to (excluded, R8; null = open), in local dates. */
    SITE_PLANS(Inputs.SITE_PLANS, new StructType()
            .add(SITE_ID, DataTypes.StringType)
            .add(PLAN_ID, DataTypes.StringType)
            .add(EFFECTIVE_FROM, DataTypes.DateType)
            .add(EFFECTIVE_TO, DataTypes.DateType)
            .add(INTENT_MANAGER, DataTypes.BooleanType));

    private final String table;
    private final StructType schema;

    ReferenceTable(String table, StructType schema) {
        this.table = table;
        this.schema = schema;
    }

    /** Directory name under the input root. */
    public String table() {
        return table;
    }

    /** The contract columns, in the contract's types. */
    public StructType schema() {
        return schema;
    }
}
