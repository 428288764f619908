package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.privacy.Erasure;
import com.kychub.support.ExtraHub;
import com.kychub.support.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The broker option against the real RabbitMQ on 127.0.0.1:5672 (guest/guest): a hub of its own, started with
 * {@code kyc.events.rabbitmq-uri}, on a database of its own, whose dispatcher publishes what the outbox holds. The
 * test reads the broker as a consumer would, through a connection of its own: queues it binds to the hub's exchange
 * (a test exchange, so that nothing else on the machine publishes to it), deleted after each test.
 */
class RabbitIntegrationTest {

    private static final String BROKER = "amqp://guest:guest@127.0.0.1:5672/";
    private static final String EXCHANGE = "kyc.events.rabbit-test";
    private static final String OPERATOR_KEY = "rabbit-operator-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExtraHub hub;
    private static CachingConnectionFactory consumerConnections;
    private static RabbitAdmin consumer;
    private static RabbitTemplate reader;

    private JdbcTemplate jdbc;

    @BeforeAll
    static void startTheHub() {
        hub = ExtraHub.builder()
                .name("kyc-hub-rabbit")
                .database("rabbit", 54334)
                .apiKey("rabbit-api-key")
                .operatorKey(OPERATOR_KEY)
                .property("kyc.events.rabbitmq-uri", BROKER)
                .property("kyc.events.rabbitmq-exchange", EXCHANGE)
                .property("kyc.events.timeout", "5s")
                .property("kyc.events.dispatch-period", "50ms")
                .property("kyc.events.retry-schedule", "0s,300ms,300ms")
                .start();
        consumerConnections = new CachingConnectionFactory("127.0.0.1", 5672);
        consumerConnections.setUsername("guest");
        consumerConnections.setPassword("guest");
        consumer = new RabbitAdmin(consumerConnections);
        reader = new RabbitTemplate(consumerConnections);
    }

    @AfterAll
    static void stopTheHub() {
        if (hub != null) {
            hub.close();
        }
        if (consumer != null) {
            consumer.deleteExchange(EXCHANGE);
            consumerConnections.destroy();
        }
    }

    @BeforeEach
    void emptyTheStore() {
        jdbc = hub.jdbc();
        Store.reset(jdbc);
        hub.bean(RabbitEndpoint.class).ensure();
        // The exchange exists once the hub has connected: it declares it on every new connection.
        hub.bean(CachingConnectionFactory.class).createConnection().close();
    }

    @AfterEach
    void deleteTheQueues() {
        for (String queue : new String[] {"kyc-rabbit-test-argos", "kyc-rabbit-test-all", "kyc-rabbit-test-striga"}) {
            consumer.deleteQueue(queue);
        }
    }

