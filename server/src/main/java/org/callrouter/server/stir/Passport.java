package org.callrouter.server.stir;

import java.net.URI;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.callrouter.routing.CallContext;
import org.callrouter.routing.IdentityTags;

/**
 * The PASSporT of an {@code Identity} header (RFC 8224 4.1, RFC 8225, SHAKEN RFC 8588), read and
 * checked except for its signature: ES256, {@code ppt=shaken}, an https {@code x5u}, {@code attest}
 * A/B/C, {@code iat} within the allowed age (RFC 8224 6.2.2 suggests 60 s), and {@code orig.tn} /
 * {@code dest.tn} those of the call (RFC 8224 6.2.1). Its claims become call tags
 * ({@link IdentityTags}); a PASSporT that fails a check loses its {@code attestation} tag and says
 * why in {@code attestation_error}, so a campaign that requires an attestation refuses it and
 * every other campaign routes the call as usual.
 */
public final class Passport {

    private final SignedJWT jwt;
    private final String attest;
    private final String origTn;
    private final String destTn;
    private final String origId;
    private final long iatSeconds;
    private final URI x5u;
    private final boolean shaken;
    /** Why it is not good, or null while it may still be (its signature is not checked here). */
    private final String error;

    private Passport(SignedJWT jwt, String attest, String origTn, String destTn, String origId, long iatSeconds,
                     URI x5u, boolean shaken, String error) {
        this.jwt = jwt;
        this.attest = attest;
        this.origTn = origTn;
        this.destTn = destTn;
        this.origId = origId;
        this.iatSeconds = iatSeconds;
        this.x5u = x5u;
        this.shaken = shaken;
        this.error = error;
    }

    /**
     * The SHAKEN PASSporT among a request's {@code Identity} values (others, such as
     * {@code ppt=div} ones, RFC 8946, are passed over), or the first value's verdict when none is.
     *
     * @param values        the Identity header values, at least one
     * @param nowMs         the time of the check, epoch ms
     * @param maxAgeSeconds how far {@code iat} may be from now
     * @param caller        the caller number of the call, or null
     * @param dialed        the dialed number of the call, or null
     */
    public static Passport select(List<String> values, long nowMs, int maxAgeSeconds, String caller, String dialed) {
        Passport first = null;
        for (String value : values) {
            final Passport p = parse(value, nowMs, maxAgeSeconds, caller, dialed);
            if (p.shaken) {
                return p;
            }
            if (first == null) {
                first = p;
            }
        }
        return first;
    }

    /** Reads one Identity header value: {@code <jwt>;info=<url>;alg=ES256;ppt=shaken}. */
    static Passport parse(String value, long nowMs, int maxAgeSeconds, String caller, String dialed) {
        final int semicolon = value.indexOf(';');
        final String token = (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
        if (token.contains("..")) {
            return failed("compact form PASSporT (RFC 8224 7.2) is not supported");
        }
        final SignedJWT jwt;
        final JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return failed("malformed PASSporT: " + e.getMessage());
        }
        final JWSHeader header = jwt.getHeader();
        final Object ppt = header.getCustomParam("ppt");
        final boolean shaken = "shaken".equals(ppt);
        final URI x5u = header.getX509CertURL();
        String attest = null;
        String orig = null;
        String dest = null;
        String origId = null;
        long iat = -1;
        String error = null;
        try {
            attest = claims.getStringClaim("attest");
            orig = tn(claims.getJSONObjectClaim("orig"));
            dest = tn(claims.getJSONObjectClaim("dest"));
            origId = claims.getStringClaim("origid");
            final Date issued = claims.getIssueTime();
            iat = issued == null ? -1 : issued.getTime() / 1000;
        } catch (ParseException | RuntimeException e) {
            error = "malformed PASSporT claims: " + e.getMessage();
        }
        if (error == null) {
            error = problem(header, shaken, ppt, x5u, attest, orig, iat, nowMs, maxAgeSeconds, caller, dest, dialed);
        }
        return new Passport(jwt, attest, orig, dest, origId, iat, x5u, shaken, error);
    }

