package org.callrouter.server.sipua;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * An outbound SIP trunk and the customer behind it, for callback tests: a {@link Handler} (the
 * customer's phone, UAS) behind a Digest gate (RFC 3261 22.4, RFC 7616, RFC 8760). A new INVITE
 * without credentials gets 401 (or 407) with one challenge per algorithm offered, in that order;
 * one with credentials has its response hash checked here, with {@link MessageDigest} and a
 * parser of its own (not the router's code), and gets 403 when anything is wrong. It can also
 * refuse every call with 403, or challenge again whatever the credentials (a trunk whose password
 * was changed). Once the credentials pass, the customer's {@link Behaviour} answers.
 */
public final class TrunkPeer implements AutoCloseable {

    public static final String REALM = "trunk.test";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]+))");

    private final Handler customer;
    private final String username;
    private final String password;
    private volatile List<String> algorithms = List.of("SHA-256", "MD5");
    private volatile boolean proxy;
    private volatile boolean forbidAll;
    private volatile boolean neverSatisfied;
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private TrunkPeer(int port, String username, String password) {
        this.username = username;
        this.password = password;
        this.customer = Handler.open("customer", port, SipUa.Transport.UDP).gate(this::gate);
    }

    /** A trunk on UDP {@code port} that knows one account. */
    public static TrunkPeer open(int port, String username, String password) {
        return new TrunkPeer(port, username, password);
    }

    /** {@code sip:127.0.0.1:port}: the trunk's URI in the router's configuration. */
    public String uri() {
        return customer.uri();
    }

    /** The customer's phone: its behaviour, and what it received. */
    public Handler customer() {
        return customer;
    }

    /** Challenges offer these algorithms ({@code SHA-256}, {@code MD5}), one WWW-Authenticate each, in order. */
    public TrunkPeer offer(String... names) {
        algorithms = List.of(names);
        return this;
    }

    /** Challenges with 407 and Proxy-Authenticate (a proxy in front of the trunk) instead of 401. */
    public TrunkPeer proxy() {
        proxy = true;
        return this;
    }

    /** Every INVITE gets 403. */
    public TrunkPeer forbidAll() {
        forbidAll = true;
        return this;
    }

    /** Credentials are checked, then challenged again anyway (not {@code stale}). */
    public TrunkPeer neverSatisfied() {
        neverSatisfied = true;
        return this;
    }

    /** The algorithm of each set of credentials that passed, in order. */
    public List<String> accepted() {
        return List.copyOf(accepted);
    }

    /** Why credentials were refused, in order. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        customer.close();
    }

    private boolean gate(SipUa agent, ServerTransaction transaction, Request request, String toTag) throws Exception {
        if (forbidAll) {
            agent.respond(transaction, request, Response.FORBIDDEN, toTag, false);
            return true;
        }
        final String header = proxy ? "Proxy-Authorization" : "Authorization";
        final javax.sip.header.Header credentials = request.getHeader(header);
        if (credentials != null) {
            final String problem = check(credentials.toString().substring(credentials.toString().indexOf(':') + 1).trim(),
                    request);
            if (problem != null) {
                refused.add(problem);
                agent.respond(transaction, request, Response.FORBIDDEN, toTag, false);
                return true;
            }
            if (!neverSatisfied) {
                return false;
            }
        }
        agent.respond(transaction, request, proxy ? Response.PROXY_AUTHENTICATION_REQUIRED : Response.UNAUTHORIZED,
                toTag, false, response -> {
                    for (String algorithm : algorithms) {
                        final String nonce = UUID.randomUUID().toString();
                        nonces.add(nonce);
                        response.addHeader(agent.headerFactory().createHeader(
                                proxy ? "Proxy-Authenticate" : "WWW-Authenticate",
                                "Digest realm=\"" + REALM + "\", nonce=\"" + nonce + "\", algorithm=" + algorithm
                                        + ", qop=\"auth\", opaque=\"op-" + algorithm + "\""));
                    }
                });
        return true;
    }

    /** Why the credentials are wrong, or null (RFC 7616 3.4.1, qop=auth). */
    private String check(String value, Request request) {
        if (!value.startsWith("Digest ")) {
            return "not Digest: " + value;
        }
        final Map<String, String> p = new HashMap<>();
        final Matcher m = PARAM.matcher(value.substring(7));
        while (m.find()) {
            p.put(m.group(1).toLowerCase(), m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3));
        }
        final String algorithm = p.getOrDefault("algorithm", "MD5");
        final String uri = p.get("uri");
        if (!nonces.contains(p.get("nonce"))) {
            return "nonce not ours: " + value;
        }
        if (!username.equals(p.get("username")) || !REALM.equals(p.get("realm"))) {
            return "username or realm: " + value;
        }
        if (!request.getRequestURI().toString().equals(uri)) {
            return "uri " + uri + " is not the Request-URI " + request.getRequestURI();
        }
        if (!"auth".equals(p.get("qop")) || p.get("cnonce") == null || p.get("nc") == null) {
            return "qop, cnonce or nc: " + value;
        }
        if (!("op-" + algorithm).equals(p.get("opaque"))) {
            return "opaque not returned: " + value;
        }
        final String ha1 = hash(algorithm, username + ":" + REALM + ":" + password);
        final String ha2 = hash(algorithm, request.getMethod() + ":" + uri);
        final String expected = hash(algorithm, ha1 + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce")
                + ":auth:" + ha2);
        if (!expected.equals(p.get("response"))) {
            return "wrong response for " + algorithm + ": " + value;
        }
        accepted.add(algorithm);
        return null;
    }

    private static String hash(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException(algorithm, e);
        }
    }
}
