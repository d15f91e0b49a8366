package org.callrouter.routing;

import java.nio.file.Path;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;

/**
 * The routing benchmarks' world: one campaign with 50 handlers that mix business hours in
 * several zones (some closed at the benchmark's time), criteria on built-in and call tags,
 * caps of every kind (large enough never to fill) and both cap triggers, plus a million
 * tracked numbers for it in the store.
 */
final class BigCampaign {

    static final int HANDLERS = 50;
    static final int NUMBERS = 1_000_000;
    static final long FIRST_NUMBER = 18_002_000_000L;
    /** Wednesday 2026-06-03 18:00 UTC: 11:00 in Los Angeles, 14:00 in New York, 19:00 in London. */
    static final long NOW_MS = java.time.Instant.parse("2026-06-03T18:00:00Z").toEpochMilli();
    static final String[] CALLERS = {"+14155550100", "+12125550100", "+15125550100", "+13055550100",
        "+13125550100", "+16175550100", "+17025550100", "+14165550100", "+33612345678", "anonymous"};

    private BigCampaign() {
    }

    /** The configuration YAML, with its stores under {@code dataDir}. */
    static String yaml(Path dataDir) {
        StringBuilder y = new StringBuilder();
        y.append("server: { data_dir: \"").append(dataDir).append("\", health: { enabled: false } }\n");
        y.append("sources: [{ id: bench }]\n");
        y.append("handlers:\n");
        for (int i = 0; i < HANDLERS; i++) {
            y.append("  - id: h").append(i).append('\n');
            y.append("    uri: sip:h").append(i).append("@127.0.0.1:").append(5100 + i).append('\n');
            y.append("    priority: ").append(1 + i / 10).append('\n');
            y.append("    weight: ").append(1 + i % 5).append('\n');
            switch (i % 5) {
                case 0 -> y.append("    time_zone: America/Los_Angeles\n")
                        .append("    business_hours: [{ days: [mon, tue, wed, thu, fri], open: \"08:00\", close: \"18:00\" }]\n");
                case 1 -> y.append("    time_zone: America/New_York\n")
                        .append("    business_hours: [{ days: [mon, tue, wed, thu, fri], open: \"09:00\", close: \"21:00\" },"
                                + " { days: [sat], open: \"22:00\", close: \"02:00\" }]\n");
                case 2 -> y.append("    time_zone: Europe/London\n")
                        .append("    business_hours: [{ days: [mon, tue, wed, thu, fri], open: \"09:00\", close: \"17:00\" }]\n");
                default -> y.append("    time_zone: America/Chicago\n");
            }
            switch (i % 4) {
                case 0 -> y.append("    criteria: [\"caller_state in [CA, NY, TX, FL, IL, MA]\"]\n");
                case 1 -> y.append("    criteria: [\"caller_country == US\", \"age >= 21\"]\n");
                case 2 -> y.append("    criteria: [\"publisher_id exists\"]\n");
                default -> { }
            }
            switch (i % 3) {
                case 0 -> y.append("    caps: { concurrency: 100000, hourly: 1000000000, trigger: routed }\n");
                case 1 -> y.append("    caps: { daily: 1000000000, monthly: 1000000000, total: 2000000000, trigger: connected }\n");
                default -> { }
            }
            if (i == HANDLERS - 1) {
                y.append("    enabled: false\n");
            }
        }
        y.append("campaigns:\n  - id: big\n    handlers: [");
        for (int i = 0; i < HANDLERS; i++) {
            y.append(i == 0 ? "" : ", ").append('h').append(i);
        }
        y.append("]\n");
        return y.toString();
    }

    /** Opens a serving router for the campaign and stores the million numbers. */
    static Router open(Path dataDir) {
        RouterConfig config;
        try {
            config = ConfigLoader.parse(yaml(dataDir), Path.of("big-campaign.yaml"));
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        Router router = Router.open(config, java.time.Clock.systemUTC(), java.util.concurrent.ThreadLocalRandom.current());
        if (router.numbers().size() < NUMBERS) {
            for (int i = 0; i < NUMBERS; i++) {
                router.numbers().put("+" + (FIRST_NUMBER + i), "big", "bench");
            }
        }
        return router;
    }
}
