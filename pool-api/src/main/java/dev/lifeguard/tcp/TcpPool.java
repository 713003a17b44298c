package dev.lifeguard.tcp;

import dev.lifeguard.SharedPool;

import java.net.Socket;

/**
 * A pool of TCP connections owned by a container (the Lifeguard resource adapter), as an application gets it:
 * <pre>{@code
 * @Resource(lookup = "java:/lifeguard/redis")
 * TcpPool redis;
 *
 * try (Lease<Socket> lease = redis.acquire()) { ... }
 * }</pre>
 * The handle is cheap and may be a new object on every lookup; all handles with the same pool name share one pool.
 */
public interface TcpPool extends SharedPool<Socket> {
}
