package org.callrouter.routing.config;

/**
 * A handler's caps; {@link #NONE} for a cap that is not set.
 *
 * @param concurrency live calls (selected and not yet ended or failed over)
 * @param hourly      per clock hour in the handler's zone
 * @param daily       per local day (midnight to midnight) in the handler's zone
 * @param monthly     per calendar month in the handler's zone
 * @param total       ever (until explicitly reset)
 * @param trigger     what the hourly..total caps count
 */
public record Caps(int concurrency, int hourly, int daily, int monthly, int total, CapTrigger trigger) {

    /** The cap is not set. */
    public static final int NONE = -1;

    /** No caps at all. */
    public static final Caps UNLIMITED = new Caps(NONE, NONE, NONE, NONE, NONE, CapTrigger.ROUTED);

    /** Whether any cap is set. */
    public boolean any() {
        return concurrency != NONE || hourly != NONE || daily != NONE || monthly != NONE || total != NONE;
    }
}
