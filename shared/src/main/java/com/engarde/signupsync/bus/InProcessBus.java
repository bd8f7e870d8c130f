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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bus of the local run and the tests: a published event reaches the {@link SyncRequestedHandler}s of this
 * process on a background thread, as EventBridge would hand it to another invocation. There is no Lambda
 * deadline here; {@code signup.sync.in-process.time-budget} (a duration) sets one, to try continuations.
 * <p>
 * An event with a not-before time (a continuation waiting for a vendor's quota to reset) is held until then
 * by the {@link Clock}: a timer delivers it when it is due, and {@link #deliverDue()} delivers what is due
 * now (tests move the clock). A held event is lost with the process; its run waits in the run log, and the
 * first dispatch after its time carries it out.
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
    private final List<SyncRequested> held = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "in-process-bus-timer");
        thread.setDaemon(true);
        return thread;
    });

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
        List<SyncRequested> now = new ArrayList<>();
        for (SyncRequested event : events) {
            if (event.waitsAt(clock.instant())) {
                held.add(event);
                long delay = Duration.between(clock.instant(), event.notBefore()).toMillis();
                timer.schedule(this::deliverDue, delay, TimeUnit.MILLISECONDS);
                LOG.info("{} is held until {}", event, event.notBefore());
            } else {
                now.add(event);
            }
        }
        deliver(now);
    }

    /** Delivers the held events whose not-before time has come by the clock; answers how many. */
    public int deliverDue() {
        List<SyncRequested> due = new ArrayList<>();
        for (SyncRequested event : held) {
            if (!event.waitsAt(clock.instant()) && held.remove(event)) {
                due.add(event);
            }
        }
        deliver(due);
        return due.size();
    }

    /** Events held for a not-before time that has not come yet. */
    public List<SyncRequested> held() {
        return List.copyOf(held);
    }

    private void deliver(List<SyncRequested> events) {
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
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
