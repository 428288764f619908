package com.kychub.outbound;

import java.net.URI;
import java.net.URISyntaxException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The broker option, present only when {@code kyc.events.rabbitmq-uri} ({@code KYC_EVENTS_RABBITMQ_URI}) is set: a
 * connection factory on that URI with publisher confirms, the durable topic exchange ({@code
 * kyc.events.rabbitmq-exchange}), declared on every new connection, and the {@link RabbitSender}.
 * <p>
 * Boot's own RabbitMQ auto-configuration is off ({@code KycHubApplication}): it would make a connection factory to
 * localhost and a {@code rabbit} health contributor even for a hub without a broker. This one adds no health
 * contributor either: a broker that is down makes RabbitMQ deliveries wait and retry (their {@code last_error} and the
 * lag show it), while the hub keeps taking webhooks, so it must not turn the hub's health DOWN.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RabbitConfiguration.UriSet.class)
public class RabbitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RabbitConfiguration.class);

    @Bean
    CachingConnectionFactory eventsConnectionFactory(EventsProperties events) {
        CachingConnectionFactory connections = new CachingConnectionFactory();
        connections.setUri(events.rabbitmqUri());
        // amqp://host:5672/ names the empty virtual host to the client library; it means the default one, as in Boot.
        if (connections.getVirtualHost().isEmpty()) {
            connections.setVirtualHost("/");
        }
        connections.setConnectionNameStrategy(factory -> "kyc-hub-events");
        connections.setConnectionTimeout((int) events.timeout().toMillis());
        // CORRELATED: each publish has its own confirm, which the sender awaits, while other threads publish on.
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setChannelCacheSize(Math.max(events.threads(), 1));
        log.info("Outbound events go to the RabbitMQ exchange {} on {}", events.rabbitmqExchange(),
                withoutCredentials(events.rabbitmqUri()));
        return connections;
    }

    @Bean
    RabbitAdmin eventsAdmin(CachingConnectionFactory eventsConnectionFactory) {
        return new RabbitAdmin(eventsConnectionFactory);
    }

    @Bean
    TopicExchange eventsExchange(EventsProperties events) {
        return new TopicExchange(events.rabbitmqExchange(), true, false);
    }

    @Bean
    RabbitSender rabbitSender(CachingConnectionFactory eventsConnectionFactory, EventsProperties events) {
        return new RabbitSender(eventsConnectionFactory, events.rabbitmqExchange(), events.timeout());
    }

    /**
     * The broker URI as it may be shown (logs, the endpoint row): scheme, host, port and virtual host, without the
     * user, the password, or query parameters.
     */
    public static String withoutCredentials(String uri) {
        try {
            URI parsed = new URI(uri.trim());
            return new URI(parsed.getScheme(), null, parsed.getHost(), parsed.getPort(),
                    parsed.getPath() == null || parsed.getPath().isEmpty() ? "/" : parsed.getPath(), null, null)
                    .toString();
        } catch (URISyntaxException e) {
            // Never echo an unparsable URI: it may hold a password where the parser did not expect one.
            return "(an unparsable amqp URI)";
        }
    }

    /** Whether the hub has a broker URI: an empty value (an unset environment variable) means none. */
    static class UriSet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("kyc.events.rabbitmq-uri"));
        }
    }
}
