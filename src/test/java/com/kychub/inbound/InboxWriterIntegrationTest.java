package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Group commit at the door: webhooks that arrive while the writers are busy are stored together, in one
 * transaction, and each is answered only after that commit. To make "while the writers are busy" certain, the test
 * holds an exclusive lock on the inbox table, lets both writers block on it with one message each, queues the rest,
 * then lets go.
 */
class InboxWriterIntegrationTest extends HubIntegrationTest {

    @Autowired
    private DataSource dataSource;

    @Autowired
    private InboxWriter writer;

    @Autowired
    private MeterRegistry registry;

    private final ExecutorService senders = Executors.newFixedThreadPool(40);

    @AfterEach
    void stopSenders() {
        senders.shutdownNow();
    }

    @Test
    void webhooksWaitingTogetherAreCommittedInOneTransactionAndEachAnsweredWithItsOwnId() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bodies.add("{\"userId\":\"u-group-" + i + "\",\"status\":\"APPROVED\"}");
        }
        // Ten of them are delivered twice at the same moment, as providers do.
        List<String> deliveries = new ArrayList<>(bodies);
        deliveries.addAll(bodies.subList(0, 10));

        Map<String, List<JsonNode>> answers = new HashMap<>();
        try (Connection lock = dataSource.getConnection()) {
            int lockHolder = holdInboxLock(lock);
            List<CompletableFuture<HttpResponse<String>>> blockers = new ArrayList<>();
            for (int writers = 1; writers <= 2; writers++) {
                String body = "{\"userId\":\"u-blocker-" + writers + "\",\"status\":\"APPROVED\"}";
                blockers.add(send(() -> postStriga(body)));
                awaitWritersBlocked(lockHolder, writers);
            }

            List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
            for (String body : deliveries) {
                queued.add(send(() -> postStriga(body)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingAtTheDoor() == deliveries.size());
            assertThat(queued).noneMatch(CompletableFuture::isDone);
            lock.rollback();

            for (CompletableFuture<HttpResponse<String>> blocker : blockers) {
                assertThat(blocker.get().statusCode()).isEqualTo(200);
            }
            for (int i = 0; i < deliveries.size(); i++) {
                HttpResponse<String> answer = queued.get(i).get();
                assertThat(answer.statusCode()).isEqualTo(200);
                answers.computeIfAbsent(deliveries.get(i), body -> new ArrayList<>()).add(readJson(answer.body()));
            }
        }

        // received_at defaults to now(), the start of the inserting transaction. (Not xmin: the inbox worker
        // updates each row as it processes it, and an updated row carries the updater's xmin.)
        assertThat(jdbc.queryForList("""
                select distinct received_at from inbound_message where body like '%u-group-%'""", Object.class))
                .as("one transaction stored every queued webhook: %s", jdbc.queryForList(
                        "select id, substr(body, 1, 40) b, received_at from inbound_message order by id"))
                .hasSize(1)
                .doesNotContainAnyElementsOf(jdbc.queryForList("""
                        select received_at from inbound_message where body like '%u-blocker-%'""", Object.class));
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where body like '%u-group-%'",
                Integer.class)).isEqualTo(20);
        for (String body : bodies) {
            List<JsonNode> sameMessage = answers.get(body);
            long id = sameMessage.get(0).get("id").asLong();
            assertThat(sameMessage).allSatisfy(answer -> assertThat(answer.get("id").asLong()).isEqualTo(id));
            assertThat(sameMessage).extracting(answer -> answer.get("status").asText())
                    .containsExactlyInAnyOrderElementsOf(sameMessage.size() == 2
                            ? List.of("accepted", "duplicate") : List.of("accepted"));
            assertThat(jdbc.queryForObject("select body from inbound_message where id = ?", String.class, id))
                    .isEqualTo(body);
        }
        awaitCase("striga", "u-group-19", "APPROVED", "NONE");
    }

    @Test
    void aMessageTheDatabaseRefusesFailsAloneAndItsBatchIsStored() throws Exception {
        try (Connection lock = dataSource.getConnection()) {
            int lockHolder = holdInboxLock(lock);
            List<CompletableFuture<Inbox.Stored>> blockers = new ArrayList<>();
            for (int writers = 1; writers <= 2; writers++) {
                blockers.add(store("blocker-" + writers, "{}"));
                awaitWritersBlocked(lockHolder, writers);
            }

            List<CompletableFuture<Inbox.Stored>> good = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                good.add(store("good-" + i, "{\"content-type\":\"application/json\"}"));
            }
            // Headers that are not JSON: the cast in the INSERT refuses the whole statement.
            CompletableFuture<Inbox.Stored> poisoned = store("poisoned", "{not json");
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingAtTheDoor() == 6);
            lock.rollback();

            for (CompletableFuture<Inbox.Stored> stored : good) {
                assertThat(stored.get().duplicate()).isFalse();
            }
            assertThatThrownBy(poisoned::get).hasCauseInstanceOf(DataIntegrityViolationException.class);
            assertThat(blockers.get(0).get().duplicate()).isFalse();
        }
        assertThat(jdbc.queryForList("select dedup_key from inbound_message order by dedup_key", String.class))
                .containsExactly("blocker-1", "blocker-2", "good-0", "good-1", "good-2", "good-3", "good-4");
    }

    private CompletableFuture<Inbox.Stored> store(String dedupKey, String headers) {
        return CompletableFuture.supplyAsync(() -> writer.store("striga", dedupKey, headers, "{}"), senders);
    }

    private <T> CompletableFuture<T> send(Supplier<T> request) {
        return CompletableFuture.supplyAsync(request, senders);
    }

    /** Takes an exclusive lock on the inbox table in the connection's open transaction; answers its backend. */
    private static int holdInboxLock(Connection connection) throws Exception {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("lock table inbound_message in exclusive mode");
            try (ResultSet backend = statement.executeQuery("select pg_backend_pid()")) {
                backend.next();
                return backend.getInt(1);
            }
        }
    }

    /** Waits until that many of the writers' INSERTs wait for the lock the test holds. */
    private void awaitWritersBlocked(int lockHolder, int writers) {
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                select count(*) from pg_stat_activity
                where ? = any(pg_blocking_pids(pid))
                  and query like 'insert into inbound_message (provider, channel, message_type, dedup_key%'""",
                Integer.class, lockHolder) == writers);
    }

    private double waitingAtTheDoor() {
        return registry.get("kyc.inbox.writer.waiting").gauge().value();
    }
}
