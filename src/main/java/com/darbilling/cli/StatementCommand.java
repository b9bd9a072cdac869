package com.darbilling.cli;

import com.darbilling.statement.StatementException;
import com.darbilling.statement.Statements;
import com.darbilling.storage.Location;
import java.nio.file.Path;

/**
 * {@code statement --warehouse DIR --month YYYY-MM [--site ID] --out DIR}: usage statements from the
 * Delta tables. What cannot be stated (no such warehouse, month or site) is a usage error: exit 2,
 * one line, no output folder.
 */
final class StatementCommand {
    private StatementCommand() {
    }

    static int run(Command.Statement command, Invocation invocation) {
        Location warehouse = Checks.existingDirectory(command.warehouse(), "--warehouse", invocation.hadoop());
        Path out = command.out().toAbsolutePath();
        try {
            Statements.checkOut(out);
        } catch (StatementException e) {
            throw new UsageException(e.getMessage());
        }
        return invocation.withSpark("statement", spark -> {
            try {
                Statements.write(spark, warehouse, command.month(), command.site(), out, invocation.out());
                return Main.SUCCEEDED;
            } catch (StatementException e) {
                throw new UsageException(e.getMessage());
            }
        });
    }
}
