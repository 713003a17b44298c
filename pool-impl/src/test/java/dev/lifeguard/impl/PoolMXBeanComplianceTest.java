package dev.lifeguard.impl;

import dev.lifeguard.Pool;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolMXBean;
import dev.lifeguard.Pools;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.OpenType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolMXBeanComplianceTest {
    private final TestFactory factory = new TestFactory();

    @Test
    void isAValidMXBeanWithOnlyOpenTypesAndADescriptionForEverything() throws Exception {
        assertTrue(JMX.isMXBeanInterface(PoolMXBean.class));
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (Pool<TestConnection> pool = Pools.create(PoolConfig.builder().name("compliance").build(), factory)) {
            ObjectName name = Pools.registerMBean(pool, server);
            assertEquals(new ObjectName("dev.lifeguard:type=Pool,name=compliance"), name);
            MBeanInfo info = server.getMBeanInfo(name);
            assertEquals("true", info.getDescriptor().getFieldValue("mxbean"));
            for (MBeanAttributeInfo a : info.getAttributes()) {
                assertTrue(a.getDescriptor().getFieldValue("openType") instanceof OpenType,
                        a.getName() + " is not an open type");
                assertFalse(a.getDescription().isBlank() || a.getDescription().equals(a.getName()),
                        a.getName() + " has no description");
                assertFalse(a.getDescription().startsWith("Attribute exposed"), a.getName() + " default text");
            }
            for (MBeanOperationInfo o : info.getOperations()) {
                assertFalse(o.getDescription().startsWith("Operation exposed"), o.getName() + " default text");
                assertTrue(o.getDescriptor().getFieldValue("openType") instanceof OpenType, o.getName());
                Arrays.stream(o.getSignature()).forEach(p -> assertTrue(
                        p.getDescriptor().getFieldValue("openType") instanceof OpenType, p.getName()));
            }
            MBeanOperationInfo resize = Arrays.stream(info.getOperations())
                    .filter(o -> o.getName().equals("resize")).findFirst().orElseThrow();
            assertEquals("maxSize", resize.getSignature()[0].getName());
            assertEquals("minIdle", resize.getSignature()[1].getName());
            Set<String> writable = Arrays.stream(info.getAttributes()).filter(MBeanAttributeInfo::isWritable)
                    .map(MBeanAttributeInfo::getName).collect(Collectors.toSet());
            assertEquals(Set.of("MaxSize", "MinIdle", "AcquireTimeoutMillis", "IdleTimeoutMillis",
                    "MaxLifetimeMillis", "KeepaliveIntervalMillis", "ValidationThresholdMillis",
                    "LeakDetectionThresholdMillis"), writable);
        }
    }

    @Test
    void aNameClashIsAClearErrorAndCloseUnregisters() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        Pool<TestConnection> first = Pools.create(PoolConfig.builder().name("twin").build(), factory);
        Pool<TestConnection> second = Pools.create(PoolConfig.builder().name("twin").build(), factory);
        try {
            ObjectName name = Pools.registerMBean(first, server);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Pools.registerMBean(second, server));
            assertEquals("an MBean named dev.lifeguard:type=Pool,name=twin is already registered: pool names must "
                    + "be unique per MBeanServer (close the other pool first, or choose another name)",
                    e.getMessage());
            first.close();
            assertFalse(server.isRegistered(name), "unregistered on close");
            Pools.registerMBean(second, server);
            assertTrue(server.isRegistered(name));
            second.close();
            assertFalse(server.isRegistered(name));
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void aClosedPoolCannotBeRegistered() {
        Pool<TestConnection> pool = Pools.create(PoolConfig.builder().name("gone").build(), factory);
        pool.close();
        assertThrows(IllegalStateException.class,
                () -> Pools.registerMBean(pool, MBeanServerFactory.newMBeanServer()));
    }
}
