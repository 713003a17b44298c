package dev.lifeguard.jca;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkListener;

/**
 * The adapter's reaper: one long-running {@link Work} on a container-managed thread that runs each pool's
 * maintenance when it is due. Neither WildFly nor Payara interrupts a running Work on undeploy, so it ends only
 * through {@link #stop()} (or {@link #release()}), which wakes it at once.
 */
final class ReaperWork implements Work, WorkListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReaperWork.class);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Supplier<List<PoolEntry>> pools;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopped;

    ReaperWork(Supplier<List<PoolEntry>> pools) {
        this.pools = pools;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                for (PoolEntry e : pools.get()) {
                    try {
                        e.maintainIfDue(System.nanoTime());
                    } catch (RuntimeException | Error ex) {
                        LOG.error("Lifeguard maintenance of pool '{}' failed", e.pool.name(), ex);
                    }
                }
                lock.lock();
                try {
                    if (!stopped) {
                        wake.awaitNanos(TICK_NANOS);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the container wants its thread back: leave
        } finally {
            finished.countDown();
        }
    }

    /** Called by the container when it wants the thread back. */
    @Override
    public void release() {
        stop();
    }

    void stop() {
        stopped = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return true if the loop has ended (or never started and never will) */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void workAccepted(WorkEvent e) {
        // nothing to do until it starts
    }

    @Override
    public void workRejected(WorkEvent e) {
        LOG.error("the container rejected the Lifeguard reaper; pools will get no background maintenance",
                e.getException());
        finished.countDown();
    }

    @Override
    public void workStarted(WorkEvent e) {
        // running
    }

    @Override
    public void workCompleted(WorkEvent e) {
        finished.countDown();
    }
}
