package com.kychub.sandbox;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.outbound.EventEndpoints;
import com.standardwebhooks.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fintech's side of outbound events, in the sandbox: a Standard Webhooks receiver at {@code /sandbox/receiver}.
 * At start-up the hub registers it as an event endpoint (or finds the one an earlier run registered), so the demo's
 * events flow to it. Each webhook's signature is checked with the Standard Webhooks library against the endpoint's
 * secret as the store holds it now (the previous one too during a rotation's grace period): 204 when it holds, 401
 * when not. The last {@value #KEPT} webhooks are kept in memory, checked or not, for
 * {@code GET /sandbox/receiver/events}.
 */
@RestController
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxReceiver.class);
    static final String PATH = "/sandbox/receiver";
    static final int KEPT = 1000;

    /** One webhook as it came; {@code payload} is null when the body is not JSON. */
    public record Received(String webhookId, String type, boolean verified, Instant receivedAt, JsonNode payload) {
    }

    private final Sandbox sandbox;
    private final EventEndpoints endpoints;
    private final Deque<Received> received = new ArrayDeque<>();
    private volatile UUID endpointId;

    public SandboxReceiver(Sandbox sandbox, EventEndpoints endpoints) {
        this.sandbox = sandbox;
        this.endpoints = endpoints;
    }

    /** Registers the receiver once the port is known: the endpoint with its URL if there is one, else a new one. */
    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        String url = sandbox.hubUrl() + PATH;
        Optional<UUID> existing = endpoints.findWebhook(url);
        endpointId = existing.orElseGet(() -> endpoints.create(url, "The sandbox's own receiver (" + PATH + ")",
                List.of(), List.of(), true).id());
        boolean enabled = endpoints.find(endpointId).map(EventEndpoints.View::enabled).orElse(false);
        LOG.info("Sandbox receiver: {} event endpoint {} for {}{}; what it receives: GET {}/events",
                existing.isPresent() ? "reusing" : "registered", endpointId, url,
                enabled ? "" : " (disabled: enable it with PATCH /api/v1/event-endpoints/" + endpointId + ")", url);
    }

    /** The endpoint this receiver checks signatures with; null until registered. */
    public UUID endpointId() {
        return endpointId;
    }

    @PostMapping(PATH)
    public ResponseEntity<Void> receive(@RequestBody(required = false) String body,
                                        @RequestHeader HttpHeaders headers) {
        String payload = body == null ? "" : body;
        boolean verified = verified(payload, headers);
        JsonNode json = parsed(payload);
        keep(new Received(headers.getFirst("webhook-id"), json == null ? null : json.path("type").asText(null),
                verified, Instant.now(), json));
        return ResponseEntity.status(verified ? HttpStatus.NO_CONTENT : HttpStatus.UNAUTHORIZED).build();
    }

    /** What the receiver got, newest first. */
    @GetMapping(PATH + "/events")
    public List<Received> events() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    private boolean verified(String payload, HttpHeaders headers) {
        UUID id = endpointId;
        if (id == null) {
            return false;
        }
        return endpoints.secrets(id).map(secrets -> verifies(secrets.secret(), payload, headers)
                || (secrets.previousSecret() != null && verifies(secrets.previousSecret(), payload, headers)))
                .orElse(false);
    }

    private static boolean verifies(String secret, String payload, HttpHeaders headers) {
        try {
            new Webhook(secret).verify(payload, headers);
            return true;
        } catch (Exception e) {
            // Which check failed (no headers, an old timestamp, no matching signature) is the sender's to know.
            return false;
        }
    }

    private JsonNode parsed(String payload) {
        try {
            return sandbox.json().readTree(payload);
        } catch (Exception e) {
            return null;
        }
    }

    private void keep(Received webhook) {
        synchronized (received) {
            received.addFirst(webhook);
            while (received.size() > KEPT) {
                received.removeLast();
            }
        }
    }
}
