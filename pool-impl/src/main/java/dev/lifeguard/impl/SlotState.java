package dev.lifeguard.impl;

/**
 * The life of one pooled connection. Exactly one party owns a slot in each state but {@link #DESTROYED}:
 * <pre>
 *   CHECKING --lease--------> LEASED --return--> IDLE or CHECKING (validate on return)
 *      ^  \--push-----------> IDLE ---pop------> CHECKING (checkout, keepalive, eviction)
 *   (created)                 IDLE ---reclaim--> CHECKING (its last returning thread, by affinity)
 *                                  any --destroy (once, by CAS)--> DESTROYED
 * </pre>
 * Every move out of IDLE is a CAS, so whichever way a slot is taken (popped from the store or reclaimed by
 * affinity) exactly one thread gets it; out of LEASED, only the thread that won the lease's stamp moves it; out of
 * CHECKING, only its owner.
 */
enum SlotState {
    /** Idle: owned by the idle store (which holds a reference to it), free for the first CAS. */
    IDLE,
    /** Out of the store and not leased: being created, validated, or decided on by one thread. */
    CHECKING,
    /** Held by exactly one lease. */
    LEASED,
    /** Handed to the factory's destroy; terminal. */
    DESTROYED
}
