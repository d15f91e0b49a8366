package org.callrouter.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.store.ImportProgress;
import org.callrouter.routing.store.ImportReport;
import org.callrouter.routing.store.NumberImporter;
import org.callrouter.routing.store.StoreException;
import org.callrouter.routing.store.Stores;
import org.callrouter.server.quarantine.QuarantineAudit;
import org.callrouter.term.ProgressLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code router numbers import FILE.csv}: bulk-loads {@code number,campaign,source} rows
 * into the configured data directory, beside a running router.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports tracked numbers from CSV (number,campaign,source; header optional).",
            "Every row is checked against the configuration; bad rows are reported by line and skipped.",
            "Safe while a router serves from the same data directory.",
            "On a terminal a progress line (rows, rows/s, time left) is redrawn on stderr.",
            "Exit codes: 0 all rows imported, 1 some rows refused or an error."})
public final class NumbersImportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.csv", description = "the CSV file")
    private Path csv;

    @Mixin
    private ConfigOption config;

    @Option(names = {"-q", "--quiet"}, description = "No progress line (there is none when not on a terminal).")
    private boolean quiet;

    @Option(names = "--force", description = {"Import quarantined numbers before their time (each one audited in",
        "<data_dir>/" + QuarantineAudit.FILE + ")."})
    private boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RouterConfig loaded = config.load(err);
        if (loaded == null) {
            return 1;
        }
        try (Stores stores = Stores.open(loaded.server().dataDir(), loaded.server().stores(), Stores.Access.NUMBERS)) {
            // started once the stores are open, so their opening does not count in the rate
            ProgressLine line = ProgressLine.forStderr("rows", quiet);
            ImportReport report;
            try {
                final QuarantineAudit audit = new QuarantineAudit(loaded.server().dataDir());
                final String actor = QuarantineAudit.cliActor();
                report = new NumberImporter(loaded, stores.numbers())
                        .checkQuarantine(stores.quarantine(), System.currentTimeMillis(), force, q -> {
                            try {
                                audit.record(System.currentTimeMillis(), actor, "force-import", q, loaded.numberPolicy());
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        })
                        .importCsv(csv, progress(line));
                line.finish(report.rows(), report.rows());
            } finally {
                line.end();
            }
            out.printf("%s: %d rows, %d inserted, %d updated, %d unchanged, %d refused (%d ms); %d numbers tracked in %s%n",
                    csv, report.rows(), report.inserted(), report.updated(), report.unchanged(), report.badRows(),
                    report.elapsedMs(), stores.numbers().size(), loaded.server().dataDir());
            // printf() does not flush picocli's auto-flushing writer, and exit would lose it.
            out.flush();
            for (ImportReport.BadRow bad : report.firstBad()) {
                out.println(csv + ":" + bad);
            }
            if (report.badRows() > report.firstBad().size()) {
                out.println("... and " + (report.badRows() - report.firstBad().size()) + " more refused rows");
            }
            return report.badRows() == 0 ? 0 : 1;
        } catch (NoSuchFileException e) {
            err.println(csv + ": file not found");
            return 1;
        } catch (IOException e) {
            err.println(csv + ": cannot read: " + e.getMessage());
            return 1;
        } catch (StoreException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    /** Progress in rows, the total estimated from the share of the file read so far. */
    static ImportProgress progress(ProgressLine line) {
        return (rows, read, size) -> line.update(rows,
                read == 0 ? -1 : Math.max(rows, Math.round(rows * (double) size / read)));
    }
}
