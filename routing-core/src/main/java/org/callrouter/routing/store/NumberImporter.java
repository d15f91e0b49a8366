package org.callrouter.routing.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.callrouter.routing.config.NumberConfig;
import org.callrouter.routing.config.PoolConfig;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.SourceConfig;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.quarantine.QuarantinedNumber;
import org.callrouter.routing.store.SymbolTable.Kind;

/**
 * Bulk-loads tracked numbers from CSV ({@code number,campaign,source}; an optional header
 * row; fields may be double-quoted). Every row is checked against the configuration; a bad
 * row is reported with its line and skipped, the good ones are stored. Safe while a router
 * serves from the same store.
 *
 * <p>A row is refused when: it does not have three fields; the number is not a phone
 * number; the campaign or source is not in the configuration; the number appeared earlier
 * in the file; the number is listed in the configuration's {@code numbers:} (which the
 * router re-applies on every start, so it must be changed there); or the source would go
 * over its {@code static_number_cap}.
 */
public final class NumberImporter {

    /** Bad rows kept in the report; all are counted. */
    public static final int MAX_REPORTED_BAD_ROWS = 1000;

    /** Rows between two calls of {@link ImportProgress}: rare enough to cost nothing per row. */
    public static final int PROGRESS_EVERY_ROWS = 1024;

    private final RouterConfig config;
    private final NumberStore store;
    private final PhoneNumbers phones;
    private final Map<String, Integer> campaignCodes = new HashMap<>();
    private final Map<String, Integer> sourceCodes = new HashMap<>();
    private final Map<Integer, Integer> capBySourceCode = new HashMap<>();
    private final Map<Long, String> yamlNumbers = new HashMap<>();
    private Map<Integer, Integer> countBySource;
    private QuarantineStore quarantine;
    private long nowMs;
    private boolean force;
    private Consumer<QuarantinedNumber> onForced;

    public NumberImporter(RouterConfig config, NumberStore store) {
        this.config = config;
        this.store = store;
        this.phones = new PhoneNumbers(config.defaultRegion());
        for (int i = 0; i < config.numbers().size(); i++) {
            NumberConfig number = config.numbers().get(i);
            yamlNumbers.put(Long.parseLong(number.number().substring(1)), "numbers[" + i + "]");
        }
        for (PoolConfig pool : config.pools()) {
            pool.numbers().forEach(n -> yamlNumbers.put(Long.parseLong(n.substring(1)), "pool " + pool.id()));
            if (pool.overflowNumber() != null) {
                yamlNumbers.put(Long.parseLong(pool.overflowNumber().substring(1)), "overflow_number of pool " + pool.id());
            }
        }
    }

    /**
     * Refuses rows whose number is quarantined and may not be assigned yet at {@code nowMs}
     * (the row's error says until when), unless {@code force}: then {@code onForced} hears of
     * the number (to audit it; an exception from it refuses the row) before it is taken out of
     * quarantine and imported. A quarantined number whose time has come is taken out and imported.
     *
     * @return this importer
     */
    public NumberImporter checkQuarantine(QuarantineStore store, long nowMs, boolean force,
                                          Consumer<QuarantinedNumber> onForced) {
        this.quarantine = store;
        this.nowMs = nowMs;
        this.force = force;
        this.onForced = onForced;
        return this;
    }

    /**
     * Imports a CSV file.
     *
     * @throws IOException when the file cannot be read
     * @throws StoreFullException when the store fills up (rows before it are stored)
     */
    public ImportReport importCsv(Path csv) throws IOException {
        return importCsv(csv, ImportProgress.NONE);
    }

