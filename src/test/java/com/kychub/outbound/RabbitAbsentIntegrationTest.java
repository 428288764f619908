package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * A hub without {@code kyc.events.rabbitmq-uri} (the shared test hub) behaves as before the broker option: no
 * connection factory, no RabbitMQ sender, no {@code rabbit} health (RabbitMQ runs on this machine, so Boot's own
 * would show up), and a RABBITMQ endpoint left from a configured past is disabled so that its deliveries wait.
 */
class RabbitAbsentIntegrationTest extends HubIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    RabbitEndpoint rabbitEndpoint;

    @Test
    void withoutABrokerUriThereIsNoBroker() {
        assertThat(context.getBeansOfType(ConnectionFactory.class)).isEmpty();
        assertThat(context.getBeansOfType(EventSender.class).values())
                .noneMatch(sender -> RabbitSender.KIND.equals(sender.kind()));

        JsonNode health = operatorJson("/actuator/health");
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/db/status").asText()).as("details are shown").isEqualTo("UP");
        assertThat(health.at("/components/rabbit").isMissingNode()).isTrue();
    }

    @Test
    void aBrokerEndpointLeftEnabledIsDisabledAsNotConfigured() {
        jdbc.update("insert into event_endpoint (kind, url, secret) values ('RABBITMQ', 'amqp://127.0.0.1:5672/', 's')");

        rabbitEndpoint.ensure();

        Map<String, Object> row = jdbc.queryForMap("select * from event_endpoint where kind = 'RABBITMQ'");
        assertThat(row.get("enabled")).isEqualTo(false);
        assertThat(row.get("disabled_reason")).isEqualTo("NOT_CONFIGURED");
        assertThat(row.get("disabled_at")).isNotNull();

        // One an operator disabled keeps the operator's reason.
        jdbc.update("update event_endpoint set disabled_reason = 'OPERATOR' where kind = 'RABBITMQ'");
        rabbitEndpoint.ensure();
        assertThat(jdbc.queryForObject("select disabled_reason from event_endpoint where kind = 'RABBITMQ'",
                String.class)).isEqualTo("OPERATOR");
    }
}