    /** The first check the PASSporT fails, or null. */
    private static String problem(JWSHeader header, boolean shaken, Object ppt, URI x5u, String attest, String orig,
                                  long iat, long nowMs, int maxAgeSeconds, String caller, String dest,
                                  String dialed) {
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            return "alg " + header.getAlgorithm() + " is not ES256";
        }
        if (!shaken) {
            return "ppt " + ppt + " is not shaken";
        }
        if (x5u == null || !"https".equalsIgnoreCase(x5u.getScheme()) || x5u.getHost() == null) {
            return "x5u " + x5u + " is not an https URL";
        }
        if (attest == null || !(attest.equals("A") || attest.equals("B") || attest.equals("C"))) {
            return "attest " + attest + " is not A, B or C";
        }
        if (orig == null || iat < 0) {
            return "orig.tn or iat missing";
        }
        final long ageSeconds = nowMs / 1000 - iat;
        if (Math.abs(ageSeconds) > maxAgeSeconds) {
            return ageSeconds > 0 ? "stale: iat is " + ageSeconds + " s old (more than " + maxAgeSeconds + ")"
                    : "iat is " + -ageSeconds + " s in the future";
        }
        // An anonymous From (no digits) has nothing to compare: the PASSporT is then the only
        // statement of who calls, and the caller_privacy tag says the caller hid.
        if (caller != null && !digits(caller).isEmpty() && !sameNumber(orig, caller)) {
            return "orig.tn " + orig + " is not the caller " + caller;
        }
        if (dest != null && dialed != null && !digits(dialed).isEmpty() && !sameNumber(dest, dialed)) {
            return "dest.tn " + dest + " is not the dialed number " + dialed;
        }
        return null;
    }

    /**
     * Whether two renderings of a number are the same number: their digits are equal, or one ends
     * with the other's and that one has at least ten digits (a national number against its E.164
     * form: {@code 4155550100} and {@code 14155550100}).
     */
    static boolean sameNumber(String a, String b) {
        final String x = digits(a);
        final String y = digits(b);
        if (x.isEmpty() || y.isEmpty()) {
            return false;
        }
        if (x.equals(y)) {
            return true;
        }
        final String longer = x.length() >= y.length() ? x : y;
        final String shorter = longer == x ? y : x;
        return shorter.length() >= 10 && longer.endsWith(shorter);
    }

    private static String digits(String s) {
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code {"tn": "..."}} or {@code {"tn": ["...", ...]}}: the (first) number, or null. */
    private static String tn(Map<String, Object> party) {
        if (party == null) {
            return null;
        }
        final Object tn = party.get("tn");
        if (tn instanceof String s) {
            return s;
        }
        if (tn instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof String s) {
            return s;
        }
        return null;
    }

    private static Passport failed(String error) {
        return new Passport(null, null, null, null, null, -1, null, false, error);
    }

    /** Whether it passed every check but the signature's, so verifying it may make it verified. */
    public boolean verifiable() {
        return error == null;
    }

    /** Why it is not good, or null. */
    public String error() {
        return error;
    }

    /** Where its signing certificate is. */
    URI x5u() {
        return x5u;
    }

    SignedJWT jwt() {
        return jwt;
    }

    /**
     * Adds its tags: the claims it has, {@code attestation} unless it failed a check,
     * {@code attestation_verified} and {@code attestation_error}.
     *
     * @param verified   whether its signature was verified
     * @param lateError  why it is not verified or not good (from the verification), or null
     * @param invalid    whether the verification found it bad (its attestation is then dropped)
     */
    public void tags(CallContext.Builder context, boolean verified, String lateError, boolean invalid) {
        final String why = error != null ? error : lateError;
        if (error == null && !invalid && attest != null) {
            context.tag(IdentityTags.ATTESTATION, attest);
        }
        context.tag(IdentityTags.ATTESTATION_VERIFIED, verified && why == null ? "true" : "false");
        if (origTn != null) {
            context.tag(IdentityTags.ATTESTATION_ORIG, origTn);
        }
        if (destTn != null) {
            context.tag(IdentityTags.ATTESTATION_DEST, destTn);
        }
        if (iatSeconds >= 0) {
            context.tag(IdentityTags.ATTESTATION_IAT, Long.toString(iatSeconds));
        }
        if (origId != null) {
            context.tag(IdentityTags.ATTESTATION_ORIGID, origId);
        }
        if (why != null) {
            context.tag(IdentityTags.ATTESTATION_ERROR, why);
        }
    }
}
