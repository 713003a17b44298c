package dev.lifeguard.impl;

import dev.lifeguard.Pool;
import dev.lifeguard.PoolMXBean;
import dev.lifeguard.Pools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Registers a pool's MXBean, and unregisters it when the pool closes. */
final class PoolMBeanRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(PoolMBeanRegistration.class);

    private PoolMBeanRegistration() {
    }

    static ObjectName register(Pool<?> pool, MBeanServer server) {
        if (!(pool instanceof LifeguardPool<?> lifeguard)) {
            throw new IllegalArgumentException("only pools made by Pools.create can be registered, but got "
                    + pool.getClass().getName());
        }
        if (lifeguard.isClosed()) {
            throw new IllegalStateException("pool '" + pool.name() + "' is closed; it cannot be registered");
        }
        ObjectName name = Pools.objectName(pool.name());
        try {
            server.registerMBean(new DescribedMXBean<>(new PoolMXBeanImpl(lifeguard), PoolMXBean.class), name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("an MBean named " + name + " is already registered: pool names must be "
                    + "unique per MBeanServer (close the other pool first, or choose another name)", e);
        } catch (JMException e) {
            throw new IllegalStateException("could not register " + name + ": " + e, e);
        }
        lifeguard.onClose(() -> unregister(server, name));
        // If close() ran between the check above and the hook's registration, its hooks may have run already.
        if (lifeguard.isClosed()) {
            unregister(server, name);
        }
        return name;
    }

    private static void unregister(MBeanServer server, ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // already gone (unregistered by an operator or by the race guard above)
        } catch (JMException e) {
            LOG.warn("could not unregister {}: {}", name, e.toString());
        }
    }
}
