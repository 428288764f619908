package com.kychub.scheduling;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The steps of a continuous poller ({@code width-poll-executions}, a greedy {@code scheduler} route): each run of the
 * route {@link #reserve reserves} what may be polled now (room among the cases handed out, the rate limit), claims
 * that many due cases ({@code canonical-claim-due}), and {@link #handOut hands} each to the per-case route on the
 * provider's pool without waiting for it; when nothing was due, it {@link #idle waits} for the earliest next look (at
 * most the idle wait). Bound in Camel's registry as {@code <provider>PollLoop} by {@link PollExecutors}.
 * <p>
 * Up to twice poll-threads cases are out at once: as many polling as there are threads, and as many again waiting in
 * the pool's queue for the next free thread. A claim is made once a pool's worth of room is free, so the threads never
 * wait for a claim, and a claim takes several cases (one claim per freed thread would be one UPDATE and commit per
 * poll); a case waits in the queue for about one poll of each thread, milliseconds.
 * <p>
 * A case is looked at by one thread at a time: claimed again while its last look is still under way (a provider
 * answering slower than poll-every), it is not handed out; the claim has moved its next look one period on.
 */
public class PollLoop {

    /** Read by Camel's scheduler consumer: false makes the greedy route wait its delay before the next run. */
    static final String POLLED = "CamelSchedulerPolledMessages";
    static final String RESERVED = "pollReserved";

    private final CamelContext camel;
    private final ExecutorService pool;
    private final String pollCase;
    private final int batch;
    private final long idleMillis;
    private final int poolSize;
    private final Semaphore room;
    private final Pace pace;
    /** The ids of the cases handed out and not yet looked at. */
    private final Set<Object> underWay = ConcurrentHashMap.newKeySet();
    private ProducerTemplate producer;

    /**
     * @param pool       the provider's pool, at least {@code threads} threads
     * @param pollCase   the route that looks at one claimed case
     * @param threads    at most that many cases looked at at once (poll-threads)
     * @param batch      at most that many cases claimed at once (poll-batch)
     * @param perSecond  at most that many cases handed out a second (requests-per-second)
     * @param idleMillis the longest wait when nothing is due (poll-tick-millis)
     */
    public PollLoop(CamelContext camel, ExecutorService pool, String pollCase, int threads, int batch,
                    int perSecond, long idleMillis) {
        this.camel = camel;
        this.pool = pool;
        this.pollCase = pollCase;
        this.batch = batch;
        this.idleMillis = idleMillis;
        this.poolSize = threads;
        this.room = new Semaphore(2 * threads);
        this.pace = new Pace(perSecond);
    }

    /**
     * Waits until a pool's worth of room is free (no more than poll-threads cases out) and the rate limit lets one more
     * case through, then sets the variable {@code pollBatch} to how many cases may be claimed now (room, rate,
     * poll-batch). What is reserved and not handed out is given back when the exchange completes, a failed claim
     * included.
     */
    public void reserve(Exchange exchange) throws InterruptedException {
        exchange.setProperty(POLLED, false);
        int reserved = 0;
        while (reserved == 0 && !exchange.getContext().isStopping()) {
            if (room.tryAcquire(poolSize, idleMillis, TimeUnit.MILLISECONDS)) {
                reserved = poolSize + room.drainPermits();
            }
        }
        if (reserved > batch) {
            room.release(reserved - batch);
            reserved = batch;
        }
        int allowed = reserved == 0 ? 0 : pace.take(reserved);
        room.release(reserved - allowed);
        AtomicInteger unused = new AtomicInteger(allowed);
        exchange.setVariable(RESERVED, unused);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                room.release(unused.getAndSet(0));
            }
        });
        exchange.setVariable("pollBatch", allowed);
    }

    /**
     * Hands each claimed case to the per-case route on the pool, unless its last look is still under way; each gives
     * its room back once looked at.
     */
    public void handOut(@Body List<Map<String, Object>> claimed, Exchange exchange) {
        AtomicInteger unused = exchange.getVariable(RESERVED, AtomicInteger.class);
        ProducerTemplate producer = producer();
        for (Map<String, Object> dueCase : claimed) {
            unused.decrementAndGet();
            Object id = dueCase.get("id");
            if (!underWay.add(id)) {
                room.release();
                continue;
            }
            try {
                pool.execute(() -> {
                    try {
                        producer.send(pollCase, poll -> poll.getMessage().setBody(dueCase));
                    } finally {
                        underWay.remove(id);
                        room.release();
                    }
                });
            } catch (RejectedExecutionException stopping) {
                // The pool is shut down with Camel: this case was claimed one period on and is due again then.
                underWay.remove(id);
                room.release();
            }
        }
        exchange.setProperty(POLLED, true);
    }

    /** Room for cases: twice poll-threads, less those reserved, polling or queued. */
    int freeRoom() {
        return room.availablePermits();
    }

    /** Made once Camel runs (the loop is built before the context starts); only the route's one thread calls it. */
    private ProducerTemplate producer() {
        if (producer == null) {
            producer = camel.createProducerTemplate();
        }
        return producer;
    }

    /**
     * Nothing was due: waits until the earliest next look, at most the idle wait (a case that becomes due meanwhile,
     * a new one or one another instance released, waits at most that long).
     *
     * @param dueInMillis how long until the provider's earliest next look, from {@code canonical-next-due}; null when
     *                    the provider has no case to look at
     */
    public void idle(@Body Long dueInMillis, Exchange exchange) throws InterruptedException {
        long wait = dueInMillis == null ? idleMillis : Math.min(Math.max(dueInMillis, 0), idleMillis);
        if (wait > 0 && !exchange.getContext().isStopping()) {
            Thread.sleep(wait);
        }
        exchange.setProperty(POLLED, true);
    }

    /**
     * At most {@code perSecond} cases a second: a bucket of up to a tenth of a second's worth, refilled as time passes,
     * so that no second sees much more than the limit.
     */
    static final class Pace {

        private final double perNano;
        private final double capacity;
        private double tokens;
        private long refilledAt = System.nanoTime();

        Pace(int perSecond) {
            this.perNano = perSecond / 1e9;
            this.capacity = Math.max(1, perSecond / 10.0);
            this.tokens = capacity;
        }

        /** Waits until one case may go, then takes up to {@code wanted}; answers how many it took. */
        synchronized int take(int wanted) throws InterruptedException {
            refill();
            while (tokens < 1) {
                TimeUnit.NANOSECONDS.sleep((long) Math.ceil((1 - tokens) / perNano));
                refill();
            }
            int taken = (int) Math.min(wanted, Math.floor(tokens));
            tokens -= taken;
            return taken;
        }

        private void refill() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
        }
    }
}
