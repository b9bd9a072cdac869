package com.darbilling.cli;

import com.darbilling.contract.RunStatus;

import com.darbilling.job.MonthClose;
import com.darbilling.job.WarehouseMaintenance;
import com.darbilling.output.DeltaWriter;
import com.darbilling.privacy.PseudonymKey;
import com.darbilling.report.InvoiceReport;
import com.darbilling.run.RunRecord;
import com.darbilling.storage.Location;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * One command of jobs/billing with its parsed options. A command checks what it needs (folders,
 * catalog, key) before Spark starts, then runs; {@link #run} is each command's branch of the dispatch,
 * so the compiler sees every command handled.
 */
sealed interface Command permits Command.Reprocess, Command.Nightly, Command.Close, Command.Maintain, Command.Statement,
        Command.Demo, Command.Pseudonym {

    /** Runs the command; returns the exit code. */
    int run(Invocation invocation);

    /** @param dryRun compute the month and print how its invoices would change, writing nothing (no lock either) */
    record Reprocess(Location input, Location warehouse, YearMonth month, Optional<Instant> asOf, Optional<Location> plans,
                     Optional<Location> keyFile, boolean dryRun) implements Command {
        static final Reprocess NEW = new Reprocess(null, null, null, Optional.empty(), Optional.empty(), Optional.empty(), false);

        Reprocess withInput(Location v) {
            return new Reprocess(v, warehouse, month, asOf, plans, keyFile, dryRun);
        }

        Reprocess withWarehouse(Location v) {
            return new Reprocess(input, v, month, asOf, plans, keyFile, dryRun);
        }

        Reprocess withMonth(YearMonth v) {
            return new Reprocess(input, warehouse, v, asOf, plans, keyFile, dryRun);
        }

        Reprocess withAsOf(Instant v) {
            return new Reprocess(input, warehouse, month, Optional.of(v), plans, keyFile, dryRun);
        }

        Reprocess withPlans(Location v) {
            return new Reprocess(input, warehouse, month, asOf, Optional.of(v), keyFile, dryRun);
        }

        Reprocess withKeyFile(Location v) {
            return new Reprocess(input, warehouse, month, asOf, plans, Optional.of(v), dryRun);
        }

        Reprocess asDryRun() {
            return new Reprocess(input, warehouse, month, asOf, plans, keyFile, true);
        }

        @Override
        public int run(Invocation invocation) {
            Invocation.Job job = invocation.job(input, warehouse, plans, keyFile);
            return invocation.withSpark(dryRun ? "reprocess --dry-run" : "reprocess", spark -> {
                if (dryRun) {
                    job.open(spark, invocation.out()).dryRun(month, asOf);
                } else {
                    job.open(spark, invocation.out()).reprocess(month, asOf, invocation.arguments());
                }
                return Main.SUCCEEDED;
            });
        }
    }

    record Nightly(Location input, Location warehouse, Optional<LocalDate> date, Optional<Instant> asOf, Optional<Location> plans,
                   Optional<Location> keyFile) implements Command {
        static final Nightly NEW = new Nightly(null, null, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        Nightly withInput(Location v) {
            return new Nightly(v, warehouse, date, asOf, plans, keyFile);
        }

        Nightly withWarehouse(Location v) {
            return new Nightly(input, v, date, asOf, plans, keyFile);
        }

        Nightly withDate(LocalDate v) {
            return new Nightly(input, warehouse, Optional.of(v), asOf, plans, keyFile);
        }

        Nightly withAsOf(Instant v) {
            return new Nightly(input, warehouse, date, Optional.of(v), plans, keyFile);
        }

        Nightly withPlans(Location v) {
            return new Nightly(input, warehouse, date, asOf, Optional.of(v), keyFile);
        }

        Nightly withKeyFile(Location v) {
            return new Nightly(input, warehouse, date, asOf, plans, Optional.of(v));
        }

        @Override
        public int run(Invocation invocation) {
            Invocation.Job job = invocation.job(input, warehouse, plans, keyFile);
            return invocation.withSpark("nightly", spark -> {
                RunRecord run = job.open(spark, invocation.out()).nightly(date, asOf, invocation.arguments());
                if (run.unbilledFiles() > 0) {
                    invocation.err().println(CommandLine.PROGRAM + ": " + run.unbilledFiles()
                            + " raw files could not be read and were not billed (rejected_files); the rest is billed");
                }
                if (run.changedFiles() > 0) {
                    invocation.err().println(CommandLine.PROGRAM + ": " + run.changedFiles()
                            + " raw files changed or gone after they were billed (changed_files); reprocess the months named on stdout");
                }
                if (run.referenceWaiting() > 0) {
                    invocation.err().println(CommandLine.PROGRAM + ": " + run.referenceWaiting()
                            + " billing months whose reference data changed wait for a reprocess; run the reprocesses named on stdout");
                }
                return run.status() == RunStatus.PARTIAL ? Main.PARTIAL : Main.SUCCEEDED;
            });
        }
    }

    record Close(Location warehouse, YearMonth month) implements Command {
        static final Close NEW = new Close(null, null);

        Close withWarehouse(Location v) {
            return new Close(v, month);
        }

        Close withMonth(YearMonth v) {
            return new Close(warehouse, v);
        }

        @Override
        public int run(Invocation invocation) {
            Location tables = Checks.warehouse(warehouse, invocation.settings());
            return invocation.withSpark("close", spark -> {
                new MonthClose(spark, tables, invocation.out()).close(month, invocation.arguments());
                return Main.SUCCEEDED;
            });
        }
    }

    /** @param retainDays how many days of table versions stay readable by time travel (default {@link WarehouseMaintenance#DEFAULT_RETAIN_DAYS}) */
    record Maintain(Location warehouse, Optional<Long> retainDays) implements Command {
        static final Maintain NEW = new Maintain(null, Optional.empty());

        Maintain withWarehouse(Location v) {
            return new Maintain(v, retainDays);
        }

        Maintain withRetainDays(long v) {
            return new Maintain(warehouse, Optional.of(v));
        }

        @Override
        public int run(Invocation invocation) {
            Location tables = Checks.warehouse(warehouse, invocation.settings());
            int days = Math.toIntExact(Math.min(Integer.MAX_VALUE, retainDays.orElse((long) WarehouseMaintenance.DEFAULT_RETAIN_DAYS)));
            return invocation.withSpark("maintain", spark -> {
                new WarehouseMaintenance(spark, tables, invocation.out()).maintain(days, invocation.arguments());
                return Main.SUCCEEDED;
            });
        }
    }

    record Statement(Location warehouse, YearMonth month, Optional<String> site, Path out) implements Command {
        static final Statement NEW = new Statement(null, null, Optional.empty(), null);

        Statement withWarehouse(Location v) {
            return new Statement(v, month, site, out);
        }

        Statement withMonth(YearMonth v) {
            return new Statement(warehouse, v, site, out);
        }

        Statement withSite(String v) {
            return new Statement(warehouse, month, Optional.of(v), out);
        }

        Statement withOut(Path v) {
            return new Statement(warehouse, month, site, v);
        }

        @Override
        public int run(Invocation invocation) {
            return StatementCommand.run(this, invocation);
        }
    }

    /** {@code reprocess} of data-samples/ into ./warehouse, then the month's invoice lines. */
    record Demo() implements Command {
        /** The sample month of data-samples/. */
        static final YearMonth MONTH = YearMonth.of(2026, 10);
        /** The demo's cutoff: the start of the month after the sample month, so the demo never depends on today's date. */
        static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");

        @Override
        public int run(Invocation invocation) {
            Path samples = Invocation.home().resolve("data-samples");
            Configuration hadoop = invocation.hadoop();
            Location input = Checks.existingDirectory(Location.of(samples.resolve("input")), "data-samples input", hadoop);
            Location warehouse = Location.of(Path.of("warehouse"));
            Invocation.Job job = new Invocation.Job(input, warehouse,
                    Checks.catalog(Optional.of(Location.of(samples.resolve("plan-catalog.json"))), hadoop), PseudonymKey.demo());
            return invocation.withSpark("demo", spark -> {
                invocation.out().println("demo: end-user ids are pseudonymized with the PUBLIC demo key; never use it for real data");
                invocation.out().println("demo: data-samples/input -> " + warehouse + ", month " + MONTH + ", as of " + AS_OF);
                job.open(spark, invocation.out()).reprocess(MONTH, Optional.of(AS_OF), invocation.arguments());
                InvoiceReport.print(spark, new DeltaWriter(spark, warehouse), MONTH, invocation.out());
                return Main.SUCCEEDED;
            });
        }
    }

    /** The pseudonym stored for an end user, to answer a billing dispute; no Spark. */
    record Pseudonym(String site, String consumer, Optional<Location> keyFile) implements Command {
        static final Pseudonym NEW = new Pseudonym(null, null, Optional.empty());

        Pseudonym withSite(String v) {
            return new Pseudonym(v, consumer, keyFile);
        }

        Pseudonym withConsumer(String v) {
            return new Pseudonym(site, v, keyFile);
        }

        Pseudonym withKeyFile(Location v) {
            return new Pseudonym(site, consumer, Optional.of(v));
        }

        @Override
        public int run(Invocation invocation) {
            invocation.out().println(Checks.pseudonymKey(keyFile, invocation.env(), invocation.hadoop()).pseudonym(site, consumer));
            return Main.SUCCEEDED;
        }
    }
}
