package org.callrouter.server.quarantine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.callrouter.routing.config.NumberPolicy;
import org.callrouter.routing.quarantine.QuarantinedNumber;

/**
 * The quarantine's audit trail: {@code <data_dir>/quarantine-audit.jsonl}, one JSON line per
 * number taken out of quarantine by hand ({@code release}, or {@code force-release} and
 * {@code force-import} when its time had not come) or put into it by hand ({@code remove}): when,
 * who, which number, the campaign it had left and until when it stays. Written (and forced to disk)
 * before the change is answered, so a forced reuse or a removal is never unrecorded. Shared by the
 * router's admin API and {@code router numbers import|remove}, which may run at once: each line is
 * one append.
 */
public final class QuarantineAudit {

    /** The audit file's name under the data directory. */
    public static final String FILE = "quarantine-audit.jsonl";

    /** Who a change made on the command line beside the router is audited as: {@code cli:<user>}. */
    public static String cliActor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public QuarantineAudit(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    /**
     * Appends one entry.
     *
     * @param action {@code release}, {@code force-release}, {@code force-import} or {@code remove}
     * @param actor  who: {@code api:<token name>} or {@code cli:<OS user>}
     * @throws IOException when the line cannot be written (the caller must then not release)
     */
    public synchronized void record(long atMs, String actor, String action, QuarantinedNumber number,
                                    NumberPolicy policy) throws IOException {
        final ObjectNode line = JSON.createObjectNode();
        line.put("at", Instant.ofEpochMilli(atMs).toString());
        line.put("actor", actor);
        line.put("action", action);
        line.put("number", number.number());
        line.put("campaign", number.campaign());
        line.put("removed_at", Instant.ofEpochMilli(number.removedAtMs()).toString());
        line.put("until", Instant.ofEpochMilli(number.untilMs(policy)).toString());
        line.put("calls", number.calls());
        Files.write(file, (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
    }

    /** Every entry, oldest first (an absent file has none). */
    public List<String> lines() throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
    }
}
