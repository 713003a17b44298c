package dev.lifeguard.bench;

import org.openjdk.jmh.infra.Blackhole;

/**
 * One pool under test, reduced to what every benchmark needs: take a handle, give it back. Each adapter is as thin
 * as its pool allows, so that the benchmark measures the pool, not the adapter. Pools hold 10 objects that do
 * nothing, created up front, so only pool overhead is measured.
 */
public interface BenchPool extends AutoCloseable {

    /** @return the handle to give back (a lease, a proxy connection, the pooled object) */
    Object acquire() throws Exception;

    void release(Object handle) throws Exception;

    /**
     * One acquire + release, written the way the pool is meant to be used. By default {@link #acquire} then
     * {@link #release}; a pool whose handle is a scoped resource overrides it with try-with-resources.
     *
     * @return the pooled object, for the benchmark to consume
     */
    default Object cycle() throws Exception {
        Object h = acquire();
        release(h);
        return h;
    }

    /** Acquire, {@code tokens} of CPU work holding the object, release; the handle consumed by {@code bh}. */
    default void cycleWithWork(long tokens, Blackhole bh) throws Exception {
        Object h = acquire();
        Blackhole.consumeCPU(tokens);
        bh.consume(h);
        release(h);
    }

    @Override
    void close() throws Exception;
}
