package org.callrouter.server.b2bua;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.callrouter.routing.CallContext;
import org.callrouter.routing.IdentityTags;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.header.NameAddress;
import org.callrouter.sip.message.HeaderIndex;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.uri.SipUri;
import org.callrouter.sip.uri.TelUri;
import org.callrouter.server.transport.Destination;

/**
 * What a carrier's INVITE says about who calls, beyond From: the asserted identity
 * ({@code P-Asserted-Identity}, RFC 3325; {@code Remote-Party-ID}, draft-ietf-sip-privacy-04),
 * the caller's wish for privacy ({@code Privacy}, RFC 3323/3325), how the call was diverted
 * ({@code Diversion}, RFC 5806; {@code History-Info}, RFC 7044 with the RFC 4458 causes) and
 * whether it carries a signed identity ({@code Identity}, RFC 8224).
 *
 * <p>{@link #read} looks at the header index once and returns null when none of these headers
 * is there, so a plain INVITE costs one pass over its field codes and no allocation.
 * A header that does not parse is ignored (a carrier's odd header must not fail its call).
 */
final class CarrierIdentity {

    /** The B leg's From for a caller who asked for privacy (RFC 3323 4.1.1.3). */
    static final String ANONYMOUS_FROM = "\"Anonymous\" <sip:anonymous@anonymous.invalid>";

    /** The caller number from the configured sources, or null when none gave one. */
    private final String callerNumber;
    /** The caller asked not to be identified to the handler. */
    private final boolean privacy;
    /** {@code Privacy: history} (RFC 7044 10.1): History-Info is not passed on. */
    private final boolean historyPrivate;
    private final String divertedFrom;
    private final String diversionReason;
    /** The Identity header values, or null when there is none. */
    private final List<String> identities;

    private CarrierIdentity(String callerNumber, boolean privacy, boolean historyPrivate, String divertedFrom,
                            String diversionReason, List<String> identities) {
        this.callerNumber = callerNumber;
        this.privacy = privacy;
        this.historyPrivate = historyPrivate;
        this.divertedFrom = divertedFrom;
        this.diversionReason = diversionReason;
        this.identities = identities;
    }

    /**
     * Reads the identity headers of {@code request}, or returns null when it has none of them
     * (then the caller is From's user, as before).
     *
     * @param source where it came from: its asserted identities are believed only from
     *               {@code server.sip.identity.asserted_from}
     */
    static CarrierIdentity read(SipRequest request, ServerSettings.Identity settings, Destination source) {
        final HeaderIndex index = request.headers();
        boolean any = false;
        for (int i = 0, n = index.count(); i < n && !any; i++) {
            final HeaderName name = index.knownName(i);
            any = name == HeaderName.P_ASSERTED_IDENTITY || name == HeaderName.REMOTE_PARTY_ID
                    || name == HeaderName.PRIVACY || name == HeaderName.DIVERSION
                    || name == HeaderName.HISTORY_INFO || name == HeaderName.IDENTITY;
        }
        if (!any) {
            return null;
        }
        final boolean believed = settings.readsAsserted()
                && settings.believes(source.address().getAddress().getAddress());
        final String privacyHeader = request.header(HeaderName.PRIVACY);
        boolean privacy = hasPrivacyValue(privacyHeader, "id");
        final boolean historyPrivate = hasPrivacyValue(privacyHeader, "history")
                || hasPrivacyValue(privacyHeader, "header");
        String caller = null;
        for (ServerSettings.CallerSource from : settings.callerFrom()) {
            caller = switch (from) {
                case P_ASSERTED_IDENTITY -> believed ? assertedIdentity(request) : null;
                case REMOTE_PARTY_ID -> believed ? remotePartyId(request) : null;
                case FROM -> Call.userOf(request.from().uri());
            };
            if (caller != null && !caller.isEmpty()) {
                break;
            }
            caller = null;
        }
        if (believed && settings.callerFrom().contains(ServerSettings.CallerSource.REMOTE_PARTY_ID)) {
            privacy |= remotePartyPrivate(request);
        }
        String divertedFrom = null;
        String reason = null;
        final NameAddress diversion = last(request, HeaderName.DIVERSION);
        if (diversion != null) {
            divertedFrom = Call.userOf(diversion.uri());
            reason = diversion.param("reason");
        } else {
            final List<NameAddress> history = all(request, HeaderName.HISTORY_INFO);
            if (!history.isEmpty()) {
                divertedFrom = Call.userOf(history.get(0).uri());
                reason = historyReason(history);
            }
        }
        final List<String> identities = request.hasHeader(HeaderName.IDENTITY)
                ? request.headerValues(HeaderName.IDENTITY) : null;
        return new CarrierIdentity(caller, privacy, historyPrivate, divertedFrom,
                reason == null ? null : reason.toLowerCase(Locale.ROOT), identities);
    }

    /** The caller number the configured sources gave, or null. */
    String callerNumber() {
        return callerNumber;
    }

    /** Whether the handler must not learn who calls. */
    boolean privacy() {
        return privacy;
    }

    /** The {@code Identity} header values (RFC 8224), or null when there is none. */
    List<String> identities() {
        return identities;
    }

