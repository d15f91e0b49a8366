package org.callrouter.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One of the cluster's Lua scripts (resources beside this class): its text and its SHA-1, by
 * which Redis runs it ({@code EVALSHA}) once it has seen it.
 */
record LuaScript(String name, String text, String sha) {

    static final LuaScript ACQUIRE = load("acquire");
    static final LuaScript COMMIT = load("commit");
    static final LuaScript RELEASE = load("release");
    static final LuaScript COUNT = load("count");
    static final LuaScript RENEW = load("renew");
    static final LuaScript POOLS = load("pools");
    static final LuaScript CALLER_LAST = load("caller_last");
    static final LuaScript CALLER_ANSWERED = load("caller_answered");
    static final LuaScript CALLER_CONVERT = load("caller_convert");
    static final List<LuaScript> ALL = List.of(ACQUIRE, COMMIT, RELEASE, COUNT, RENEW, POOLS, CALLER_LAST,
            CALLER_ANSWERED, CALLER_CONVERT);

    private static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + ".lua");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new LuaScript(name, text, HexFormat.of().formatHex(digest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
