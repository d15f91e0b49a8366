package org.callrouter.routing.config;

/**
 * A source: the publisher or ad channel a tracked number was given to.
 *
 * @param id              unique id, visible to collaborators
 * @param name            optional contact name
 * @param company         optional company
 * @param staticNumberCap {@code static_number_cap}: most tracked numbers the source may hold
 *                        (YAML and imported together); {@link #NO_CAP} when absent
 */
public record SourceConfig(String id, String name, String company, int staticNumberCap) {

    /** No limit on the source's tracked numbers. */
    public static final int NO_CAP = -1;
}
