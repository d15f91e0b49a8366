package org.callrouter.routing.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.callrouter.routing.CallContext;
import org.callrouter.routing.Router;
import org.callrouter.routing.RoutingPlan;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumberImporterTest {

    @TempDir
    Path temp;

    private Path configFile(String extra) throws IOException {
        Path file = temp.resolve("router.yaml");
        Files.writeString(file, "server: { data_dir: \"" + temp.resolve("data") + "\" }\n" + """
                sources: [{ id: fb }, { id: capped, static_number_cap: 2 }]
                handlers: [{ id: h, uri: "sip:h@127.0.0.1" }]
                campaigns: [{ id: c, handlers: [h] }, { id: d, handlers: [h] }]
                numbers: [{ number: "+18005550100", campaign: c, source: fb }]
                """ + extra);
        return file;
    }

    private static RouterConfig load(Path file) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private ImportReport importCsv(RouterConfig config, String csv) throws IOException {
        Path file = temp.resolve("numbers.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        try (Stores stores = Stores.open(config.server().dataDir(), config.server().stores(), Stores.Access.NUMBERS)) {
            return new NumberImporter(config, stores.numbers()).importCsv(file);
        }
    }

    @Test
    void progressIsToldEveryThousandRowsAndAtTheEnd() throws IOException {
        RouterConfig config = load(configFile(""));
        StringBuilder csv = new StringBuilder("number,campaign,source\n");
        for (int i = 0; i < 2500; i++) {
            csv.append(String.format("+1415555%04d,c,fb%n", i));
        }
        Path file = temp.resolve("many.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        long size = Files.size(file);
        List<long[]> calls = new ArrayList<>();
        ImportReport report;
        try (Stores stores = Stores.open(config.server().dataDir(), config.server().stores(), Stores.Access.NUMBERS)) {
            report = new NumberImporter(config, stores.numbers())
                    .importCsv(file, (rows, read, total) -> calls.add(new long[] {rows, read, total}));
        }
        assertEquals(2500, report.rows());
        assertEquals(List.of(1024L, 2048L, 2500L), calls.stream().map(c -> c[0]).toList());
        long previous = 0;
        for (long[] call : calls) {
            assertEquals(size, call[2], "the file's size");
            assertTrue(call[1] >= previous && call[1] <= size, () -> call[1] + " bytes read of " + size);
            previous = call[1];
        }
        assertEquals(size, calls.get(2)[1], "all of the file read at the end");
    }

    @Test
    void aPoolNumberCannotBeImported() throws IOException {
        Path file = temp.resolve("pools.yaml");
        Files.writeString(file, "server: { data_dir: \"" + temp.resolve("data") + "\" }\n" + """
                sources: [{ id: fb, static_number_cap: 1 }]
                handlers: [{ id: h, uri: "sip:h@127.0.0.1" }]
                campaigns:
                  - id: c
                    handlers: [h]
                    pools: [{ id: web, numbers: ["+18005550300"], source: fb, overflow_number: "+18005550399" }]
                """);
        RouterConfig config = load(file);
        // The serving router stores the pool's numbers under fb; they are not fb's static numbers.
        Router.open(config, Clock.systemUTC(), new SplittableRandom(1)).close();
        ImportReport report = importCsv(config, "+18005550300,c,fb\n+18005550399,c,fb\n+18005550301,c,fb\n");
        assertEquals(1, report.inserted(), "one static number within static_number_cap=1");
        assertEquals(List.of(
                "line 1: +18005550300 is listed in " + config.file() + " (pool web); change it there: +18005550300,c,fb",
                "line 2: +18005550399 is listed in " + config.file() + " (overflow_number of pool web); change it there:"
                        + " +18005550399,c,fb"),
                report.firstBad().stream().map(ImportReport.BadRow::toString).toList());
    }

    @Test
    void badRowsAreReportedByLineAndGoodRowsStored() throws IOException {
        RouterConfig config = load(configFile(""));
        ImportReport report = importCsv(config, """
                \uFEFFnumber,campaign,source
                +18005550201,c,fb
                8005550202, d ,fb

                "18005550203","c","fb"
                not-a-number,c,fb
                +18005550204,nope,fb
                +18005550205,c,ghost
                +18005550201,d,fb
                +18005550100,d,fb
                +18005550206,c
                +18005550207,c,fb,extra
                "+18005550208,c,fb
                +18005550209,c,capped
                +18005550210,c,capped
                +18005550211,c,capped
                """);
        assertEquals(14, report.rows(), "the header and the blank line are not rows");
        assertEquals(5, report.inserted());
        assertEquals(9, report.badRows());
        List<String> bad = report.firstBad().stream().map(ImportReport.BadRow::toString).toList();
        assertEquals(List.of(
                "line 6: \"not-a-number\" is not a phone number (default region US): not-a-number,c,fb",
                "line 7: unknown campaign \"nope\": +18005550204,nope,fb",
                "line 8: unknown source \"ghost\": +18005550205,c,ghost",
                "line 9: duplicate of line 2: +18005550201,d,fb",
                "line 10: +18005550100 is listed in " + config.file() + " (numbers[0]); change it there: +18005550100,d,fb",
                "line 11: expected 3 fields (number,campaign,source), got 2: +18005550206,c",
                "line 12: expected 3 fields (number,campaign,source), got more: +18005550207,c,fb,extra",
                "line 13: unterminated quoted field: \"+18005550208,c,fb",
                "line 16: source \"capped\" already has static_number_cap=2 numbers: +18005550211,c,capped"),
                bad);
        try (Stores stores = Stores.open(config.server().dataDir(), config.server().stores(), Stores.Access.NUMBERS)) {
            assertEquals("d", stores.numbers().find("+18005550202").orElseThrow().campaign());
            assertEquals("c", stores.numbers().find("+18005550203").orElseThrow().campaign());
        }
        ImportReport again = importCsv(config, "+18005550201,c,fb\n+18005550202,c,fb\n+18005550299,c,fb\n");
        assertEquals(1, again.inserted());
        assertEquals(1, again.updated());
        assertEquals(1, again.unchanged());
    }

    @Test
    void aHundredThousandRows() throws IOException {
        RouterConfig config = load(configFile(""));
        StringBuilder csv = new StringBuilder("number,campaign,source\n");
        long seed = System.nanoTime();
        System.out.println("NumberImporterTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int badLines = 0;
        for (int i = 0; i < 100_000; i++) {
            if (random.nextInt(1000) == 0) {
                csv.append("garbage-").append(i).append(",c,fb\n");
                badLines++;
            } else {
                csv.append("+1").append(2_000_000_000L + i * 7L).append(i % 2 == 0 ? ",c" : ",d").append(",fb\n");
            }
        }
        ImportReport report = importCsv(config, csv.toString());
        assertEquals(100_000, report.rows());
        assertEquals(badLines, report.badRows(), "seed " + seed);
        assertEquals(100_000 - badLines, report.inserted());
        try (Stores stores = Stores.open(config.server().dataDir(), config.server().stores(), Stores.Access.NUMBERS)) {
            assertEquals(100_000 - badLines, stores.numbers().size(), "the YAML's number is written by the router, not the import");
        }
    }

    @Test
    void importsFromAnotherProcessWhileARouterServes() throws Exception {
        Path configFile = configFile("");
        RouterConfig config = load(configFile);
        Path csv = temp.resolve("more.csv");
        Files.writeString(csv, "+18005550301,c,fb\n+18005550302,d,fb\n");
        try (Router router = Router.open(config, Clock.systemUTC(), new SplittableRandom(1))) {
            CallContext call = CallContext.builder().dialedNumber("+18005550302").build();
            assertEquals(RoutingPlan.Outcome.UNKNOWN_NUMBER, router.route(call).outcome());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle")).toList());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ImportChild.class.getName(),
                    configFile.toString(), csv.toString()));
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the importing process ends");
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("imported 2"), output);
            RoutingPlan plan = router.route(call);
            assertEquals(RoutingPlan.Outcome.ROUTED, plan.outcome(), "the serving router sees the other process's import");
            assertEquals("d", plan.campaignId());
        }
    }

    @Test
    void aFullStoreSaysWhichSettingToRaise() throws IOException {
        Path file = configFile("");
        Files.writeString(file, Files.readString(file).replace("server: { data_dir:", "server: { stores: { max_numbers: 1000 }, data_dir:"));
        RouterConfig config = load(file);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            csv.append("+1").append(3_000_000_000L + i).append(",c,fb\n");
        }
        StoreFullException e = org.junit.jupiter.api.Assertions.assertThrows(StoreFullException.class,
                () -> importCsv(config, csv.toString()));
        assertTrue(e.getMessage().startsWith("the tracked numbers store is full ("), e.getMessage());
        assertTrue(e.getMessage().contains("raise server.stores.max_numbers"), e.getMessage());
    }

    @Test
    void csvSplitting() {
        String[] fields = new String[3];
        assertEquals(null, NumberImporter.split(" a , \"b, c\" ,\"d\"\"e\"", fields));
        assertEquals(List.of("a", "b, c", "d\"e"), List.of(fields));
        assertEquals("missing source", NumberImporter.split("a,b,", fields));
        assertEquals("unexpected text after a quoted field", NumberImporter.split("\"a\"x,b,c", fields));
    }
}
