package com.kychub.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ondato in the sandbox: the IDV API under {@code /sandbox/ondato-idv} ({@code POST /v1/identity-verifications},
 * {@code GET /v1/identity-verifications/{id}}), the KYC ID API under {@code /sandbox/ondato-kyc}
 * ({@code GET /v1/identifications/{id}}), and Ondato's webhooks in its envelope to {@code /webhooks/ondato} with HTTP
 * Basic credentials. The start call may name the client's reference ({@code externalReferenceId}), which the
 * verification then shows; the customer's part is the IDV URL: opening {@code /sandbox/ondato-idv/?id={id}&outcome=}
 * (the sandbox's {@code idv-url-template}) plays the verification and its identification with the statuses Ondato's
 * documentation shows: the verification Pending, then InProgress (IdentityVerification.Consented), then Completed; the
 * identification Awaiting / Unfinished (KycIdentification.Created), Awaiting / Processing (.Processed), then Approved
 * or Rejected.
 */
@RestController
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxOndato {

    static final class Verification {
        final String id = UUID.randomUUID().toString();
        final String setupId;
        final String externalReferenceId;
        volatile String status = "Pending";
        volatile String identificationId;
        volatile String identificationStatus;
        volatile String identificationReason;
        volatile boolean started;

        Verification(String setupId, String externalReferenceId) {
            this.setupId = setupId;
            this.externalReferenceId = externalReferenceId;
        }

        void identification(String status, String reason) {
            identificationStatus = status;
            identificationReason = reason;
        }
    }

    private final Map<String, Verification> verifications = new ConcurrentHashMap<>();
    private final Map<String, Verification> byIdentification = new ConcurrentHashMap<>();
    private final Sandbox sandbox;

    public SandboxOndato(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @PostMapping("/sandbox/ondato-idv/v1/identity-verifications")
    public ResponseEntity<Map<String, String>> create(@RequestBody JsonNode body) {
        String setupId = body.path("setupId").asText("");
        if (setupId.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("error", "setupId is required"));
        }
        JsonNode reference = body.path("externalReferenceId");
        if (!reference.isMissingNode() && !reference.isNull() && !reference.isTextual()) {
            return ResponseEntity.badRequest().body(Map.of("error", "externalReferenceId must be a string"));
        }
        Verification verification = new Verification(setupId, reference.isTextual() ? reference.asText() : null);
        verifications.put(verification.id, verification);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", verification.id));
    }

    @GetMapping("/sandbox/ondato-idv/v1/identity-verifications/{id}")
    public ResponseEntity<JsonNode> verification(@PathVariable String id) {
        Verification verification = verifications.get(id);
        if (verification == null) {
            return ResponseEntity.notFound().build();
        }
        ObjectNode answer = sandbox.jsonObject().put("id", id).put("setupId", verification.setupId)
                .put("status", verification.status);
        if (verification.externalReferenceId != null) {
            answer.put("externalReferenceId", verification.externalReferenceId);
        }
        ObjectNode step = answer.putObject("step");
        if (verification.identificationId == null) {
            step.putObject("consent").put("isConsented", !"Pending".equals(verification.status));
        } else {
            step.putObject("kycIdentification").put("id", verification.identificationId);
        }
        return ResponseEntity.ok(answer);
    }

    @GetMapping("/sandbox/ondato-kyc/v1/identifications/{id}")
    public ResponseEntity<JsonNode> identification(@PathVariable String id) {
        Verification verification = byIdentification.get(id);
        if (verification == null) {
            return ResponseEntity.notFound().build();
        }
        ObjectNode answer = sandbox.jsonObject().put("id", id).put("identityVerificationId", verification.id)
                .put("status", verification.identificationStatus);
        if (verification.identificationReason != null) {
            answer.put("statusReason", verification.identificationReason);
        }
        SandboxPerson person = SandboxPerson.of(verification.externalReferenceId == null ? verification.id
                : verification.externalReferenceId);
        answer.putObject("document").put("firstName", person.firstName()).put("lastName", person.lastName())
                .put("documentNumber", person.documentNumber()).put("dateOfBirth", person.dateOfBirth());
        if ("Rejected".equals(verification.identificationStatus)) {
            answer.putArray("rejectionReasons").add("DocumentExpired");
        }
        return ResponseEntity.ok(answer);
    }

    /** The customer goes through the IDV URL; {@code outcome} (a word, see {@link Outcome}) decides the verdict. */
    @GetMapping("/sandbox/ondato-idv/")
    public ResponseEntity<Map<String, String>> idv(@RequestParam String id,
                                                   @RequestParam(required = false) String outcome) {
        Verification verification = verifications.get(id);
        if (verification == null) {
            return ResponseEntity.notFound().build();
        }
        Outcome decided = Outcome.of(outcome);
        synchronized (verification) {
            if (verification.started) {
                return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "already completed"));
            }
            verification.started = true;
        }
        String identificationId = UUID.randomUUID().toString();
        String verdict = decided == Outcome.APPROVE ? "Approved" : "Rejected";
        verification.status = "InProgress";
        sandbox.script()
                .then(() -> Duration.ZERO, () -> webhook("IdentityVerification.Consented",
                        sandbox.jsonObject().put("id", verification.id).put("status", verification.status)))
                .then(sandbox::step, () -> {
                    verification.identification("Awaiting", "Unfinished");
                    byIdentification.put(identificationId, verification);
                    verification.identificationId = identificationId;
                }, () -> identificationWebhook("KycIdentification.Created", verification))
                .then(sandbox::step, () -> {
                    verification.identification("Awaiting", "Processing");
                    verification.status = "Completed";
                }, () -> identificationWebhook("KycIdentification.Processed", verification))
                .then(sandbox::review, () -> verification.identification(verdict, null),
                        () -> identificationWebhook("KycIdentification." + verdict, verification))
                .start();
        return ResponseEntity.accepted().body(Map.of("id", id, "outcome", decided.name()));
    }

    /** The payload is the identification resource, without its personal data. */
    private Sandbox.Delivery identificationWebhook(String type, Verification verification) {
        ObjectNode payload = sandbox.jsonObject().put("id", verification.identificationId)
                .put("identityVerificationId", verification.id).put("status", verification.identificationStatus);
        if (verification.identificationReason != null) {
            payload.put("statusReason", verification.identificationReason);
        }
        return webhook(type, payload);
    }

    private Sandbox.Delivery webhook(String type, ObjectNode payload) {
        Instant now = Instant.now();
        ObjectNode envelope = sandbox.jsonObject().put("id", UUID.randomUUID().toString())
                .put("applicationId", "sandbox").put("createdUtc", now.toString())
                .put("deliveredUtc", now.toString()).put("isDelivered", false);
        envelope.set("payload", payload);
        envelope.put("type", type);
        KycProperties.Ondato ondato = sandbox.providers().ondato();
        String credentials = Base64.getEncoder().encodeToString((ondato.webhookUser() + ":" + ondato.webhookPassword())
                .getBytes(StandardCharsets.UTF_8));
        return Sandbox.webhook("ondato", "/webhooks/ondato", envelope,
                bytes -> Map.of("Authorization", "Basic " + credentials));
    }
}
