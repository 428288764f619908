package com.kychub.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.kychub.inbound.Failures;
import com.kychub.outbound.EventDeliveries.Claimed;
import com.kychub.outbound.EventMetrics.Outcome;
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
 * holds only its own slots. The results are written by one writer, as many as have come in one short transaction
 * (at 1,000 events a second, a commit per result would be most of the store's work):
 * <ul>
 * <li>delivered: DELIVERED, and the endpoint's run of failures over;</li>
 * <li>failed: due again after the next wait of {@code kyc.events.retry-schedule} (element i is the wait before
 * attempt i+1), DEAD once the schedule is spent; an endpoint failing for {@code disable-after} is disabled
 * (FAILING);</li>
 * <li>{@code 410 Gone}: the endpoint is disabled at once (GONE), the delivery stays PENDING for when it is enabled
 * again.</li>
 * </ul>
 * While deliveries are unsettled, the next claim follows as soon as results are written, not at the next tick: the
 * latency stays low under load, and a case's next event leaves right after the one before it.
 */
@Component
public class EventDispatcher {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
    /** Results written in one transaction at most. */
    private static final int RESULT_BATCH = 500;

    /** How one attempt went, waiting to be written. */
    private record Attempt(Claimed delivery, Instant attemptedAt, SendResult result) {
    }

    private record Counted(UUID endpoint, Outcome outcome) {
    }

    private final EventDeliveries deliveries;
    private final Map<String, EventSender> senders;
    private final TransactionTemplate transaction;
    private final EventMetrics metrics;
    private final EventsProperties settings;
    private final ExecutorService pool;
    private final ExecutorService writer;
    /** Sends in flight on this instance, per endpoint and in all. */
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger inFlightTotal = new AtomicInteger();
    /** Deliveries claimed by this instance whose result is not written yet. */
    private final AtomicInteger unsettled = new AtomicInteger();
    private final BlockingQueue<Attempt> results = new LinkedBlockingQueue<>();
    /** One permit per batch of results written: the dispatcher waits on it to claim again. */
    private final Semaphore written = new Semaphore(0);
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
        this.writer = Executors.newSingleThreadExecutor(new CustomizableThreadFactory("event-results-"));
        writer.execute(this::writeResults);
    }

    /**
     * Claims and sends due deliveries until none is due that this instance may take and none of its own is
     * unsettled; answers how many it sent. While some are, it claims again as soon as results are written (a slot
     * freed, or a case's next event may go), so that neither a full pool nor a case's next event waits for the next
     * tick.
     */
    public int dispatch() {
        int sent = 0;
        while (!closing) {
            written.drainPermits();
            int claimed = claimAndSend();
            sent += claimed;
            if (claimed == 0 && unsettled.get() == 0) {
                return sent;
            }
            if (claimed > 0 && !slotsFull()) {
                continue;
            }
            try {
                written.tryAcquire(settings.dispatchPeriod().toMillis(), TimeUnit.MILLISECONDS);
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
            unsettled.incrementAndGet();
            try {
                pool.execute(() -> send(delivery));
            } catch (RejectedExecutionException shuttingDown) {
                // Sent again once the lease runs out, by whichever instance is still up.
                sendEnded(delivery);
                unsettled.decrementAndGet();
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
            results.add(new Attempt(delivery, attemptedAt, result));
        } finally {
            sendEnded(delivery);
        }
    }

    private void sendEnded(Claimed delivery) {
        inFlight.get(delivery.endpoint().id()).decrementAndGet();
        inFlightTotal.decrementAndGet();
    }

    /** The writer's loop: every result that has come in, in one transaction, until the hub stops and none is left. */
    private void writeResults() {
        List<Attempt> batch = new ArrayList<>();
        while (!(writer.isShutdown() && results.isEmpty())) {
            Attempt first;
            try {
                first = results.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                continue;
            }
            batch.add(first);
            results.drainTo(batch, RESULT_BATCH - 1);
            try {
                List<Counted> counted = transaction.execute(status -> settle(batch));
                counted.forEach(count -> metrics.count(count.endpoint(), count.outcome()));
            } catch (RuntimeException e) {
                // The store is out of reach: the leases run out and these are sent again, with the same webhook-ids.
                log.warn("{} delivery results not written, to be sent again after the lease: {}", batch.size(),
                        Failures.describe(e));
            } finally {
                unsettled.addAndGet(-batch.size());
                batch.clear();
                written.release();
            }
        }
    }

    private List<Counted> settle(List<Attempt> batch) {
        List<Counted> counted = new ArrayList<>();
        List<Attempt> delivered = batch.stream().filter(attempt -> attempt.result().delivered()).toList();
        if (!delivered.isEmpty()) {
            deliveries.markDelivered(delivered.stream().map(Attempt::delivery).toList(),
                    delivered.stream().map(Attempt::attemptedAt).toList(),
                    delivered.stream().map(Attempt::result).toList());
            delivered.forEach(attempt -> counted.add(new Counted(attempt.delivery().endpoint().id(),
                    Outcome.DELIVERED)));
        }
        for (Attempt attempt : batch) {
            if (!attempt.result().delivered()) {
                settleFailure(attempt, counted);
            }
        }
        return counted;
    }

    private void settleFailure(Attempt attempt, List<Counted> counted) {
        Claimed delivery = attempt.delivery();
        UUID endpoint = delivery.endpoint().id();
        if (attempt.result().gone()) {
            if (deliveries.markGone(delivery, attempt.attemptedAt(), attempt.result())) {
                log.warn("Event endpoint {} answered 410 Gone and is disabled (GONE)", endpoint);
            }
            counted.add(new Counted(endpoint, Outcome.GONE));
            return;
        }
        boolean dead = deliveries.markFailed(delivery, attempt.attemptedAt(), attempt.result(),
                retryAfter(delivery.attempts() + 1));
        counted.add(new Counted(endpoint, dead ? Outcome.DEAD : Outcome.FAILED));
        if (deliveries.disableIfFailingFor(endpoint, settings.disableAfter())) {
            log.warn("Event endpoint {} has failed every attempt for {} and is disabled (FAILING)", endpoint,
                    settings.disableAfter());
            counted.add(new Counted(endpoint, Outcome.DISABLED));
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
        // Sends under way finish (each within kyc.events.timeout) and their results are written; what is not settled
        // is sent again after the lease.
        pool.shutdown();
        if (!pool.awaitTermination(settings.timeout().toSeconds() + 1, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        writer.shutdown();
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
            writer.shutdownNow();
        }
    }
}
