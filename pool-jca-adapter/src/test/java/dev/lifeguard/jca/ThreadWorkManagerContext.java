package dev.lifeguard.jca;

import java.util.Timer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * A stand-in for a container's BootstrapContext outside a server: scheduled Work runs on a thread of its own, as
 * the container's managed threads would run it. The real containers are exercised by pool-it.
 */
final class ThreadWorkManagerContext implements BootstrapContext, WorkManager {
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Override
    public WorkManager getWorkManager() {
        return this;
    }

    @Override
    public XATerminator getXATerminator() {
        return null;
    }

    @Override
    public Timer createTimer() {
        return new Timer(true);
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
        return false;
    }

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        return null;
    }

    @Override
    public void doWork(Work work) {
        work.run();
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext ec, WorkListener listener) {
        work.run();
    }

    @Override
    public long startWork(Work work) {
        scheduleWork(work);
        return 0;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext ec, WorkListener listener) {
        scheduleWork(work, startTimeout, ec, listener);
        return 0;
    }

    @Override
    public void scheduleWork(Work work) {
        scheduleWork(work, INDEFINITE, null, null);
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext ec, WorkListener listener) {
        Thread t = new Thread(() -> {
            if (listener != null) {
                listener.workStarted(new WorkEvent(this, WorkEvent.WORK_STARTED, work, null));
            }
            work.run();
            if (listener != null) {
                listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work, null));
            }
        }, "container-managed-" + threads.size());
        threads.add(t);
        t.start();
    }
}