    @Test
    void aStoredEventReachesTheBoundQueuesAsStored() throws Exception {
        bind("kyc-rabbit-test-argos", "argos.#");
        bind("kyc-rabbit-test-all", "#");
        bind("kyc-rabbit-test-striga", "striga.#");

        UUID caseId = openCase("argos", "rabbit-ref-1", "rabbit-customer-1");

        Map<String, Object> stored = jdbc.queryForMap(
                "select event_id, payload::text as payload from outbound_event where case_id = ?", caseId);
        for (String queue : new String[] {"kyc-rabbit-test-argos", "kyc-rabbit-test-all"}) {
            Message message = reader.receive(queue, 10_000);
            assertThat(message).as("the message in %s", queue).isNotNull();
            assertThat(message.getMessageProperties().getReceivedRoutingKey()).isEqualTo("argos.kyc.case.opened");
            assertThat(message.getMessageProperties().getMessageId()).isEqualTo(stored.get("event_id"))
                    .asString().startsWith("evt_");
            assertThat(message.getMessageProperties().getType()).isEqualTo("kyc.case.opened");
            assertThat(message.getMessageProperties().getReceivedDeliveryMode())
                    .isEqualTo(MessageDeliveryMode.PERSISTENT);
            assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
            assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo(stored.get("payload"));
            assertThat(JSON.readTree(message.getBody()).at("/data/caseId").asText()).isEqualTo(caseId.toString());
            assertThat(reader.receive(queue, 200)).as("one message in %s", queue).isNull();
        }
        assertThat(reader.receive("kyc-rabbit-test-striga", 500)).as("another provider's queue").isNull();

        // The broker confirmed it: the delivery is DELIVERED at the first attempt.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForMap(
                "select state, attempts, last_error from event_delivery")).containsEntry("state", "DELIVERED")
                .containsEntry("attempts", 1).containsEntry("last_error", null));

        // The exchange the hub declared is a durable topic exchange: declaring it so again is no conflict.
        reader.execute(channel -> channel.exchangeDeclare(EXCHANGE, "topic", true, false, null));
    }

    @Test
    void aCasesEventsArePublishedInOrder() throws Exception {
        bind("kyc-rabbit-test-all", "#");
        UUID caseId = openCase("argos", "rabbit-ref-5", "rabbit-customer-5");
        String[] statuses = {"ACTION_REQUIRED", "IN_PROGRESS", "IN_REVIEW", "ACTION_REQUIRED", "IN_PROGRESS",
                "IN_REVIEW", "APPROVED"};
        String from = "IN_PROGRESS";
        for (String to : statuses) {
            jdbc.update("""
                    insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action)
                    values (?, 'STATUS_CHANGED', ?, ?, 'WAIT', 'WAIT')""", caseId, from, to);
            from = to;
        }

        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i <= statuses.length; i++) {
            Message message = reader.receive("kyc-rabbit-test-all", 10_000);
            assertThat(message).as("message %d", i + 1).isNotNull();
            sequences.add(JSON.readTree(message.getBody()).at("/data/sequence").asLong());
        }
        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void anEventAboutACustomerIsRoutedAsTheHubs() throws Exception {
        bind("kyc-rabbit-test-argos", "argos.#");
        bind("kyc-rabbit-test-all", "#");
        openCase("argos", "rabbit-ref-2", "rabbit-customer-2");
        hub.bean(Erasure.class).eraseCustomer("rabbit-customer-2");
        String erasedId = jdbc.queryForObject("select event_id from outbound_event where type = 'kyc.customer.erased'",
                String.class);

        Map<String, String> routingKeys = new HashMap<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Message message = reader.receive("kyc-rabbit-test-all", 200);
            if (message != null) {
                routingKeys.put(message.getMessageProperties().getMessageId(),
                        message.getMessageProperties().getReceivedRoutingKey());
            }
            return routingKeys.containsKey(erasedId);
        });
        assertThat(routingKeys).containsEntry(erasedId, "hub.kyc.customer.erased");
        Message providers = reader.receive("kyc-rabbit-test-argos", 5000);
        assertThat(providers).isNotNull();
        assertThat(providers.getMessageProperties().getReceivedRoutingKey()).isEqualTo("argos.kyc.case.opened");
        assertThat(reader.receive("kyc-rabbit-test-argos", 500)).as("nothing else in a provider's queue").isNull();
    }

    @Test
    void aMessageTheBrokerDoesNotConfirmIsAFailedAttempt() {
        // Sent here rather than by the dispatcher, to other exchanges; no queue is bound to the hub's in this test.
        UUID caseId = openCase("argos", "rabbit-ref-3", "rabbit-customer-3");
        OutgoingEvent event = outgoing(caseId);

        // An exchange that does not exist: the broker closes the channel, which nacks the message.
        RabbitSender noExchange = new RabbitSender(hub.bean(CachingConnectionFactory.class),
                "kyc.events.missing-" + UUID.randomUUID(), Duration.ofSeconds(5));
        SendResult refused = noExchange.send(endpoint(), event);
        assertThat(refused.delivered()).isFalse();
        assertThat(refused.error()).isEqualTo("NACK");
        assertThat(refused.latencyMillis()).isLessThan(5000);

        // No broker where the URI points: a failed attempt, within the timeout, and no exception.
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", freePort());
        nowhere.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        try {
            SendResult unreachable = new RabbitSender(nowhere, EXCHANGE, Duration.ofSeconds(5)).send(endpoint(), event);
            assertThat(unreachable.delivered()).isFalse();
            assertThat(unreachable.error()).isEqualTo("CONNECT");
        } finally {
            nowhere.destroy();
        }

        // The hub's own connection is unharmed by the refused one.
        assertThat(hub.bean(RabbitSender.class).send(endpoint(), event).delivered()).isTrue();
    }

    @Test
    void theHubKeepsItsBrokerEndpoint() {
        Map<String, Object> row = jdbc.queryForMap("select * from event_endpoint where kind = 'RABBITMQ'");
        assertThat(row.get("url")).isEqualTo("amqp://127.0.0.1:5672/?exchange=" + EXCHANGE);
        assertThat(row.get("enabled")).isEqualTo(true);
        assertThat((String) row.get("secret")).startsWith("whsec_");

        // Events fan out to it in the transaction that stores them.
        openCase("argos", "rabbit-ref-4", "rabbit-customer-4");
        assertThat(jdbc.queryForObject("select count(*) from event_delivery where endpoint_id = ?", Integer.class,
                row.get("id"))).isEqualTo(1);

        // Disabled while the hub had no broker: enabled again, the same row.
        jdbc.update("update event_endpoint set enabled = false, disabled_reason = 'NOT_CONFIGURED', "
                + "disabled_at = now(), url = 'amqp://old/' where kind = 'RABBITMQ'");
        hub.bean(RabbitEndpoint.class).ensure();
        Map<String, Object> enabled = jdbc.queryForMap("select * from event_endpoint where kind = 'RABBITMQ'");
        assertThat(enabled.get("id")).isEqualTo(row.get("id"));
        assertThat(enabled.get("enabled")).isEqualTo(true);
        assertThat(enabled.get("disabled_reason")).isNull();
        assertThat(enabled.get("url")).isEqualTo(row.get("url"));

        // Disabled by an operator: it stays so.
        jdbc.update("update event_endpoint set enabled = false, disabled_reason = 'OPERATOR', disabled_at = now() "
                + "where kind = 'RABBITMQ'");
        hub.bean(RabbitEndpoint.class).ensure();
        assertThat(jdbc.queryForMap("select enabled, disabled_reason from event_endpoint where kind = 'RABBITMQ'"))
                .containsEntry("enabled", false).containsEntry("disabled_reason", "OPERATOR");
        assertThat(jdbc.queryForObject("select count(*) from event_endpoint", Integer.class)).isEqualTo(1);
    }

    @Test
    void theBrokerAddsNothingToTheHubsHealth() throws Exception {
        var health = hub.operatorApi("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        var body = JSON.readTree(health.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.at("/components/rabbit").isMissingNode()).isTrue();
    }

    private void bind(String queue, String pattern) {
        // Not auto-delete: a receive() consumes and cancels, which would delete it; deleted after the test instead.
        consumer.declareQueue(new Queue(queue, false, false, false));
        consumer.declareBinding(BindingBuilder.bind(new Queue(queue)).to(new TopicExchange(EXCHANGE)).with(pattern));
    }

    /** A case opened, straight in the store: the outbox trigger makes its event and the broker's delivery. */
    private UUID openCase(String provider, String providerRef, String customerId) {
        UUID caseId = UUID.randomUUID();
        jdbc.update("insert into customer (customer_id) values (?)", customerId);
        jdbc.update("""
                insert into kyc_case (id, customer_id, provider, provider_ref, status, next_action)
                values (?, ?, ?, ?, 'IN_PROGRESS', 'WAIT')""", caseId, customerId, provider, providerRef);
        jdbc.update("""
                insert into kyc_event (case_id, type, to_status, to_next_action)
                values (?, 'CASE_OPENED', 'IN_PROGRESS', 'WAIT')""", caseId);
        return caseId;
    }

    /** The broker's delivery of the case's first event, as the dispatcher reads it. */
    private OutgoingEvent outgoing(UUID caseId) {
        return outgoing("select d.id, e.event_id, e.type, e.provider, e.payload::text as payload "
                + "from event_delivery d join outbound_event e on e.id = d.event_id "
                + "join event_endpoint ep on ep.id = d.endpoint_id "
                + "where ep.kind = 'RABBITMQ' and e.case_id = ? order by e.sequence limit 1", caseId);
    }

    private OutgoingEvent outgoing(String sql, Object argument) {
        return jdbc.queryForObject(sql, (rs, i) -> new OutgoingEvent(rs.getLong("id"), rs.getString("event_id"),
                rs.getString("type"), rs.getString("provider"), rs.getString("payload")), argument);
    }

    private Endpoint endpoint() {
        return jdbc.queryForObject("select id, kind, url, secret from event_endpoint where kind = 'RABBITMQ'",
                (rs, i) -> new Endpoint(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getString("url"),
                        rs.getString("secret"), null, null));
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