    /** {@link #importCsv(Path)}, telling {@code progress} how far it got. */
    public ImportReport importCsv(Path csv, ImportProgress progress) throws IOException {
        long started = System.nanoTime();
        long rows = 0;
        long inserted = 0;
        long updated = 0;
        long unchanged = 0;
        long bad = 0;
        List<ImportReport.BadRow> firstBad = new ArrayList<>();
        Map<Long, Long> seen = new HashMap<>();
        prepareCaps();
        // the channel's position is how much of the file was read; its decoder reports malformed
        // input as Files.newBufferedReader does
        try (SeekableByteChannel channel = Files.newByteChannel(csv);
                BufferedReader reader = new BufferedReader(
                        Channels.newReader(channel, StandardCharsets.UTF_8.newDecoder(), -1))) {
            long size = channel.size();
            String line;
            long lineNumber = 0;
            boolean headerChecked = false;
            String[] fields = new String[3];
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (!headerChecked) {
                    headerChecked = true;
                    if (line.trim().toLowerCase(Locale.ROOT).startsWith("number")) {
                        continue;
                    }
                }
                rows++;
                if (rows % PROGRESS_EVERY_ROWS == 0) {
                    progress.rowsRead(rows, channel.position(), size);
                }
                String error = split(line, fields);
                Long duplicateOf = null;
                long number = PhoneNumbers.INVALID;
                if (error == null) {
                    number = phones.parse(fields[0]);
                    error = check(fields, number);
                }
                if (error == null) {
                    duplicateOf = seen.putIfAbsent(number, lineNumber);
                    if (duplicateOf != null) {
                        error = "duplicate of line " + duplicateOf;
                    }
                }
                int campaign = 0;
                int source = 0;
                if (error == null) {
                    campaign = campaignCodes.computeIfAbsent(fields[1], id -> store.symbols().intern(Kind.CAMPAIGN, id));
                    source = sourceCode(fields[2]);
                    error = capReached(number, source, fields[2]);
                }
                if (error == null && quarantine != null) {
                    error = leaveQuarantine(number);
                }
                if (error == null) {
                    switch (put(number, campaign, source)) {
                        case INSERTED -> inserted++;
                        case UPDATED -> updated++;
                        case UNCHANGED -> unchanged++;
                    }
                } else {
                    bad++;
                    if (firstBad.size() < MAX_REPORTED_BAD_ROWS) {
                        firstBad.add(new ImportReport.BadRow(lineNumber, line, error));
                    }
                }
            }
            progress.rowsRead(rows, channel.position(), size);
        }
        return new ImportReport(rows, inserted, updated, unchanged, bad, firstBad, (System.nanoTime() - started) / 1_000_000);
    }

    /** Takes a quarantined number out if it may be assigned (or is forced); else why not. */
    private String leaveQuarantine(long number) {
        QuarantinedNumber q = quarantine.find(number).orElse(null);
        if (q == null) {
            return null;
        }
        if (!q.releasable(config.numberPolicy(), nowMs)) {
            if (!force) {
                return q.refusal(config.numberPolicy()) + " (or import with --force)";
            }
            try {
                onForced.accept(q);
            } catch (RuntimeException e) {
                return "not imported: the forced reuse could not be audited: " + e.getMessage();
            }
        }
        quarantine.release(number);
        return null;
    }

    private void prepareCaps() {
        for (SourceConfig source : config.sources()) {
            if (source.staticNumberCap() != SourceConfig.NO_CAP) {
                capBySourceCode.put(sourceCode(source.id()), source.staticNumberCap());
            }
        }
        if (!capBySourceCode.isEmpty()) {
            countBySource = store.countBySource();
            // Pool numbers the router has stored are tracked under their pool's source, but they
            // are not the source's static numbers.
            for (PoolConfig pool : config.pools()) {
                List<String> numbers = new ArrayList<>(pool.numbers());
                if (pool.overflowNumber() != null) {
                    numbers.add(pool.overflowNumber());
                }
                for (String number : numbers) {
                    long packed = store.lookup(Long.parseLong(number.substring(1)));
                    if (packed != NumberStore.NOT_FOUND) {
                        countBySource.computeIfPresent(NumberStore.sourceCode(packed), (code, count) -> count - 1);
                    }
                }
            }
        }
    }

    /** Why the fields cannot be stored, or null. */
    private String check(String[] fields, long number) {
        if (number == PhoneNumbers.ANONYMOUS) {
            return "missing number";
        }
        if (number < 0) {
            return "\"" + fields[0] + "\" is not a phone number (default region " + phones.region() + ")";
        }
        if (config.campaign(fields[1]).isEmpty()) {
            return "unknown campaign \"" + fields[1] + "\"";
        }
        if (config.source(fields[2]).isEmpty()) {
            return "unknown source \"" + fields[2] + "\"";
        }
        String yaml = yamlNumbers.get(number);
        if (yaml != null) {
            return PhoneNumbers.format(number) + " is listed in " + config.file() + " (" + yaml + "); change it there";
        }
        return null;
    }

    /** Why the source cannot take the number (its static_number_cap), or null. */
    private String capReached(long number, int source, String sourceId) {
        Integer cap = capBySourceCode.get(source);
        if (cap == null || countBySource.getOrDefault(source, 0) < cap) {
            return null;
        }
        long previous = store.lookup(number);
        if (previous != NumberStore.NOT_FOUND && NumberStore.sourceCode(previous) == source) {
            return null;
        }
        return "source \"" + sourceId + "\" already has static_number_cap=" + cap + " numbers";
    }

    /** Stores a checked row, keeping the per-source counts when caps apply. */
    private NumberStore.PutResult put(long number, int campaign, int source) {
        int previousSource = -1;
        if (countBySource != null) {
            long previous = store.lookup(number);
            previousSource = previous == NumberStore.NOT_FOUND ? -1 : NumberStore.sourceCode(previous);
        }
        NumberStore.PutResult result = store.put(number, campaign, source, false);
        if (countBySource != null && previousSource != source) {
            countBySource.merge(source, 1, Integer::sum);
            if (previousSource >= 0) {
                countBySource.merge(previousSource, -1, Integer::sum);
            }
        }
        return result;
    }

    private int sourceCode(String id) {
        return sourceCodes.computeIfAbsent(id, s -> store.symbols().intern(Kind.SOURCE, s));
    }

    /** Splits a CSV line into three trimmed fields; returns why not, or null. */
    static String split(String line, String[] fields) {
        int count = 0;
        int i = 0;
        int length = line.length();
        StringBuilder field = new StringBuilder();
        while (true) {
            field.setLength(0);
            while (i < length && line.charAt(i) == ' ') {
                i++;
            }
            if (i < length && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= length) {
                        return "unterminated quoted field";
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < length && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < length && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < length && line.charAt(i) != ',') {
                    return "unexpected text after a quoted field";
                }
            } else {
                while (i < length && line.charAt(i) != ',') {
                    field.append(line.charAt(i++));
                }
            }
            if (count == 3) {
                return "expected 3 fields (number,campaign,source), got more";
            }
            fields[count++] = field.toString().trim();
            if (i >= length) {
                break;
            }
            i++;
        }
        if (count != 3) {
            return "expected 3 fields (number,campaign,source), got " + count;
        }
        for (int f = 1; f < 3; f++) {
            if (fields[f].isEmpty()) {
                return f == 1 ? "missing campaign" : "missing source";
            }
        }
        return null;
    }
}
