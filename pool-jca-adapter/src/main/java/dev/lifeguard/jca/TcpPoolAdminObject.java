package dev.lifeguard.jca;

import dev.lifeguard.Lease;
import dev.lifeguard.PoolConfig;
import dev.lifeguard.PoolCounts;
import dev.lifeguard.PoolStats;
import dev.lifeguard.tcp.TcpPool;

import java.io.Serializable;
import java.net.Socket;
import java.time.Duration;
import javax.naming.Reference;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.AdministeredObject;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;

/**
 * The handle an application gets for a Lifeguard TCP pool. It holds only the definition (its configuration
 * properties) and finds the shared pool in its resource adapter; any number of handles with the same pool name use
 * one pool. Configuration errors are reported when the server associates the handle with the adapter (deploy or
 * lookup time), naming the property, the rule and the value.
 */
@AdministeredObject(adminObjectInterfaces = TcpPool.class)
public class TcpPoolAdminObject implements TcpPool, ResourceAdapterAssociation, Referenceable, Serializable {
    private static final long serialVersionUID = 1L;

    @ConfigProperty(description = "Pool name: 1-64 of A-Z a-z 0-9 . _ -; names the MXBean "
            + "dev.lifeguard:type=Pool,name=<poolName>")
    private String poolName;
    @ConfigProperty(description = "Backend host")
    private String host;
    @ConfigProperty(description = "Backend port, 1-65535")
    private Integer port;
    @ConfigProperty(description = "Most connections at once (default 10)")
    private Integer maxSize;
    @ConfigProperty(description = "Idle connections kept open (default 0)")
    private Integer minIdle;
    @ConfigProperty(description = "How long acquire waits, ms (default 30000)")
    private Long acquireTimeoutMillis;
    @ConfigProperty(description = "Idle connections older than this are evicted, ms; 0 = never (default 600000)")
    private Long idleTimeoutMillis;
    @ConfigProperty(description = "Connections older than this are retired, ms; 0 = no limit (default 1800000)")
    private Long maxLifetimeMillis;
    @ConfigProperty(description = "Background validation of idle connections, ms; 0 = off (default 120000)")
    private Long keepaliveIntervalMillis;
    @ConfigProperty(description = "Checkout validates connections idle longer than this, ms; 0 = always (default 0)")
    private Long validationThresholdMillis;
    @ConfigProperty(description = "Most time one validation may take, ms (default 5000)")
    private Long validationTimeoutMillis;
    @ConfigProperty(description = "Leases held longer are logged with their stack, ms; 0 = off (default 0)")
    private Long leakDetectionThresholdMillis;
    @ConfigProperty(description = "How often maintenance runs, ms (default 5000)")
    private Long maintenanceIntervalMillis;
    @ConfigProperty(description = "Validate connections when returned (default false)")
    private Boolean validateOnReturn;
    @ConfigProperty(description = "LIFO or FIFO (default LIFO)")
    private String idleOrder;
    @ConfigProperty(description = "none, liveness, or exchange:<request>:<reply> with \\r \\n escapes "
            + "(default liveness)")
    private String ping;
    @ConfigProperty(description = "Connect (and TLS handshake) timeout, ms (default 5000)")
    private Long connectTimeoutMillis;
    @ConfigProperty(description = "SO_TIMEOUT for application reads, ms; 0 = none (default 0)")
    private Long readTimeoutMillis;
    @ConfigProperty(description = "TCP_NODELAY (default true)")
    private Boolean tcpNoDelay;
    @ConfigProperty(description = "Most connections being opened at once (default 2)")
    private Integer maxConcurrentCreations;

