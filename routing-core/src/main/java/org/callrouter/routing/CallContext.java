package org.callrouter.routing;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.callrouter.routing.pool.Attribution;

/**
 * What the router needs to know about an incoming call: the dialed number and the caller
 * as received (normalised by the router), the call's own tags (e.g. from carrier headers),
 * the time of the decision and an id for conversion idempotency. Immutable; build it with
 * {@link #builder()}.
 */
public final class CallContext {

    /** {@link #nowMs()} when the builder was given no time: the router's clock decides. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final String dialedNumber;
    private final String callerNumber;
    private final String callId;
    private final long nowMs;
    private final String[] tagNames;
    private final String[] tagValues;
    private final Attribution visitor;

    private CallContext(Builder b) {
        this.dialedNumber = b.dialedNumber;
        this.callerNumber = b.callerNumber;
        this.callId = b.callId;
        this.nowMs = b.nowMs;
        this.tagNames = Arrays.copyOf(b.tagNames, b.tagCount);
        this.tagValues = Arrays.copyOf(b.tagValues, b.tagCount);
        this.visitor = b.visitor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The dialed number as received; {@code null} when the request had none. */
    public String dialedNumber() {
        return dialedNumber;
    }

    /** The caller's number as received; {@code null} when absent. */
    public String callerNumber() {
        return callerNumber;
    }

    /** The server's call id; {@code null} when not given (the plan then makes one up). */
    public String callId() {
        return callId;
    }

    /** Decision time, epoch ms, or {@link #NO_TIME}. */
    public long nowMs() {
        return nowMs;
    }

    /**
     * What the cluster's shared store said about the dialed pool number
     * ({@link Router#sharedVisitor}), or null: the router asks its own pools.
     */
    public Attribution visitor() {
        return visitor;
    }

    /** The value of one of the call's own tags (not the built-ins), or {@code null}. */
    public String tag(String name) {
        for (int i = 0; i < tagNames.length; i++) {
            if (tagNames[i].equals(name)) {
                return tagValues[i];
            }
        }
        return null;
    }

    /** The call's own tags, in the order given. */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < tagNames.length; i++) {
            tags.put(tagNames[i], tagValues[i]);
        }
        return Collections.unmodifiableMap(tags);
    }

    int tagCount() {
        return tagNames.length;
    }

    String tagName(int i) {
        return tagNames[i];
    }

    String tagValue(int i) {
        return tagValues[i];
    }

    /** Builds a {@link CallContext}; a builder may be reused after {@link #build()}. */
    public static final class Builder {
        private String dialedNumber;
        private String callerNumber;
        private String callId;
        private long nowMs = NO_TIME;
        private String[] tagNames = new String[4];
        private String[] tagValues = new String[4];
        private int tagCount;
        private Attribution visitor;

        private Builder() {
        }

        /** The dialed number given so far, or null. */
        public String dialedNumber() {
            return dialedNumber;
        }

        /** The visitor given so far, or null. */
        public Attribution visitor() {
            return visitor;
        }

        /** What the cluster's shared store said about the dialed pool number ({@link Router#sharedVisitor}). */
        public Builder visitor(Attribution visitor) {
            this.visitor = visitor;
            return this;
        }

        /** The dialed number as received (Request-URI or To user part); without one the call is an unknown number. */
        public Builder dialedNumber(String raw) {
            this.dialedNumber = raw;
            return this;
        }

        /** The caller's number as received; {@code null}, "" or {@code anonymous} for none. */
        public Builder callerNumber(String raw) {
            this.callerNumber = raw;
            return this;
        }

        /** The server's id for the call (makes postbacks and attempt conversions idempotent per call). */
        public Builder callId(String callId) {
            this.callId = callId;
            return this;
        }

        /** Decision time in epoch ms; without it the router's clock is read. */
        public Builder nowMs(long nowMs) {
            this.nowMs = nowMs;
            return this;
        }

        /** A tag of the call; a later value for the same name replaces the earlier one. */
        public Builder tag(String name, String value) {
            if (name == null || value == null) {
                throw new IllegalArgumentException("tag name and value must not be null");
            }
            for (int i = 0; i < tagCount; i++) {
                if (tagNames[i].equals(name)) {
                    tagValues[i] = value;
                    return this;
                }
            }
            if (tagCount == tagNames.length) {
                tagNames = Arrays.copyOf(tagNames, tagCount * 2);
                tagValues = Arrays.copyOf(tagValues, tagCount * 2);
            }
            tagNames[tagCount] = name;
            tagValues[tagCount] = value;
            tagCount++;
            return this;
        }

        public CallContext build() {
            return new CallContext(this);
        }
    }
}
