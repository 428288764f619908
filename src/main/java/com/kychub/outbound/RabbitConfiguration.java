package com.kychub.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

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
        URI uri = parse(events.rabbitmqUri());
        CachingConnectionFactory connections = new CachingConnectionFactory();
        connections.setUri(uri);
        if ("amqps".equals(uri.getScheme())) {
            // The client library's amqps trusts any certificate: verify the broker's against the JVM's trust store.
            connections.getRabbitConnectionFactory().useSslProtocol(defaultTls());
            connections.getRabbitConnectionFactory().enableHostnameVerification();
        }
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

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS in this JVM for an amqps:// broker", e);
        }
    }

    /**
     * The broker URI as it may be shown (logs, the endpoint row): scheme, host, port and virtual host, without the
     * user, the password, or query parameters.
     */
    public static String withoutCredentials(String uri) {
        URI parsed = parse(uri);
        String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
        return parsed.getScheme() + "://" + parsed.getHost() + (parsed.getPort() == -1 ? "" : ":" + parsed.getPort())
                + path;
    }

    /**
     * The URI, checked before the client library sees it: its own error would quote it, password and all, in the
     * start-up failure. So does not this one.
     */
    static URI parse(String uri) {
        try {
            URI parsed = new URI(uri.trim());
            if (("amqp".equals(parsed.getScheme()) || "amqps".equals(parsed.getScheme())) && parsed.getHost() != null) {
                return parsed;
            }
        } catch (URISyntaxException e) {
            // Reported below, without the URI.
        }
        throw new IllegalStateException("kyc.events.rabbitmq-uri is not an amqp:// or amqps:// URI with a host, "
                + "like amqp://user:password@host:5672/vhost");
    }

    /** Whether the hub has a broker URI: an empty value (an unset environment variable) means none. */
    static class UriSet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("kyc.events.rabbitmq-uri"));
        }
    }
}
