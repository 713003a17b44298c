package dev.lifeguard.jca;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import javax.transaction.xa.XAResource;

/**
 * The Lifeguard resource adapter. Pools are offered to applications as administered objects
 * ({@link TcpPoolAdminObject}); their state lives in the {@link PoolRegistry}, keyed by pool name. This adapter
 * runs their maintenance on a container-managed thread ({@link ReaperWork} through the WorkManager) and, when
 * stopped, ends that work and closes every pool it used (destroying their connections and unregistering their
 * MXBeans), so that undeploy leaves nothing behind and a redeploy starts clean.
 */
@Connector(
        displayName = "Lifeguard connection pool",
        description = "Pools of TCP connections, as administered objects; watched and tuned through JMX",
        vendorName = "Lifeguard",
        eisType = "TCP",
        version = "0.1",
        licenseRequired = false,
        reauthenticationSupport = false,
        transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction)
public class LifeguardResourceAdapter implements ResourceAdapter, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LifeguardResourceAdapter.class);
    private static final Duration REAPER_STOP_WAIT = Duration.ofSeconds(10);

    private transient PoolRegistry registry = PoolRegistry.INSTANCE;
    private transient volatile ReaperWork reaper;
    /** Pools declared by administered objects before start (WildFly associates them first); made at start. */
    private transient List<TcpPoolDefinition> declaredBeforeStart = new ArrayList<>();

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        ReaperWork work = new ReaperWork(() -> registry.ownedBy(this));
        try {
            context.getWorkManager().scheduleWork(work, WorkManager.INDEFINITE, null, work);
        } catch (WorkException e) {
            throw new ResourceAdapterInternalException("could not start the Lifeguard reaper on the container's "
                    + "WorkManager: " + e.getMessage(), e);
        }
        List<TcpPoolDefinition> declared;
        synchronized (this) {
            reaper = work;
            declared = new ArrayList<>(declaredBeforeStart);
            declaredBeforeStart.clear();
        }
        for (TcpPoolDefinition d : declared) {
            try {
                registry.obtain(d, this);
            } catch (IllegalArgumentException | IllegalStateException e) {
                stop();
                throw new ResourceAdapterInternalException(e.getMessage(), e);
            }
        }
        LOG.info("Lifeguard resource adapter started; reaper scheduled on the container's WorkManager");
    }

    /**
     * Declares the pool of an administered object: made now if this adapter is started, else at start. Either way
     * the definition is validated now, so a bad one fails the deployment with its reason.
     *
     * @return the pool, or null if it will be made at start
     * @throws IllegalArgumentException if the definition is invalid
     * @throws IllegalStateException    if it clashes with an existing pool
     */
    synchronized PoolEntry declare(TcpPoolDefinition definition) {
        definition.poolConfig();
        definition.tcpSettings();
        if (reaper == null) {
            declaredBeforeStart.add(definition);
            return null;
        }
        return registry.obtain(definition, this);
    }

    @Override
    public void stop() {
        ReaperWork work = reaper;
        reaper = null;
        if (work != null) {
            work.stop();
            try {
                if (!work.awaitFinished(REAPER_STOP_WAIT)) {
                    LOG.warn("Lifeguard reaper did not end within {}", REAPER_STOP_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        registry.release(this);
        LOG.info("Lifeguard resource adapter stopped");
    }

    /**
     * The pool an administered object stands for, made on first use.
     *
     * @throws IllegalArgumentException if the definition is invalid
     * @throws IllegalStateException    if it clashes with an existing pool, or the adapter is not started
     */
    PoolEntry pool(TcpPoolDefinition definition) {
        if (reaper == null) {
            throw new IllegalStateException("the Lifeguard resource adapter is not started (or already stopped)");
        }
        return registry.obtain(definition, this);
    }

    void useRegistry(PoolRegistry other) {
        this.registry = other;
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        throw new NotSupportedException("Lifeguard has no inbound messaging");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        // no inbound messaging: nothing was activated
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** Identity: each adapter instance owns its own reaper and share of the pools. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
