package com.kychub.outbound;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Instant;

import javax.net.ssl.SSLException;

import com.standardwebhooks.Webhook;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.springframework.stereotype.Component;

/**
 * Sends an event to a fintech's webhook endpoint as the Standard Webhooks spec says: a POST of the stored payload
 * with {@code webhook-id} (the event's id, the same on every attempt), {@code webhook-timestamp} (unix seconds) and
 * {@code webhook-signature} ({@code v1,<base64 HMAC-SHA256>}, by the spec's own library; during a rotation's grace
 * period the previous secret's signature too, space separated), through the {@code event-webhook} route (camel-http,
 * {@code kyc.events.timeout}). A 2xx within the timeout is delivered; anything else is a short code, never the
 * receiver's answer.
 */
@Component
public class WebhookSender implements EventSender {

    public static final String KIND = "WEBHOOK";

    private final ProducerTemplate producer;
    private final EventsProperties settings;

    public WebhookSender(ProducerTemplate producer, EventsProperties settings) {
        this.producer = producer;
        this.settings = settings;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public SendResult send(Endpoint endpoint, OutgoingEvent event) {
        long start = System.nanoTime();
        String signature;
        long timestamp = Instant.now().getEpochSecond();
        try {
            signature = signature(endpoint, event, timestamp);
        } catch (Exception e) {
            // A secret the library cannot read (not whsec_ base64): no receiver could verify what the hub sends.
            return SendResult.failed(null, 0, "SIGNING");
        }
        try {
            Exchange answer = producer.send("direct:event-webhook", exchange -> {
                exchange.getIn().setBody(event.payload());
                exchange.setVariable("webhookUrl", endpoint.url());
                exchange.setVariable("webhookId", event.messageId());
                exchange.setVariable("webhookTimestamp", Long.toString(timestamp));
                exchange.setVariable("webhookSignature", signature);
            });
            long latency = (System.nanoTime() - start) / 1_000_000;
            if (answer.getException() != null) {
                return SendResult.failed(null, latency, errorCode(answer.getException()));
            }
            Integer status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status == null) {
                return SendResult.failed(null, latency, "NO_STATUS");
            }
            if (status < 200 || status > 299) {
                return SendResult.failed(status, latency, "HTTP_" + status);
            }
            if (latency > settings.timeout().toMillis()) {
                // An answer trickling in byte by byte passes the socket's timeout, not this one.
                return SendResult.failed(status, latency, "TIMEOUT");
            }
            return SendResult.delivered(status, latency);
        } catch (RuntimeException e) {
            return SendResult.failed(null, (System.nanoTime() - start) / 1_000_000, errorCode(e));
        }
    }

    /** The signature header: the current secret's, and the previous one's while it still signs. */
    static String signature(Endpoint endpoint, OutgoingEvent event, long timestamp) throws Exception {
        String current = new Webhook(endpoint.secret()).sign(event.messageId(), timestamp, event.payload());
        if (!endpoint.previousSecretSigns(Instant.ofEpochSecond(timestamp))) {
            return current;
        }
        return current + " " + new Webhook(endpoint.previousSecret()).sign(event.messageId(), timestamp,
                event.payload());
    }

    /** A short code for a failure without an HTTP status: what an operator needs to look in the right place. */
    static String errorCode(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectTimeoutException) {
                return "CONNECT_TIMEOUT";
            }
            if (cause instanceof InterruptedIOException) {
                // A read timed out, or no pooled connection came free in time.
                return "TIMEOUT";
            }
            if (cause instanceof UnknownHostException) {
                return "DNS";
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return "CONNECT";
            }
            if (cause instanceof SSLException) {
                return "TLS";
            }
            if (cause instanceof NoHttpResponseException) {
                return "NO_RESPONSE";
            }
        }
        return "ERROR";
    }
}
