package dev.lifeguard.impl;

/** Why a connection was destroyed; each feeds its own counter and log line. */
enum DestroyReason {
    INVALIDATED("invalidated by its lease holder"),
    VALIDATION_FAILED("failed validation"),
    IDLE_TIMEOUT("idle longer than idleTimeout"),
    LIFETIME("older than maxLifetime"),
    OPERATOR("evicted or retired by an operator"),
    SHRUNK("above a reduced maxSize"),
    CLOSED("pool closed");

    final String description;

    DestroyReason(String description) {
        this.description = description;
    }
}
