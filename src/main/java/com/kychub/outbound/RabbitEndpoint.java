package com.kychub.outbound;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The one {@code event_endpoint} row of kind RABBITMQ, kept by the hub rather than the endpoints API: it is what the
 * outbox fans events out to for the broker. At start-up, with {@code kyc.events.rabbitmq-uri} set, the row exists and
 * names the broker (without credentials) and the exchange; a row disabled because the hub had no broker URI
 * (NOT_CONFIGURED) is enabled again, while one disabled for another reason (an operator, FAILING) stays disabled.
 * Without a URI, an enabled row is disabled as NOT_CONFIGURED, so that its deliveries wait for a broker rather than
 * fail. Instances starting together agree through the table's one-broker unique index.
 */
@Component
public class RabbitEndpoint {

    private static final Logger log = LoggerFactory.getLogger(RabbitEndpoint.class);

    private final JdbcTemplate jdbc;
    private final EventsProperties events;

    public RabbitEndpoint(JdbcTemplate jdbc, EventsProperties events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void ensure() {
        if (events.rabbitmqUri() == null || events.rabbitmqUri().isBlank()) {
            int disabled = jdbc.update("""
                    update event_endpoint
                    set enabled = false, disabled_reason = 'NOT_CONFIGURED', disabled_at = now(), updated_at = now()
                    where kind = 'RABBITMQ' and enabled""");
            if (disabled > 0) {
                log.warn("No kyc.events.rabbitmq-uri: the RabbitMQ endpoint is disabled, its deliveries wait");
            }
            return;
        }
        // The column asks for a secret; the broker signs nothing, so this one is random and never used.
        jdbc.update("""
                insert into event_endpoint (kind, url, description, secret)
                values ('RABBITMQ', ?, 'RabbitMQ (kyc.events.rabbitmq-uri), kept by the hub', ?)
                on conflict (kind) where kind = 'RABBITMQ' do update
                set url = excluded.url,
                    enabled = event_endpoint.enabled
                              or coalesce(event_endpoint.disabled_reason = 'NOT_CONFIGURED', false),
                    disabled_reason = nullif(event_endpoint.disabled_reason, 'NOT_CONFIGURED'),
                    disabled_at = case when event_endpoint.disabled_reason = 'NOT_CONFIGURED' then null
                                       else event_endpoint.disabled_at end,
                    -- Time without a broker was no failure of the broker's.
                    failing_since = case when event_endpoint.disabled_reason = 'NOT_CONFIGURED' then null
                                         else event_endpoint.failing_since end,
                    updated_at = now()""", url(), WebhookSecrets.newSecret());
    }

    /** The broker without credentials, and the exchange: {@code amqp://127.0.0.1:5672/?exchange=kyc.events}. */
    String url() {
        return RabbitConfiguration.withoutCredentials(events.rabbitmqUri()) + "?exchange=" + events.rabbitmqExchange();
    }
}
