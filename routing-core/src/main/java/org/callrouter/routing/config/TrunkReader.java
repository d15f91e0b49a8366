package org.callrouter.routing.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.phone.PhoneNumbers;

/** Reads {@code trunks:}, the outbound SIP trunks (issue 13: lost-call callbacks). */
final class TrunkReader {

    static final int DEFAULT_MAX_CONCURRENT = 10;
    static final int DEFAULT_RING_TIMEOUT_SECONDS = 25;
    private static final int MAX_CONCURRENT = 100_000;

    private final Problems problems;
    private final PhoneNumbers phones;
    private final Secrets secrets;

    TrunkReader(Problems problems, PhoneNumbers phones, Secrets secrets) {
        this.problems = problems;
        this.phones = phones;
        this.secrets = secrets;
    }

    List<TrunkConfig> trunks(MapReader root) {
        List<TrunkConfig> result = new ArrayList<>();
        Map<String, YamlNode.Mark> ids = new LinkedHashMap<>();
        List<YamlNode> items = root.list("trunks");
        for (int i = 0; i < items.size(); i++) {
            TrunkConfig trunk = trunk(MapReader.of(items.get(i), "trunks[" + i + "]", problems), ids);
            if (trunk != null) {
                result.add(trunk);
            }
        }
        return result;
    }

    private TrunkConfig trunk(MapReader t, Map<String, YamlNode.Mark> ids) {
        String id = ModelReader.id(t, ids, "trunk");
        String uri = ModelReader.sipUri(t);
        String username = t.string("username", null);
        boolean credentialsOk = true;
        String password = null;
        if (t.has("password")) {
            t.error("password", "write the password in password_env (an environment variable) or password_file,"
                    + " not in the configuration");
            credentialsOk = false;
        } else {
            boolean given = t.has("password_env") || t.has("password_file");
            password = secrets.read(t, "password", 1, null);
            if (given && password == null) {
                credentialsOk = false; // Secrets said why.
            } else if (username != null && !given) {
                t.error("username", "needs password_env or password_file");
                credentialsOk = false;
            } else if (username == null && given) {
                t.error(t.has("password_env") ? "password_env" : "password_file", "needs username");
                credentialsOk = false;
            }
        }
        if (username != null && (username.isBlank() || username.chars().anyMatch(c -> c < 0x20 || c == '"' || c == 0x7F))) {
            t.error("username", "must be non-empty text without quotes or control characters");
            credentialsOk = false;
        }
        String callerId = callerId(t);
        int maxConcurrent = t.integer("max_concurrent", DEFAULT_MAX_CONCURRENT, 1, MAX_CONCURRENT);
        int ringTimeout = t.integer("ring_timeout_seconds", DEFAULT_RING_TIMEOUT_SECONDS, 1,
                TrunkConfig.MAX_RING_TIMEOUT_SECONDS);
        t.finish();
        if (id == null || uri == null || callerId == null || !credentialsOk) {
            return null;
        }
        return new TrunkConfig(id, uri, username, password, callerId, maxConcurrent, ringTimeout);
    }

    private String callerId(MapReader t) {
        String text = t.requiredString("caller_id");
        if (text == null) {
            return null;
        }
        long number = phones.parse(text);
        if (number < 0) {
            t.error("caller_id", "\"" + text + "\" is not a phone number (default region " + phones.region() + ")");
            return null;
        }
        return PhoneNumbers.format(number);
    }
}
