package org.callrouter.server.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import org.callrouter.routing.config.PoolConfig;
import org.callrouter.routing.pool.Allocation;
import org.callrouter.routing.pool.SharedPools;

/**
 * The pools' leases and visitor sessions in Redis (server README, "Cluster: shared state in
 * Redis"): each step is one call of the {@code pools.lua} script on the connection of
 * {@link RedisSharedCaps}, with its timeout and failure counts. Nothing here blocks the caller.
 *
 * <p>Redis learns a pool's numbers from the routers: each allocation carries the SHA-1 of the
 * pool's number list as this router has it, and when Redis has another list the router sends
 * its own ({@code seed}) and allocates again. Two routers with different lists for one pool
 * (a reload on one of them only) take turns at seeding; the numbers both list keep their leases.
 */
public final class RedisSharedPools implements SharedPools {

    /** Every key of the pools shares one hash tag, so a step may reach a session's pool from the session. */
    static final String PREFIX = "cr:{pools}:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {
    };

    /** A pool's number list and its version, as last sent. */
    private record Numbers(List<String> numbers, String version) {
    }

    private final RedisSharedCaps redis;
    private final Map<String, Numbers> versions = new ConcurrentHashMap<>();

    public RedisSharedPools(RedisSharedCaps redis) {
        this.redis = redis;
    }

    /** The keys of a pool: free numbers, leased numbers, each number's holder, the number list's version. */
    static String[] poolKeys(String poolId) {
        String pool = PREFIX + "p:" + poolId + ":";
        return new String[] {pool + "free", pool + "lease", pool + "holder", pool + "numbers"};
    }

    static String sessionKey(String sessionId) {
        return PREFIX + "s:" + sessionId;
    }

    @Override
    public CompletionStage<Allocation> allocate(PoolConfig pool, String heldSessionId, NewSession session,
                                                String clientAddress, int maxSessionsPerAddress) {
        String[] keys = poolKeys(pool.id());
        String version = version(pool);
        String[] args = {"allocate", PREFIX, version, pool.id(), Long.toString(pool.leaseSeconds() * 1000L),
            Long.toString(pool.attributionGraceSeconds() * 1000L), pool.renew() ? "1" : "0",
            heldSessionId == null ? "" : heldSessionId, session.id(), clientAddress == null ? "" : clientAddress,
            Integer.toString(maxSessionsPerAddress), session.source(), json(session.tags()),
            session.pageUrl() == null ? "" : session.pageUrl()};
        return steps(ClusterStats.Step.POOL_ALLOCATE, keys, args).thenCompose(answer -> {
            if (!"seed".equals(answer.get(0))) {
                return CompletableFuture.completedFuture(allocation(answer));
            }
            return seed(pool, keys, version)
                    .thenCompose(seeded -> steps(ClusterStats.Step.POOL_ALLOCATE, keys, args))
                    .thenApply(again -> {
                        if ("seed".equals(again.get(0))) {
                            throw new IllegalStateException("pool " + pool.id() + " has another number list on"
                                    + " another router (a reload that reached only some routers?)");
                        }
                        return allocation(again);
                    });
        });
    }

    private CompletionStage<List<Object>> seed(PoolConfig pool, String[] keys, String version) {
        List<String> args = new ArrayList<>(pool.numbers().size() + 3);
        args.add("seed");
        args.add(PREFIX);
        args.add(version);
        args.addAll(pool.numbers());
        return steps(ClusterStats.Step.POOL_ALLOCATE, keys, args.toArray(new String[0]));
    }

    private static Allocation allocation(List<Object> answer) {
        String status = (String) answer.get(0);
        return switch (status) {
            case "created", "kept" -> new Allocation(status.equals("created") ? Allocation.Status.CREATED
                    : Allocation.Status.KEPT, (String) answer.get(1), (String) answer.get(2),
                    Long.parseLong((String) answer.get(3)));
            case "address_cap" -> new Allocation(Allocation.Status.ADDRESS_CAP, null, null, 0);
            case "exhausted" -> new Allocation(Allocation.Status.NO_NUMBER, null, null, 0);
            default -> throw new IllegalStateException("pools.lua answered " + answer);
        };
    }

    @Override
    public CompletionStage<Allocation> renew(String sessionId) {
        return steps(ClusterStats.Step.POOL_SESSION, new String[] {sessionKey(sessionId)}, "renew", PREFIX, sessionId)
                .thenApply(answer -> "renewed".equals(answer.get(0))
                        ? new Allocation(Allocation.Status.RENEWED, sessionId, (String) answer.get(2),
                                Long.parseLong((String) answer.get(3)))
                        : new Allocation(Allocation.Status.UNKNOWN_SESSION, null, null, 0));
    }

    @Override
    public CompletionStage<Boolean> pageView(String sessionId, String url) {
        return steps(ClusterStats.Step.POOL_SESSION, new String[] {sessionKey(sessionId)}, "view", PREFIX, sessionId,
                url).thenApply(answer -> "viewed".equals(answer.get(0)));
    }

    @Override
    public CompletionStage<Boolean> release(String sessionId) {
        return steps(ClusterStats.Step.POOL_SESSION, new String[] {sessionKey(sessionId)}, "release", PREFIX,
                sessionId).thenApply(answer -> "released".equals(answer.get(0)));
    }

    @Override
    public CompletionStage<Visitor> holder(PoolConfig pool, String number) {
        return steps(ClusterStats.Step.POOL_LOOKUP, new String[] {poolKeys(pool.id())[2]}, "lookup", PREFIX, number)
                .thenApply(answer -> {
                    if (answer.isEmpty()) {
                        return null;
                    }
                    List<String> path = new ArrayList<>();
                    for (Object view : (List<?>) answer.get(3)) {
                        path.add((String) view);
                    }
                    return new Visitor((String) answer.get(0), (String) answer.get(1), tags((String) answer.get(2)),
                            List.copyOf(path));
                });
    }

    private CompletionStage<List<Object>> steps(ClusterStats.Step step, String[] keys, String... args) {
        return redis.run(step, LuaScript.POOLS, ScriptOutputType.MULTI, keys, args);
    }

    /** The SHA-1 of the pool's number list, kept while the list stays the same. */
    private String version(PoolConfig pool) {
        Numbers known = versions.get(pool.id());
        if (known != null && known.numbers().equals(pool.numbers())) {
            return known.version();
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            for (String number : pool.numbers()) {
                sha.update(number.getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) '\n');
            }
            String version = HexFormat.of().formatHex(sha.digest());
            versions.put(pool.id(), new Numbers(pool.numbers(), version));
            return version;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static String json(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static Map<String, String> tags(String json) {
        try {
            return Collections.unmodifiableMap(JSON.readValue(json, TAGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a session's tags in Redis are not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
