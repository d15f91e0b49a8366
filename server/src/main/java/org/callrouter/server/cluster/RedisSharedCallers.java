package org.callrouter.server.cluster;

import java.util.concurrent.CompletionStage;

import io.lettuce.core.ScriptOutputType;
import org.callrouter.routing.store.CallerIndex;
import org.callrouter.routing.store.SharedCallers;

/**
 * The cluster's caller index in Redis (server README, "Cluster: shared state in Redis"): one hash
 * per caller and campaign, {@code cr:caller:<campaign>:<caller digits>}, with the fields of
 * {@code CallerRecord} ({@code h}, {@code a}: the last answering handler and when; {@code c0},
 * {@code k0}, {@code c1}, {@code k1}: each side's last conversion and its call's hash). Each step
 * is one Lua script on the node's one connection ({@link RedisSharedCaps}), with its timeout.
 */
public final class RedisSharedCallers implements SharedCallers {

    /**
     * How long an entry lives when its campaign has no window at all: what a postback-only side
     * records (the call's hash, so that a repeated postback is not counted twice) stays a day.
     */
    static final long NO_WINDOW_RETENTION_MS = 86_400_000L;

    private final RedisSharedCaps redis;

    /** The caller index on {@code redis}'s connection (its failures are counted in its {@link ClusterStats}). */
    public RedisSharedCallers(RedisSharedCaps redis) {
        this.redis = redis;
    }

    static String key(String campaignId, long caller) {
        return "cr:caller:" + campaignId + ":" + caller;
    }

    private static String retention(long retentionMs) {
        return retentionMs == FOREVER ? "-1"
                : Long.toString(retentionMs == 0 ? NO_WINDOW_RETENTION_MS : retentionMs);
    }

    @Override
    public CompletionStage<String> lastHandler(String campaignId, long caller, long sinceMs) {
        return redis.run(ClusterStats.Step.REPEAT, LuaScript.CALLER_LAST, ScriptOutputType.VALUE,
                new String[] {key(campaignId, caller)}, Long.toString(sinceMs));
    }

    @Override
    public void recordAnswered(String campaignId, long caller, String handlerId, long nowMs, long retentionMs) {
        redis.run(ClusterStats.Step.ANSWERED, LuaScript.CALLER_ANSWERED, ScriptOutputType.INTEGER,
                new String[] {key(campaignId, caller)}, handlerId, Long.toString(nowMs), retention(retentionMs));
    }

    @Override
    public CompletionStage<Converted> convert(String campaignId, long caller, CallerIndex.Side side, long callHash,
                                              long nowMs, long windowMs, long retentionMs) {
        CompletionStage<Long> step = redis.run(ClusterStats.Step.DEDUPE, LuaScript.CALLER_CONVERT,
                ScriptOutputType.INTEGER, new String[] {key(campaignId, caller)},
                side == CallerIndex.Side.SOURCE ? "0" : "1", Long.toString(callHash), Long.toString(nowMs),
                windowMs == FOREVER ? "-1" : Long.toString(windowMs), retention(retentionMs));
        return step.thenApply(earlier -> earlier == 0 ? new Converted(CallerIndex.Conversion.CONVERTED, 0)
                : earlier > 0 ? new Converted(CallerIndex.Conversion.DEDUPED, earlier)
                : new Converted(CallerIndex.Conversion.SAME_CALL, -earlier));
    }
}
