package dev.lifeguard.impl;

/**
 * The life of one pooled connection. Exactly one party owns a slot in each state but {@link #DESTROYED}:
 * <pre>
 *   CHECKING --lease--------> LEASED --return--> IDLE or CHECKING (validate on return)
 *      ^  \--push-----------> IDLE ---pop------> CHECKING (checkout, keepalive, eviction)
 *   (created)                      any --destroy (once, by CAS)--> DESTROYED
 * </pre>
 */
enum SlotState {
    /** In the idle store; owned by the store. */
    IDLE,
    /** Out of the store and not leased: being created, validated, or decided on by one thread. */
    CHECKING,
    /** Held by exactly one lease. */
    LEASED,
    /** Handed to the factory's destroy; terminal. */
    DESTROYED
}
