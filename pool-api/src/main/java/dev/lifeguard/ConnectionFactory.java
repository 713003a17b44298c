package dev.lifeguard;

import java.time.Duration;

/**
 * The service provider interface that makes, checks and disposes of connections of one kind.
 *
 * <p>The pool calls these methods from the acquiring thread or from its maintenance thread, never while holding
 * a lock of its own, and never for the same connection from two threads at once. Implementations must be safe to
 * call concurrently for <em>different</em> connections.
 *
 * <p>The pool guarantees: every connection returned by {@link #create()} is passed to {@link #destroy} exactly
 * once (unless the JVM dies); {@link #validate} is never called on a connection that is leased or destroyed.
 *
 * @param <C> the connection type
 */
public interface ConnectionFactory<C> {

    /**
     * Opens a new connection. It may block (DNS, TCP handshake, TLS, authentication); it should honour its own
     * connect timeout.
     *
     * @return a new, usable connection; never {@code null} (a {@code null} is treated as a creation failure)
     * @throws Exception when the connection cannot be made; the pool passes it to the caller as the cause of a
     *                   {@link ConnectionCreationException}
     */
    C create() throws Exception;

    /**
     * Checks that an idle connection still works (a ping), within {@code timeout}.
     *
     * @param connection a connection this factory created, not currently leased
     * @param timeout    how long the check may take; an implementation that cannot bound its I/O must
     *                   report the connection invalid rather than block longer
     * @return {@code true} if the connection may be handed out; {@code false} to have it destroyed
     * @throws Exception treated exactly like {@code false}
     */
    boolean validate(C connection, Duration timeout) throws Exception;

    /**
     * Closes a connection and frees what it holds. Called exactly once per created connection.
     *
     * @param connection a connection this factory created
     * @throws Exception logged by the pool and otherwise ignored: the connection counts as destroyed
     */
    void destroy(C connection) throws Exception;
}
