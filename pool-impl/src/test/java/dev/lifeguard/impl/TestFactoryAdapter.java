package dev.lifeguard.impl;

/** A {@link TestFactory} to extend with a particular behaviour (slowness, say). */
class TestFactoryAdapter extends TestFactory {
}