    /** Adds {@code caller_privacy}, {@code diverted_from} and {@code diversion_reason} when known. */
    void tags(CallContext.Builder context) {
        if (privacy) {
            context.tag(IdentityTags.CALLER_PRIVACY, "id");
        }
        if (divertedFrom != null && !divertedFrom.isEmpty()) {
            context.tag(IdentityTags.DIVERTED_FROM, divertedFrom);
        }
        if (diversionReason != null && !diversionReason.isEmpty()) {
            context.tag(IdentityTags.DIVERSION_REASON, diversionReason);
        }
    }

    /**
     * The carrier's diversion headers as the handler may see them ({@code pass_diversion}):
     * {@code Diversion} always, {@code History-Info} unless the caller asked for its privacy.
     */
    List<HeaderName> passedDiversionHeaders() {
        return historyPrivate ? List.of(HeaderName.DIVERSION) : List.of(HeaderName.DIVERSION, HeaderName.HISTORY_INFO);
    }

    /**
     * Whether an asserted user part may go into the B leg's From as it is: characters of a
     * phone number or a plain name only (it was unescaped; anything else could break the header).
     */
    static boolean isPlainUser(String user) {
        for (int i = 0; i < user.length(); i++) {
            final char c = user.charAt(i);
            final boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || "+-_.!~*'()".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !user.isEmpty();
    }

    private static boolean hasPrivacyValue(String header, String value) {
        if (header == null) {
            return false;
        }
        // priv-value *(";" priv-value), RFC 3323 4.2; a comma list is tolerated.
        int start = 0;
        for (int i = 0; i <= header.length(); i++) {
            if (i == header.length() || header.charAt(i) == ';' || header.charAt(i) == ',') {
                if (header.substring(start, i).trim().equalsIgnoreCase(value)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** RFC 3325 9.1: a sip: and a tel: value may both be there; the tel: number wins. */
    private static String assertedIdentity(SipRequest request) {
        String sipUser = null;
        for (NameAddress identity : all(request, HeaderName.P_ASSERTED_IDENTITY)) {
            if (identity.uri() instanceof TelUri tel) {
                return tel.number();
            }
            if (sipUser == null && identity.uri() instanceof SipUri sip) {
                sipUser = sip.user();
            }
        }
        return sipUser;
    }

    /** The calling party's Remote-Party-ID ({@code party=calling}, the default). */
    private static NameAddress callingParty(SipRequest request) {
        for (NameAddress party : all(request, HeaderName.REMOTE_PARTY_ID)) {
            final String role = party.param("party");
            if (role == null || role.equalsIgnoreCase("calling")) {
                return party;
            }
        }
        return null;
    }

    private static String remotePartyId(SipRequest request) {
        final NameAddress party = callingParty(request);
        return party == null ? null : Call.userOf(party.uri());
    }

    /** RPID {@code privacy=full} or {@code privacy=uri} hides the number. */
    private static boolean remotePartyPrivate(SipRequest request) {
        if (!request.hasHeader(HeaderName.REMOTE_PARTY_ID)) {
            return false;
        }
        final NameAddress party = callingParty(request);
        final String privacy = party == null ? null : party.param("privacy");
        return privacy != null && (privacy.equalsIgnoreCase("full") || privacy.equalsIgnoreCase("uri"));
    }

    /**
     * The reason of a History-Info chain as an RFC 5806 reason: the first RFC 4458 {@code cause}
     * URI parameter of a retargeted entry, else the cause of a {@code Reason} escaped into an
     * entry's URI (RFC 7044 9.4), mapped as RFC 6044 4.3 maps them.
     */
    private static String historyReason(List<NameAddress> history) {
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i).uri() instanceof SipUri sip && sip.param("cause") != null) {
                return causeReason(sip.param("cause"));
            }
        }
        for (NameAddress entry : history) {
            if (entry.uri() instanceof SipUri sip && sip.header("Reason") != null) {
                final String reason = sip.header("Reason");
                final int cause = reason.toLowerCase(Locale.ROOT).indexOf("cause=");
                if (cause >= 0) {
                    int end = cause + 6;
                    while (end < reason.length() && Character.isDigit(reason.charAt(end))) {
                        end++;
                    }
                    return causeReason(reason.substring(cause + 6, end));
                }
            }
        }
        return null;
    }

    /** RFC 6044 table 2 (RFC 4458 cause to RFC 5806 reason). */
    static String causeReason(String cause) {
        return switch (cause.trim()) {
            case "302" -> "unconditional";
            case "486" -> "user-busy";
            case "408" -> "no-answer";
            case "480", "487" -> "deflection";
            case "503" -> "unavailable";
            default -> "unknown";
        };
    }

    private static NameAddress last(SipRequest request, HeaderName name) {
        final List<NameAddress> values = all(request, name);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** Every value of a name-addr list header, or an empty list when absent or malformed. */
    private static List<NameAddress> all(SipRequest request, HeaderName name) {
        if (!request.hasHeader(name)) {
            return List.of();
        }
        final List<NameAddress> out = new ArrayList<>(2);
        try {
            for (String value : request.headerValues(name)) {
                out.add(NameAddress.parse(value));
            }
        } catch (SipParseException e) {
            return List.of();
        }
        return out;
    }
}
