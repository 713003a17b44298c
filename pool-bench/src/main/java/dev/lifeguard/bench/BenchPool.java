package dev.lifeguard.bench;

/**
 * One pool under test, reduced to what every benchmark needs: take a handle, give it back. Each adapter is as thin
 * as its pool allows, so that the benchmark measures the pool, not the adapter. Pools hold 10 objects that do
 * nothing, created up front, so only pool overhead is measured.
 */
public interface BenchPool extends AutoCloseable {

    /** @return the handle to give back (a lease, a proxy connection, the pooled object) */
    Object acquire() throws Exception;

    void release(Object handle) throws Exception;

    @Override
    void close() throws Exception;
}
