package org.callrouter.routing;

import java.util.LinkedHashMap;
import java.util.Map;

import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.routing.criteria.Tags;
import org.callrouter.routing.phone.NanpAreaCodes;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.pool.Attribution;

/**
 * A call's tags as criteria see them: the built-ins, derived once from the normalised
 * numbers, the call's own tags, then the pool visitor's tags when the number came from a
 * pool. Built-ins win over a call tag of the same name, and both over a visitor's tag (a
 * visitor's values come from a public endpoint). Strings that need building (E.164 text, a
 * non-NANP country) are built on first use.
 */
final class CallTags implements Tags {

    private final CallContext call;
    private final long dialed;
    private final long caller;
    private final String campaign;
    private final String source;
    /** The pool's answer for the dialed number, or null when it is in no pool. */
    private final Attribution attribution;
    private final String areaCode;
    private final String state;
    private String dialedText;
    private String callerText;
    private String country;
    private boolean countryKnown;

    CallTags(CallContext call, long dialed, long caller, String campaign, String source, Attribution attribution) {
        this.call = call;
        this.dialed = dialed;
        this.caller = caller;
        this.campaign = campaign;
        this.source = source;
        this.attribution = attribution;
        if (PhoneNumbers.isNanp(caller)) {
            int area = PhoneNumbers.areaCode(caller);
            this.areaCode = NanpAreaCodes.text(area);
            this.state = NanpAreaCodes.state(area);
        } else {
            this.areaCode = null;
            this.state = null;
        }
    }

    long dialed() {
        return dialed;
    }

    long caller() {
        return caller;
    }

    @Override
    public String value(BuiltinTag builtin, String name) {
        if (builtin != null) {
            return builtin(builtin);
        }
        String value = call.tag(name);
        return value != null || attribution == null ? value : attribution.tags().get(name);
    }

    Attribution attribution() {
        return attribution;
    }

    private String builtin(BuiltinTag tag) {
        switch (tag) {
            case CALLER_NUMBER:
                return callerNumber();
            case CALLER_AREA_CODE:
                return areaCode;
            case CALLER_STATE:
                return state;
            case CALLER_COUNTRY:
                return callerCountry();
            case DIALED_NUMBER:
                return dialedNumber();
            case SOURCE:
                return source;
            case CAMPAIGN:
                return campaign;
            default:
                throw new IllegalStateException(tag.name());
        }
    }

    /** E.164 of the caller, the text as received when it is not a number, {@code null} when anonymous. */
    String callerNumber() {
        if (callerText == null) {
            if (caller >= 0) {
                callerText = PhoneNumbers.format(caller);
            } else if (caller == PhoneNumbers.INVALID) {
                callerText = call.callerNumber().trim();
            }
        }
        return callerText;
    }

    String dialedNumber() {
        if (dialedText == null) {
            dialedText = PhoneNumbers.format(dialed);
        }
        return dialedText;
    }

    private String callerCountry() {
        if (!countryKnown) {
            country = caller >= 0 ? PhoneNumbers.country(caller) : null;
            countryKnown = true;
        }
        return country;
    }

    /** Every tag: built-ins that have a value, then the call's own tags, then the pool visitor's. */
    Map<String, String> all() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (BuiltinTag tag : BuiltinTag.values()) {
            String value = builtin(tag);
            if (value != null) {
                tags.put(tag.tagName(), value);
            }
        }
        for (int i = 0; i < call.tagCount(); i++) {
            tags.putIfAbsent(call.tagName(i), call.tagValue(i));
        }
        if (attribution != null) {
            attribution.tags().forEach(tags::putIfAbsent);
        }
        return tags;
    }
}
