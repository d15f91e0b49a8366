package org.callrouter.routing.store;

import java.time.Instant;
import java.util.function.Consumer;

import org.callrouter.routing.config.NumberConfig;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.quarantine.QuarantinedNumber;

/**
 * Takes an imported tracked number out of its campaign by hand: it leaves the number store and
 * enters quarantine, as a number a reload no longer lists does (its campaign is remembered,
 * {@code number_policy.quarantine_days} apply). Shared by the admin API ({@code DELETE
 * /v1/numbers/{number}}, through {@code Router}) and {@code router numbers remove}.
 *
 * <p>A number the configuration file lists (static, pool or overflow number) is refused: the
 * router writes the YAML's numbers back on every start and reload, so it must leave the file.
 */
public final class NumberRemoval {

    /** What {@link #remove} did. */
    public enum Outcome {
        /** Removed from the number store and quarantined. */
        REMOVED,
        /** Not a tracked number (and not quarantined). */
        NOT_TRACKED,
        /** Listed in the configuration file, or written by it and not yet reloaded away. */
        IN_CONFIG,
        /** Already in quarantine. */
        ALREADY_QUARANTINED
    }

    /**
     * What became of one number.
     *
     * @param quarantined the number's quarantine: the new one when {@link Outcome#REMOVED}, the
     *                    existing one when {@link Outcome#ALREADY_QUARANTINED}, else null
     * @param reason      why it was refused, naming the number; null when removed
     */
    public record Result(Outcome outcome, QuarantinedNumber quarantined, String reason) {
    }

    private final RouterConfig config;
    private final NumberStore numbers;
    private final QuarantineStore quarantine;

    public NumberRemoval(RouterConfig config, NumberStore numbers, QuarantineStore quarantine) {
        this.config = config;
        this.numbers = numbers;
        this.quarantine = quarantine;
    }

    /**
     * Removes {@code e164} at {@code nowMs}. {@code audit} sees the new quarantine before the number
     * leaves the number store; if it throws, the quarantine is undone and the number stays tracked,
     * so no removal goes unrecorded.
     *
     * @throws StoreFullException when the quarantine store has no room (nothing changed)
     */
    public Result remove(long e164, long nowMs, Consumer<QuarantinedNumber> audit) {
        String number = PhoneNumbers.format(e164);
        QuarantinedNumber already = quarantine.find(e164).orElse(null);
        if (already != null) {
            return new Result(Outcome.ALREADY_QUARANTINED, already, number + " is already quarantined (removed from"
                    + " campaign \"" + already.campaign() + "\" at " + Instant.ofEpochMilli(already.removedAtMs())
                    + ")");
        }
        String listed = listedAt(number);
        if (listed != null) {
            return new Result(Outcome.IN_CONFIG, null, listed + ": " + number + " is listed in the configuration file;"
                    + " remove it there and reload the router (it is then quarantined)");
        }
        long packed = numbers.lookup(e164);
        if (packed == NumberStore.NOT_FOUND) {
            return new Result(Outcome.NOT_TRACKED, null, number + " is not a tracked number");
        }
        if (NumberStore.fromYaml(packed)) {
            return new Result(Outcome.IN_CONFIG, null, number + " was written from " + config.file()
                    + ", which no longer lists it; reload the router and it is quarantined");
        }
        quarantine.quarantine(e164, NumberStore.campaignCode(packed), nowMs);
        QuarantinedNumber removed = quarantine.find(e164).orElseThrow();
        try {
            audit.accept(removed);
        } catch (RuntimeException e) {
            quarantine.release(e164);
            throw e;
        }
        numbers.remove(e164);
        return new Result(Outcome.REMOVED, removed, null);
    }

    /** {@code file:line:column: path} where the configuration lists {@code number}, or null. */
    private String listedAt(String number) {
        for (NumberConfig listed : config.trackedNumbers()) {
            if (listed.number().equals(number)) {
                String error = config.errorAt(config.pathOf(number), "").toString();
                return error.substring(0, error.length() - 2);
            }
        }
        return null;
    }
}
