package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.springframework.amqp.core.Binding;
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
 * {@code kyc.events.rabbitmq-uri}, on a database of its own. The test reads the broker as a consumer would, through a
 * connection of its own: queues it binds to the hub's exchange (a test exchange, so that nothing else on the machine
 * publishes to it), deleted after each test.
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
    void aStoredEventIsPublishedAsStoredAndConfirmed() throws Exception {
        bind("kyc-rabbit-test-argos", "argos.#");
        bind("kyc-rabbit-test-all", "#");
        bind("kyc-rabbit-test-striga", "striga.#");
        UUID caseId = openCase("argos", "rabbit-ref-1", "rabbit-customer-1");
        OutgoingEvent event = outgoing(caseId);
        assertThat(event.routingKey()).isEqualTo("argos.kyc.case.opened");

        SendResult result = hub.bean(RabbitSender.class).send(endpoint(), event);

        assertThat(result.delivered()).as("confirmed: %s", result).isTrue();
        assertThat(result.error()).isNull();
        for (String queue : new String[] {"kyc-rabbit-test-argos", "kyc-rabbit-test-all"}) {
            Message message = reader.receive(queue, 5000);
            assertThat(message).as("the message in %s", queue).isNotNull();
            assertThat(message.getMessageProperties().getReceivedRoutingKey()).isEqualTo("argos.kyc.case.opened");
            assertThat(message.getMessageProperties().getMessageId()).isEqualTo(event.messageId()).startsWith("evt_");
            assertThat(message.getMessageProperties().getType()).isEqualTo("kyc.case.opened");
            assertThat(message.getMessageProperties().getReceivedDeliveryMode())
                    .isEqualTo(MessageDeliveryMode.PERSISTENT);
            assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
            assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo(event.payload());
            assertThat(JSON.readTree(message.getBody()).at("/data/caseId").asText()).isEqualTo(caseId.toString());
            assertThat(reader.receive(queue, 200)).as("one message in %s", queue).isNull();
        }
        assertThat(reader.receive("kyc-rabbit-test-striga", 500)).as("another provider's queue").isNull();

        // The exchange the hub declared is a durable topic exchange: declaring it so again is no conflict.
        reader.execute(channel -> channel.exchangeDeclare(EXCHANGE, "topic", true, false, null));
    }

    @Test
    void anEventAboutACustomerIsRoutedAsTheHubs() throws Exception {
        bind("kyc-rabbit-test-argos", "argos.#");
        bind("kyc-rabbit-test-all", "#");
        openCase("argos", "rabbit-ref-2", "rabbit-customer-2");
        hub.bean(Erasure.class).eraseCustomer("rabbit-customer-2");
        OutgoingEvent erased = outgoing("kyc.customer.erased");

        assertThat(hub.bean(RabbitSender.class).send(endpoint(), erased).delivered()).isTrue();

        Message message = reader.receive("kyc-rabbit-test-all", 5000);
        assertThat(message).isNotNull();
        assertThat(message.getMessageProperties().getReceivedRoutingKey()).isEqualTo("hub.kyc.customer.erased");
        assertThat(message.getMessageProperties().getMessageId()).isEqualTo(erased.messageId());
        assertThat(reader.receive("kyc-rabbit-test-argos", 500)).as("a provider's queue").isNull();
    }

    @Test
    void aMessageTheBrokerDoesNotConfirmIsAFailedAttempt() {
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

    private OutgoingEvent outgoing(String type) {
        return outgoing("select d.id, e.event_id, e.type, e.provider, e.payload::text as payload "
                + "from event_delivery d join outbound_event e on e.id = d.event_id "
                + "join event_endpoint ep on ep.id = d.endpoint_id where ep.kind = 'RABBITMQ' and e.type = ?", type);
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
