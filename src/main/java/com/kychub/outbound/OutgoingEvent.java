package com.kychub.outbound;

import java.time.Instant;

/**
 * One event on its way to one endpoint.
 *
 * @param deliveryId {@code event_delivery.id}
 * @param messageId  {@code outbound_event.event_id}: the {@code webhook-id} header and the AMQP message id, the same on
 *                   every attempt
 * @param type       the canonical event type, e.g. {@code kyc.case.status_changed}
 * @param provider   the case's provider; null for an event about a customer as a whole
 * @param payload    the JSON body, exactly as stored in {@code outbound_event.payload}
 */
public record OutgoingEvent(long deliveryId, String messageId, String type, String provider, String payload) {

    /** The routing key on the broker: {@code <provider>.<type>}, {@code hub.<type>} for an event of no one provider. */
    public String routingKey() {
        return (provider != null ? provider : "hub") + "." + type;
    }
}
