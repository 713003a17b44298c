package dev.lifeguard;

/**
 * The right to use one pooled connection, from {@link Pool#acquire()} until {@link #close()} or {@link #invalidate()}.
 *
 * <p>A lease is meant for one caller at a time, inside a try-with-resources block:
 * <pre>{@code
 * try (Lease<Socket> lease = pool.acquire()) {
 *     use(lease.connection());
 * }
 * }</pre>
 *
 * <p>The caller must not keep the connection (or anything derived from it) after the lease ends, and must not
 * close or otherwise dispose of the connection itself: call {@link #invalidate()} instead, and the pool destroys it.
 *
 * <p>What the pool guarantees even when the lease is misused: {@link #close()} and {@link #invalidate()} are
 * idempotent and safe to race against each other; only the first of them has any effect, so a connection is
 * never returned twice, destroyed twice, or handed to a second caller while this lease still holds it. After the
 * lease has ended, {@link #connection()} throws {@link IllegalStateException} rather than hand out a connection
 * that may already belong to someone else.
 *
 * @param <C> the connection type
 */
public interface Lease<C> extends AutoCloseable {

    /**
     * The leased connection.
     *
     * @return the connection, never {@code null}
     * @throws IllegalStateException if this lease has already been closed or invalidated
     */
    C connection();

    /**
     * Returns the connection to the pool. The pool may validate it, keep it, or destroy it (for example when it
     * has outlived its maximum lifetime, when the pool is closed or shrinking). Calling this again, or after
     * {@link #invalidate()}, does nothing.
     */
    @Override
    void close();

    /**
     * Ends the lease and destroys the connection instead of returning it, because the caller knows it is broken
     * (a protocol error, an I/O exception). The capacity it held is freed at once, so a waiting caller is
     * served with a new connection. Calling this again, or after {@link #close()}, does nothing.
     */
    void invalidate();

    /**
     * Whether this lease still holds its connection.
     *
     * @return {@code true} until the first {@link #close()} or {@link #invalidate()}
     */
    boolean isActive();
}
