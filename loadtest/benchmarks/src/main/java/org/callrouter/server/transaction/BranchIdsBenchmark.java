package org.callrouter.server.transaction;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the identifiers of a call cost on the SIP thread since they come from a {@code
 * SecureRandom} (issue 14 item 2): a call key, a tag, and every identifier a typical answered
 * call mints (the key, the carrier tag, the B leg's Call-ID and tag, the branches of its
 * INVITE, ACK and BYE). For comparison, the call key as it was ({@code ThreadLocalRandom}) and
 * as a direct {@code SecureRandom} draw without the buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BranchIdsBenchmark {

    private SecureRandom drbg;
    private final byte[] key = new byte[16];

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        drbg = SecureRandom.getInstance("DRBG");
    }

    @Benchmark
    public String callKey() {
        return BranchIds.callKey();
    }

    @Benchmark
    public String tag() {
        return BranchIds.tag();
    }

    @Benchmark
    public void typicalCall(Blackhole sink) {
        sink.consume(BranchIds.callKey());
        sink.consume(BranchIds.tag());
        sink.consume(BranchIds.callIdPart());
        sink.consume(BranchIds.tag());
        sink.consume(BranchIds.branch());
        sink.consume(BranchIds.branch());
        sink.consume(BranchIds.branch());
    }

    /** The call key before issue 14: predictable from any one output of the same generator. */
    @Benchmark
    public String callKeyThreadLocalRandom() {
        return BranchIds.hex(ThreadLocalRandom.current().nextLong()) + BranchIds.hex(ThreadLocalRandom.current().nextLong());
    }

    /** A SecureRandom draw per key, without the buffer. */
    @Benchmark
    public String callKeyUnbufferedDrbg() {
        drbg.nextBytes(key);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (key[i] & 0xFF);
            low = low << 8 | (key[8 + i] & 0xFF);
        }
        return BranchIds.hex(high) + BranchIds.hex(low);
    }
}