    private transient volatile LifeguardResourceAdapter adapter;
    private transient volatile PoolEntry entry;
    private Reference reference;

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof LifeguardResourceAdapter lifeguard)) {
            throw new ResourceException("a Lifeguard pool must belong to the Lifeguard resource adapter, but got "
                    + ra);
        }
        this.adapter = lifeguard;
        try {
            // Declared now, not on first use: a bad definition fails the deployment with its reason, and operators
            // see the MXBean as soon as the adapter runs.
            entry = lifeguard.declare(definition());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }

    TcpPoolDefinition definition() {
        return new TcpPoolDefinition(poolName, host, port, maxSize, minIdle, acquireTimeoutMillis, idleTimeoutMillis,
                maxLifetimeMillis, keepaliveIntervalMillis, validationThresholdMillis, validationTimeoutMillis,
                leakDetectionThresholdMillis, maintenanceIntervalMillis, validateOnReturn, idleOrder, ping,
                connectTimeoutMillis, readTimeoutMillis, tcpNoDelay, maxConcurrentCreations);
    }

    private PoolEntry entry() {
        PoolEntry e = entry;
        if (e != null) {
            return e;
        }
        LifeguardResourceAdapter ra = adapter;
        if (ra == null) {
            throw new IllegalStateException("this Lifeguard pool handle is not associated with the Lifeguard "
                    + "resource adapter: define it with the server (CLI, asadmin or @AdministeredObjectDefinition) "
                    + "and look it up, rather than constructing it");
        }
        e = ra.pool(definition());
        entry = e;
        return e;
    }

    @Override
    public String name() {
        return entry().pool.name();
    }

    @Override
    public Lease<Socket> acquire() {
        return entry().pool.acquire();
    }

    @Override
    public Lease<Socket> acquire(Duration timeout) {
        return entry().pool.acquire(timeout);
    }

    @Override
    public PoolStats stats() {
        return entry().pool.stats();
    }

    @Override
    public PoolCounts counts() {
        return entry().pool.counts();
    }

    @Override
    public PoolConfig config() {
        return entry().pool.config();
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public String toString() {
        return "TcpPool{" + poolName + " -> " + host + ':' + port + '}';
    }

    // ---- JavaBean properties, set by the server from the administered object's definition ----

    public String getPoolName() {
        return poolName;
    }

    public void setPoolName(String poolName) {
        this.poolName = poolName;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getMaxSize() {
        return maxSize;
    }

    public void setMaxSize(Integer maxSize) {
        this.maxSize = maxSize;
    }

    public Integer getMinIdle() {
        return minIdle;
    }

    public void setMinIdle(Integer minIdle) {
        this.minIdle = minIdle;
    }

    public Long getAcquireTimeoutMillis() {
        return acquireTimeoutMillis;
    }

    public void setAcquireTimeoutMillis(Long v) {
        this.acquireTimeoutMillis = v;
    }

    public Long getIdleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    public void setIdleTimeoutMillis(Long v) {
        this.idleTimeoutMillis = v;
    }

    public Long getMaxLifetimeMillis() {
        return maxLifetimeMillis;
    }

    public void setMaxLifetimeMillis(Long v) {
        this.maxLifetimeMillis = v;
    }

    public Long getKeepaliveIntervalMillis() {
        return keepaliveIntervalMillis;
    }

    public void setKeepaliveIntervalMillis(Long v) {
        this.keepaliveIntervalMillis = v;
    }

    public Long getValidationThresholdMillis() {
        return validationThresholdMillis;
    }

    public void setValidationThresholdMillis(Long v) {
        this.validationThresholdMillis = v;
    }

    public Long getValidationTimeoutMillis() {
        return validationTimeoutMillis;
    }

    public void setValidationTimeoutMillis(Long v) {
        this.validationTimeoutMillis = v;
    }

    public Long getLeakDetectionThresholdMillis() {
        return leakDetectionThresholdMillis;
    }

    public void setLeakDetectionThresholdMillis(Long v) {
        this.leakDetectionThresholdMillis = v;
    }

    public Long getMaintenanceIntervalMillis() {
        return maintenanceIntervalMillis;
    }

    public void setMaintenanceIntervalMillis(Long v) {
        this.maintenanceIntervalMillis = v;
    }

    public Boolean getValidateOnReturn() {
        return validateOnReturn;
    }

    public void setValidateOnReturn(Boolean v) {
        this.validateOnReturn = v;
    }

    /** Payara reads Boolean config properties through an {@code is} accessor. */
    public Boolean isValidateOnReturn() {
        return validateOnReturn;
    }

    public String getIdleOrder() {
        return idleOrder;
    }

    public void setIdleOrder(String v) {
        this.idleOrder = v;
    }

    public String getPing() {
        return ping;
    }

    public void setPing(String v) {
        this.ping = v;
    }

    public Long getConnectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public void setConnectTimeoutMillis(Long v) {
        this.connectTimeoutMillis = v;
    }

    public Long getReadTimeoutMillis() {
        return readTimeoutMillis;
    }

    public void setReadTimeoutMillis(Long v) {
        this.readTimeoutMillis = v;
    }

    public Boolean getTcpNoDelay() {
        return tcpNoDelay;
    }

    public void setTcpNoDelay(Boolean v) {
        this.tcpNoDelay = v;
    }

    /** Payara reads Boolean config properties through an {@code is} accessor. */
    public Boolean isTcpNoDelay() {
        return tcpNoDelay;
    }

    public Integer getMaxConcurrentCreations() {
        return maxConcurrentCreations;
    }

    public void setMaxConcurrentCreations(Integer v) {
        this.maxConcurrentCreations = v;
    }
}
