package com.engarde.signupsync.bus;

import com.engarde.signupsync.http.TimeBudget;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bus of the local run and the tests: a published event reaches the {@link SyncRequestedHandler}s of this
 * process on a background thread, as EventBridge would hand it to another invocation. There is no Lambda
 * deadline here; {@code signup.sync.in-process.time-budget} (a duration) sets one, to try continuations.
 */
@Singleton
@Requires(missingProperty = "signup.sync.event.bus.name")
public class InProcessBus implements EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessBus.class);

    private final BeanContext beans;
    private final List<UndeliveredRequests> undelivered;
    private final Clock clock;
    private final Duration budget;
    private final ExecutorService executor;
    private final AtomicInteger pending = new AtomicInteger();

    public InProcessBus(BeanContext beans, List<UndeliveredRequests> undelivered, Clock clock,
                        @Nullable @Value("${signup.sync.in-process.time-budget:}") Duration budget) {
        this.beans = beans;
        this.undelivered = undelivered;
        this.clock = clock;
        this.budget = budget;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "in-process-bus-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void publish(List<SyncRequested> events) {
        for (SyncRequested event : events) {
            pending.incrementAndGet();
            executor.execute(() -> {
                try {
                    deliver(event);
                } finally {
                    synchronized (pending) {
                        pending.decrementAndGet();
                        pending.notifyAll();
                    }
                }
            });
        }
    }

    private void deliver(SyncRequested event) {
        List<SyncRequestedHandler> handlers = beans.getBeansOfType(SyncRequestedHandler.class).stream()
                .filter(h -> h.deployed() && h.sourceType().equals(event.sourceType())).toList();
        if (handlers.isEmpty()) {
            // In AWS an event no rule matches is dropped and its run goes stale; here we can say so at once.
            LOG.warn("no sync function for '{}' runs in this process; {} is not carried out", event.sourceType(), event);
            undelivered.forEach(u -> u.undelivered(event, "no sync function for " + event.sourceType() + " is deployed here"));
            return;
        }
        TimeBudget invocation = budget == null ? TimeBudget.unlimited() : new TimeBudget(clock.instant().plus(budget));
        for (SyncRequestedHandler handler : handlers) {
            try {
                handler.handle(event, Invocation.inProcess(invocation));
            } catch (RuntimeException e) {
                LOG.error("{} failed", event, e);
            }
        }
    }

    /** Waits until every published event has been handled (tests, and the local run's shutdown). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pending) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(pending, left);
            }
        }
        return true;
    }

    @PreDestroy
    public void close() {
        executor.shutdownNow();
    }
}
