package dev.lifeguard.impl;

import java.util.concurrent.atomic.AtomicInteger;

/** A fake connection that knows whether it is healthy and how often it was destroyed. */
final class TestConnection {
    final int id;
    volatile boolean healthy = true;
    final AtomicInteger destroyCount = new AtomicInteger();
    final AtomicInteger validations = new AtomicInteger();

    TestConnection(int id) {
        this.id = id;
    }

    @Override
    public String toString() {
        return "conn-" + id;
    }
}
