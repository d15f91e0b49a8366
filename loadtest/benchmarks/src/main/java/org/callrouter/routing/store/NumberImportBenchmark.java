package org.callrouter.routing.store;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.callrouter.routing.ChronicleBenchmark;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code router numbers import} of a 1,000,000-row CSV (number,campaign,source; one row in
 * a thousand bad) into an empty store: parse, validate and store every row. One shot per
 * iteration, each into a fresh data directory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class NumberImportBenchmark extends ChronicleBenchmark {

    static final int ROWS = 1_000_000;

    private Path work;
    private Path csv;
    private Path dataDir;
    private RouterConfig config;
    private int iteration;

    @Setup(Level.Trial)
    public void writeCsv() throws Exception {
        work = tempDir("import-bench");
        csv = work.resolve("numbers.csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("number,campaign,source\n");
            for (int i = 0; i < ROWS; i++) {
                if (i % 1000 == 999) {
                    out.write("not-a-number-" + i + ",auto,facebook\n");
                } else {
                    out.write("+1" + (2_000_000_000L + i * 3L) + (i % 2 == 0 ? ",auto,facebook\n" : ",home,google\n"));
                }
            }
        }
    }

    @Setup(Level.Iteration)
    public void freshStore() throws Exception {
        dataDir = work.resolve("data-" + iteration++);
        config = ConfigLoader.parse("server: { data_dir: \"" + dataDir + "\" }\n" + """
                sources: [{ id: facebook }, { id: google }]
                handlers: [{ id: h, uri: "sip:h@127.0.0.1" }]
                campaigns: [{ id: auto, handlers: [h] }, { id: home, handlers: [h] }]
                """, Path.of("import-bench.yaml"));
    }

    @TearDown(Level.Trial)
    public void deleteFiles() {
        delete(work);
    }

    @Benchmark
    public ImportReport importMillionRows() throws Exception {
        try (Stores stores = Stores.open(dataDir, config.server().stores(), Stores.Access.NUMBERS)) {
            ImportReport report = new NumberImporter(config, stores.numbers()).importCsv(csv);
            if (report.inserted() != ROWS - ROWS / 1000 || report.badRows() != ROWS / 1000) {
                throw new IllegalStateException("unexpected import: " + report);
            }
            return report;
        }
    }
}
