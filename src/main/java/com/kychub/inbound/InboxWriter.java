package com.kychub.inbound;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.kychub.KycProperties;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.stereotype.Component;

/**
 * Group commit at the door of the inbox: the webhook routes' threads ({@link WebhookDoor#accept}) hand their message
 * here and wait; {@code writer-threads} writers each take every message waiting (up to {@code writer-batch}) and store
 * them with one INSERT in one transaction, then answer each waiting thread with its inbox id. Under load one commit
 * (one WAL flush) acknowledges dozens of webhooks; alone, a webhook is written at once, without waiting for company.
 * <p>
 * A caller is answered only after the commit that holds its message, so a 2xx always means stored. A batch that the
 * database refuses for its content (not for an outage) is written again one message at a time, so one bad message
 * cannot take its neighbours down with it.
 */
@Component
public class InboxWriter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InboxWriter.class);

    /** How long the writers' load is measured over: {@link #crowded} answers for the last such window. */
    private static final long LOAD_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Commits per writer a window must hold to count as crowded: a burst, not one slow commit (a WAL flush stall). */
    private static final int CROWDED_COMMITS_PER_WRITER = 4;

    // unnest keeps the batch one statement with four parameters, whatever its size; ON CONFLICT DO NOTHING makes a
    // redelivery (or a message stored by a concurrent batch) insert nothing, and RETURNING names what was new.
    private static final String INSERT = """
            insert into inbound_message (provider, channel, message_type, dedup_key, headers, body)
            select provider, 'WEBHOOK', 'webhook', dedup_key, headers::jsonb, body
            from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as batch (provider, dedup_key, headers, body)
            on conflict (provider, dedup_key) do nothing
            returning id, provider, dedup_key""";

    private static final String FIND = """
            select m.id, m.provider, m.dedup_key
            from inbound_message m
            join unnest(?::text[], ?::text[]) as batch (provider, dedup_key)
              on m.provider = batch.provider and m.dedup_key = batch.dedup_key""";

    private record Key(String provider, String dedupKey) {
    }

    private record Pending(Key key, String headers, String body, CompletableFuture<Inbox.Stored> result) {
    }

    private final JdbcTemplate jdbc;
    private final KycProperties.Inbox settings;
    private final BlockingQueue<Pending> waiting;
    private final List<Thread> writers = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private volatile boolean running = true;
    /** The writers' time spent storing batches, all writers together, and how many batches they stored. */
    private final AtomicLong busyNanos = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    /** The window the writers' load is being measured over: its start, and {@link #busyNanos} and commits then. */
    private volatile long windowStart = System.nanoTime();
    private long busyAtWindowStart;
    private long commitsAtWindowStart;
    /** Until when the door counts as crowded ({@link #crowded}), in {@link System#nanoTime} terms. */
    private volatile long crowdedUntil = System.nanoTime();

    public InboxWriter(JdbcTemplate jdbc, KycProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.settings = properties.inbox();
        this.waiting = new LinkedBlockingQueue<>(settings.writerQueue());
        this.batchSizes = DistributionSummary.builder("kyc.inbox.commit.batch")
                .description("Webhooks stored per inbox commit (group commit at the door)")
                .register(registry);
        Gauge.builder("kyc.inbox.writer.waiting", waiting, BlockingQueue::size)
                .description("Webhooks waiting at the door for their commit")
                .register(registry);
        for (int i = 1; i <= settings.writerThreads(); i++) {
            Thread writer = new Thread(this::writeWhileRunning, "inbox-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    /**
     * Stores one webhook ({@code headers} already JSON) and returns once it is committed, or finds the one stored
     * before under the same key. Throws a {@link TransientDataAccessException} when the store cannot take it in
     * {@code ack-timeout}: the caller answers 503 and the provider delivers again.
     */
    public Inbox.Stored store(String provider, String dedupKey, String headers, String body) {
        Pending pending = new Pending(new Key(provider, dedupKey), headers, body, new CompletableFuture<>());
        if (!running || !waiting.offer(pending)) {
            throw new QueryTimeoutException("the inbox is not taking messages now");
        }
        try {
            return pending.result().get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // It may still commit; the provider's redelivery will then be answered as a duplicate.
            throw new QueryTimeoutException("the inbox did not commit within " + settings.ackTimeout());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("the inbox writer failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryTimeoutException("interrupted while the inbox committed");
        }
    }

    private void writeWhileRunning() {
        List<Pending> batch = new ArrayList<>(settings.writerBatch());
        while (running || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, settings.writerBatch() - 1);
                long started = System.nanoTime();
                write(batch);
                long ended = System.nanoTime();
                busyNanos.addAndGet(ended - started);
                commits.incrementAndGet();
                measureLoad(ended);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // write() answers every caller itself; this only keeps the writer alive whatever happens.
                fail(batch, e);
                log.error("Inbox writer failed on a batch of {}: {}", batch.size(), e.getClass().getSimpleName());
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Whether the door is crowded: over the last {@link #LOAD_WINDOW_NANOS}, the writers were storing for at least
     * half of their time, in at least {@link #CROWDED_COMMITS_PER_WRITER} commits each, so webhooks queue for a writer.
     * A door taking webhooks now and then, even several at once or in one slow commit, is not crowded: the inbox
     * workers would give way for nothing, and fall behind a load they could keep up with.
     */
    public boolean crowded() {
        return System.nanoTime() - crowdedUntil < 0;
    }

    /** At the end of a window, whether the writers were busy for at least half of it: crowded for the next one. */
    private void measureLoad(long now) {
        if (now - windowStart < LOAD_WINDOW_NANOS) {
            return;
        }
        synchronized (busyNanos) {
            long elapsed = now - windowStart;
            if (elapsed < LOAD_WINDOW_NANOS) {
                return;
            }
            long busy = busyNanos.get() - busyAtWindowStart;
            long committed = commits.get() - commitsAtWindowStart;
            boolean crowded = 2 * busy >= elapsed * settings.writerThreads()
                    && committed >= (long) CROWDED_COMMITS_PER_WRITER * settings.writerThreads();
            crowdedUntil = crowded ? now + LOAD_WINDOW_NANOS : now;
            busyAtWindowStart = busyNanos.get();
            commitsAtWindowStart = commits.get();
            windowStart = now;
        }
    }

    /** Stores a batch and answers each of its callers; never throws. */
    private void write(List<Pending> batch) {
        // Two deliveries of one message in one batch: the first is written, the second is its duplicate.
        Map<Key, List<Pending>> byKey = new LinkedHashMap<>();
        for (Pending pending : batch) {
            byKey.computeIfAbsent(pending.key(), key -> new ArrayList<>()).add(pending);
        }
        List<Pending> firsts = byKey.values().stream().map(same -> same.get(0)).toList();
        Map<Key, Long> inserted;
        try {
            inserted = insert(firsts);
        } catch (DataAccessException e) {
            if (firsts.size() > 1 && !Failures.isStoreOutage(e)) {
                for (List<Pending> same : byKey.values()) {
                    write(same);
                }
            } else {
                fail(batch, e);
            }
            return;
        }
        batchSizes.record(inserted.size());
        List<Key> before = new ArrayList<>();
        byKey.forEach((key, same) -> {
            Long id = inserted.get(key);
            if (id == null) {
                before.add(key);
                return;
            }
            same.get(0).result().complete(new Inbox.Stored(id, false));
            same.stream().skip(1).forEach(duplicate -> duplicate.result().complete(new Inbox.Stored(id, true)));
        });
        if (before.isEmpty()) {
            return;
        }
        List<Pending> duplicates = before.stream().flatMap(key -> byKey.get(key).stream()).toList();
        try {
            Map<Key, Long> found = find(before);
            for (Pending duplicate : duplicates) {
                Long id = found.get(duplicate.key());
                if (id == null) {
                    // Stored by someone else and gone again (erased): the provider's next delivery settles it.
                    duplicate.result().completeExceptionally(
                            new RecoverableDataAccessException("the stored message vanished, deliver again"));
                } else {
                    duplicate.result().complete(new Inbox.Stored(id, true));
                }
            }
        } catch (DataAccessException e) {
            fail(duplicates, e);
        }
    }

    private Map<Key, Long> insert(List<Pending> messages) {
        return keyed(messages.size(), connection -> {
            PreparedStatement statement = connection.prepareStatement(INSERT);
            statement.setArray(1, texts(connection, messages, pending -> pending.key().provider()));
            statement.setArray(2, texts(connection, messages, pending -> pending.key().dedupKey()));
            statement.setArray(3, texts(connection, messages, Pending::headers));
            statement.setArray(4, texts(connection, messages, Pending::body));
            return statement;
        });
    }

    private Map<Key, Long> find(List<Key> keys) {
        return keyed(keys.size(), connection -> {
            PreparedStatement statement = connection.prepareStatement(FIND);
            statement.setArray(1, connection.createArrayOf("text", keys.stream().map(Key::provider).toArray()));
            statement.setArray(2, connection.createArrayOf("text", keys.stream().map(Key::dedupKey).toArray()));
            return statement;
        });
    }

    /** Runs a statement answering (id, provider, dedup_key) rows, in a transaction of its own (autocommit). */
    private Map<Key, Long> keyed(int expected, PreparedStatementCreator statement) {
        Map<Key, Long> ids = new HashMap<>(expected * 2);
        jdbc.query(statement, row -> {
            ids.put(new Key(row.getString("provider"), row.getString("dedup_key")), row.getLong("id"));
        });
        return ids;
    }

    private static Array texts(Connection connection, List<Pending> messages, Function<Pending, String> field)
            throws SQLException {
        return connection.createArrayOf("text", messages.stream().map(field).toArray());
    }

    private static void fail(List<Pending> callers, RuntimeException e) {
        callers.forEach(pending -> pending.result().completeExceptionally(e));
    }

    /** Writes what is already waiting, then stops: a webhook handed over before shutdown is still answered. */
    @Override
    public void destroy() throws InterruptedException {
        running = false;
        for (Thread writer : writers) {
            writer.join(Duration.ofSeconds(10).toMillis());
        }
    }
}
