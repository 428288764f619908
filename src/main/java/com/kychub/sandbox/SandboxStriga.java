package com.kychub.sandbox;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.inbound.HmacSignatures;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Striga in the sandbox: Striga only sends webhooks to the hub, so this simulator plays one user's KYC as Striga's
 * webhooks ({@code POST /webhooks/striga/kyc}, header {@code signature} = hex HMAC-SHA256 of the body keyed with the
 * Striga API key): INITIATED, PENDING_REVIEW, then the verdict the user id asks for. Started by the demo, or by
 * {@code POST /sandbox/striga/users/{userId}/kyc?outcome=}.
 */
@RestController
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxStriga {

    private final Sandbox sandbox;

    public SandboxStriga(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @PostMapping("/sandbox/striga/users/{userId}/kyc")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> start(@PathVariable String userId, @RequestParam(required = false) String outcome) {
        Outcome decided = Outcome.of(outcome, userId);
        play(userId, decided);
        return Map.of("userId", userId, "outcome", decided.name());
    }

    public void play(String userId, Outcome outcome) {
        Sandbox.Script script = sandbox.script()
                .then(sandbox::step, () -> webhook(userId, "INITIATED", false))
                .then(sandbox::step, () -> webhook(userId, "PENDING_REVIEW", false));
        switch (outcome) {
            case APPROVE -> script.then(sandbox::review, () -> webhook(userId, "APPROVED", false));
            case REJECT -> script.then(sandbox::review, () -> webhook(userId, "REJECTED", false));
            case REJECT_FINAL -> script.then(sandbox::review, () -> webhook(userId, "REJECTED", true));
            case ERROR -> script.then(sandbox::review, () -> webhook(userId, "ON_HOLD", false));
            case EXPIRE -> { }
        }
        script.start();
    }

    private Sandbox.Delivery webhook(String userId, String status, boolean rejectionFinal) {
        ObjectNode body = sandbox.jsonObject().put("userId", userId).put("status", status);
        if (status.equals("REJECTED")) {
            body.putArray("details").add("UNSATISFACTORY_PHOTOS");
            body.putObject("rejectionComments")
                    .put("userComment", "The photos of the document are not readable.")
                    .put("autoComment", "Please upload clear photos of your identity document.");
            body.put("rejectionFinal", rejectionFinal);
        }
        body.put("ts", Instant.now().toEpochMilli());
        String apiKey = sandbox.providers().striga().apiKey();
        return Sandbox.webhook("striga", "/webhooks/striga/kyc", body,
                bytes -> Map.of("signature", HmacSignatures.hexHmacSha256(apiKey, bytes)));
    }
}
