package com.kychub.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.kychub.inbound.Failures;
import com.kychub.outbound.EventDeliveries.Claimed;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers outbound events: the {@code events-dispatch} route calls {@link #dispatch} every
 * {@code kyc.events.dispatch-period} on every instance. A claim ({@link EventDeliveries#claim}, FOR UPDATE SKIP
 * LOCKED, committed before anything is sent) takes due deliveries, at most one per case and endpoint (the first
 * pending one: a case's events go out in order), and leases them for {@code kyc.events.lease}; each is then sent on
 * a bounded pool ({@code threads}), at most {@code endpoint-threads} at once per endpoint, so that a slow endpoint
 * holds only its own slots. Each result is written in its own short transaction:
 * <ul>
 * <li>delivered: DELIVERED, and the endpoint's run of failures over;</li>
 * <li>failed: due again after the next wait of {@code kyc.events.retry-schedule} (element i is the wait before
 * attempt i+1), DEAD once the schedule is spent; an endpoint failing for {@code disable-after} is disabled
 * (FAILING);</li>
 * <li>{@code 410 Gone}: the endpoint is disabled at once (GONE), the delivery stays PENDING for when it is enabled
 * again.</li>
 * </ul>
 * While deliveries are in flight, the next claim follows as soon as one settles, not at the next tick: the latency
 * stays low under load, and a case's next event leaves right after the one before it.
 */
@Component
public class EventDispatcher {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final EventDeliveries deliveries;
    private final Map<String, EventSender> senders;
    private final TransactionTemplate transaction;
    private final EventMetrics metrics;
    private final EventsProperties settings;
    private final ExecutorService pool;
    /** Deliveries claimed by this instance and not settled yet, per endpoint. */
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger inFlightTotal = new AtomicInteger();
    /** One permit per settled delivery: the dispatcher waits on it for a free slot. */
    private final Semaphore settled = new Semaphore(0);
    /** Set when the hub shuts down: a dispatcher kept busy by a steady load lets its route stop. */
    private volatile boolean closing;

    public EventDispatcher(EventDeliveries deliveries, List<EventSender> senders, TransactionTemplate transaction,
                           EventMetrics metrics, EventsProperties settings) {
        this.deliveries = deliveries;
        this.senders = senders.stream().collect(Collectors.toMap(EventSender::kind, Function.identity()));
        this.transaction = transaction;
        this.metrics = metrics;
        this.settings = settings;
        this.pool = Executors.newFixedThreadPool(settings.threads(), new CustomizableThreadFactory("event-send-"));
    }

    /**
     * Claims and sends due deliveries until none is due that this instance may take and none of its own is in flight;
     * answers how many it sent. While deliveries are in flight it claims again as soon as one settles (a slot frees, or
     * a case's next event may go), so that neither a full pool nor a case's next event waits for the next tick.
     */
    public int dispatch() {
        int sent = 0;
        while (!closing) {
            settled.drainPermits();
            int claimed = claimAndSend();
            sent += claimed;
            if (claimed == 0 && inFlightTotal.get() == 0) {
                return sent;
            }
            if (claimed > 0 && !slotsFull()) {
                continue;
            }
            try {
                settled.tryAcquire(settings.dispatchPeriod().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return sent;
            }
        }
        return sent;
    }

    private int claimAndSend() {
        int free = Math.min(settings.batchSize(), settings.threads() - inFlightTotal.get());
        if (free <= 0 || senders.isEmpty()) {
            return 0;
        }
        Map<UUID, Integer> busy = new HashMap<>();
        inFlight.forEach((endpoint, count) -> {
            if (count.get() > 0) {
                busy.put(endpoint, count.get());
            }
        });
        List<Claimed> claimed = transaction.execute(status -> deliveries.claim(senders.keySet(), busy,
                settings.endpointThreads(), free, settings.lease()));
        for (Claimed delivery : claimed) {
            inFlight.computeIfAbsent(delivery.endpoint().id(), id -> new AtomicInteger()).incrementAndGet();
            inFlightTotal.incrementAndGet();
            try {
                pool.execute(() -> send(delivery));
            } catch (RejectedExecutionException shuttingDown) {
                // Sent again once the lease runs out, by whichever instance is still up.
                release(delivery);
            }
        }
        return claimed.size();
    }

    /** Whether the pool, or an endpoint's slots, are all taken: the next claim may find more once one frees. */
    private boolean slotsFull() {
        return inFlightTotal.get() >= settings.threads()
                || inFlight.values().stream().anyMatch(count -> count.get() >= settings.endpointThreads());
    }

    private void send(Claimed delivery) {
        try {
            Instant attemptedAt = Instant.now();
            SendResult result = senders.get(delivery.endpoint().kind()).send(delivery.endpoint(), delivery.event());
            transaction.executeWithoutResult(status -> settle(delivery, attemptedAt, result));
        } catch (RuntimeException e) {
            // The store is out of reach: the lease runs out and the delivery is sent again, with the same webhook-id.
            log.warn("Delivery {} to endpoint {} not settled: {}", delivery.event().deliveryId(),
                    delivery.endpoint().id(), Failures.describe(e));
        } finally {
            release(delivery);
        }
    }

    private void release(Claimed delivery) {
        inFlight.get(delivery.endpoint().id()).decrementAndGet();
        inFlightTotal.decrementAndGet();
        settled.release();
    }

    private void settle(Claimed delivery, Instant attemptedAt, SendResult result) {
        UUID endpoint = delivery.endpoint().id();
        if (result.delivered()) {
            deliveries.markDelivered(delivery, attemptedAt, result);
            metrics.count(endpoint, EventMetrics.Outcome.DELIVERED);
            return;
        }
        if (result.gone()) {
            if (deliveries.markGone(delivery, attemptedAt, result)) {
                log.warn("Event endpoint {} answered 410 Gone and is disabled (GONE)", endpoint);
            }
            metrics.count(endpoint, EventMetrics.Outcome.GONE);
            return;
        }
        boolean dead = deliveries.markFailed(delivery, attemptedAt, result, retryAfter(delivery.attempts() + 1));
        metrics.count(endpoint, dead ? EventMetrics.Outcome.DEAD : EventMetrics.Outcome.FAILED);
        if (deliveries.disableIfFailingFor(endpoint, settings.disableAfter())) {
            log.warn("Event endpoint {} has failed every attempt for {} and is disabled (FAILING)", endpoint,
                    settings.disableAfter());
            metrics.count(endpoint, EventMetrics.Outcome.DISABLED);
        }
    }

    /** The wait before the next attempt, after {@code attempts} attempts; null when none is left. */
    Duration retryAfter(int attempts) {
        List<Duration> schedule = settings.retrySchedule();
        return attempts < schedule.size() ? schedule.get(attempts) : null;
    }

    @EventListener(ContextClosedEvent.class)
    void closing() {
        closing = true;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        // Sends under way finish (each within kyc.events.timeout); what is not settled is sent again after the lease.
        pool.shutdown();
        if (!pool.awaitTermination(settings.timeout().toSeconds() + 1, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
