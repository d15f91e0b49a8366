package org.callrouter.routing.config;

/** Which lost calls a campaign calls back ({@code callback.on}). */
public enum CallbackTrigger {
    /** {@code no-answer}: handlers were tried (or none could be) and none answered. */
    NO_ANSWER,
    /** {@code busy}: every handler tried was busy. */
    BUSY,
    /** {@code abandoned}: the caller hung up while ringing, after {@code abandoned_after_seconds}. */
    ABANDONED,
    /** {@code short}: answered, but the talk lasted less than {@code short_under_seconds}. */
    SHORT;

    /** The name in the configuration, records and the API ({@code no-answer}). */
    public String label() {
        return EnumLabels.label(this);
    }

    /** The trigger named {@code label} ({@code no-answer} or {@code no_answer}), or null. */
    public static CallbackTrigger of(String label) {
        return EnumLabels.of(CallbackTrigger.class, label);
    }
}
