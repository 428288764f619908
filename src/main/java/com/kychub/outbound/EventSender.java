package com.kychub.outbound;

/**
 * Sends one outbound event to one endpoint, once, and says how it went: the dispatcher ({@code EventDispatcher})
 * decides what follows (delivered, retried, dead, endpoint disabled). One implementation per endpoint kind:
 * {@code WEBHOOK} (Standard Webhooks over camel-http) and {@code RABBITMQ} (the broker option).
 */
public interface EventSender {

    /** The endpoint kind this sender serves, as in {@code event_endpoint.kind}. */
    String kind();

    /** Sends, blocking until the receiver answered (or the broker confirmed), failed, or timed out. Never throws. */
    SendResult send(Endpoint endpoint, OutgoingEvent event);
}
