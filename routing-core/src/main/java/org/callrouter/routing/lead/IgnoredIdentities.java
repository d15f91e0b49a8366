package org.callrouter.routing.lead;

import java.util.HashSet;
import java.util.Set;

import org.callrouter.routing.config.AttributionConfig;

/**
 * The identities {@code attribution.ignore} lists: they are never stored or used to link
 * leads, so one sales phone or checkout account cannot merge every customer into one lead.
 */
public final class IgnoredIdentities {

    /** Nothing ignored. */
    public static final IgnoredIdentities NONE = new IgnoredIdentities(Set.of());

    private final Set<Identity> ignored;

    private IgnoredIdentities(Set<Identity> ignored) {
        this.ignored = Set.copyOf(ignored);
    }

    /** The numbers and emails of the section (already normalised by the config reader). */
    public static IgnoredIdentities of(AttributionConfig config) {
        Set<Identity> set = new HashSet<>();
        config.ignoredNumbers().forEach(n -> set.add(new Identity(IdentityKind.PHONE, n)));
        config.ignoredEmails().forEach(e -> set.add(new Identity(IdentityKind.EMAIL, e)));
        return new IgnoredIdentities(set);
    }

    /** Whether the (normalised) identity is one to ignore. */
    public boolean ignored(Identity identity) {
        return ignored.contains(identity);
    }
}
