package org.callrouter.loadtest.report;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the generator itself cost: a load generator shares the machine with the router under test,
 * and its own garbage-collection pauses would show up as latency. Process CPU time comes from
 * {@code com.sun.management.OperatingSystemMXBean} where the JVM has it (-1 otherwise).
 *
 * @param cpuSeconds CPU time of the whole generator process (JIT compiler and GC threads included)
 * @param loopCpuSeconds CPU time of the event loop thread, which does all the SIP work
 * @param gcCount    garbage collections
 * @param gcMillis   time spent in them (pause and concurrent, as the JVM reports)
 * @param heapUsedMiB heap in use at the end
 */
public record GeneratorUsage(double cpuSeconds, double loopCpuSeconds, long gcCount, long gcMillis,
                             long heapUsedMiB) {

    /** The usage so far; {@code loopCpuNs} is the event loop's CPU time (-1 unknown). */
    public static GeneratorUsage now(long loopCpuNs) {
        double cpu = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            cpu = Math.round(os.getProcessCpuTime() / 1e7) / 100.0;
        }
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(gc.getCollectionCount(), 0);
            millis += Math.max(gc.getCollectionTime(), 0);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        return new GeneratorUsage(cpu, loopCpuNs < 0 ? -1 : Math.round(loopCpuNs / 1e7) / 100.0, count, millis, heap);
    }

    /** The usage between {@code start} and this. */
    public GeneratorUsage since(GeneratorUsage start) {
        return new GeneratorUsage(Math.round((cpuSeconds - start.cpuSeconds) * 100) / 100.0, loopCpuSeconds,
                gcCount - start.gcCount, gcMillis - start.gcMillis, heapUsedMiB);
    }
}
