package com.kychub.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes an outbound event to the RabbitMQ topic exchange and waits for the broker's publisher confirm: the stored
 * payload as a persistent {@code application/json} message, routing key {@link OutgoingEvent#routingKey()}, message
 * id the event's {@code evt_} id (the webhook-id, the same on every attempt) and type the event type. Not mandatory: an
 * exchange without a bound queue is the consumer's choice, and the broker confirms such a message too.
 * <p>
 * An ack is delivered; a nack ({@code NACK}, e.g. the exchange was deleted), no confirm within {@code
 * kyc.events.timeout} ({@code TIMEOUT}) or no connection ({@code CONNECT}) is a failed attempt for the dispatcher to
 * retry. The endpoint's URL is only descriptive: the broker is the one of {@code kyc.events.rabbitmq-uri}.
 */
public class RabbitSender implements EventSender {

    public static final String KIND = "RABBITMQ";

    private static final Logger log = LoggerFactory.getLogger(RabbitSender.class);

    private final RabbitTemplate template;
    private final String exchange;
    private final Duration timeout;

    public RabbitSender(ConnectionFactory connections, String exchange, Duration timeout) {
        this.template = new RabbitTemplate(connections);
        this.template.setMandatory(false);
        this.exchange = exchange;
        this.timeout = timeout;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public SendResult send(Endpoint endpoint, OutgoingEvent event) {
        long started = System.nanoTime();
        CorrelationData confirm = new CorrelationData(event.messageId());
        try {
            template.send(exchange, event.routingKey(), message(event), confirm);
            long left = timeout.toNanos() - (System.nanoTime() - started);
            CorrelationData.Confirm answer = confirm.getFuture().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if (answer.isAck()) {
                return SendResult.delivered(null, millisSince(started));
            }
            // The reason is the broker's (e.g. "NOT_FOUND - no exchange ..."): names, never the message's content.
            log.warn("RabbitMQ refused event {} (delivery {}): {}", event.messageId(), event.deliveryId(),
                    answer.getReason());
            return SendResult.failed(null, millisSince(started), "NACK");
        } catch (TimeoutException e) {
            log.warn("RabbitMQ did not confirm event {} (delivery {}) within {}", event.messageId(),
                    event.deliveryId(), timeout);
            return SendResult.failed(null, millisSince(started), "TIMEOUT");
        } catch (AmqpException | ExecutionException e) {
            log.warn("Event {} (delivery {}) could not be published to RabbitMQ: {}", event.messageId(),
                    event.deliveryId(), e.getClass().getSimpleName());
            return SendResult.failed(null, millisSince(started), "CONNECT");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.failed(null, millisSince(started), "TIMEOUT");
        }
    }

    private static Message message(OutgoingEvent event) {
        return MessageBuilder.withBody(event.payload().getBytes(StandardCharsets.UTF_8))
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .setContentEncoding(StandardCharsets.UTF_8.name())
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(event.messageId())
                .setType(event.type())
                .build();
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
