package com.kychub.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import com.kychub.inbound.HmacSignatures;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Striga in the sandbox: this simulator plays one user's KYC as Striga's webhooks ({@code POST /webhooks/striga/kyc},
 * header {@code signature} = hex HMAC-SHA256 of the body keyed with the Striga API key): INITIATED, PENDING_REVIEW,
 * then the verdict the user id asks for. It keeps each user's status and answers Striga's Get KYC Status
 * ({@code GET /sandbox/striga/api/v1/user/kyc/{userId}}) with it, to a request signed as Striga asks (header
 * {@code api-key}, {@code Authorization: HMAC <time>:<HMAC-SHA256 of time + method + path + MD5 of the body>}, keyed
 * with the API secret). Started by the demo, or by {@code POST /sandbox/striga/users/{userId}/kyc?outcome=}.
 */
@RestController
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxStriga {

    /** The MD5 of {@code {}}: Striga signs a request without a body as if it were an empty object. */
    private static final String MD5_OF_NO_BODY = md5Hex("{}");

    private final Sandbox sandbox;
    private final Map<String, ObjectNode> users = new ConcurrentHashMap<>();

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
                .then(sandbox::step, () -> become(userId, "INITIATED", false), () -> webhook(userId))
                .then(sandbox::step, () -> become(userId, "PENDING_REVIEW", false), () -> webhook(userId));
        switch (outcome) {
            case APPROVE -> script.then(sandbox::review, () -> become(userId, "APPROVED", false), () -> webhook(userId));
            case REJECT -> script.then(sandbox::review, () -> become(userId, "REJECTED", false), () -> webhook(userId));
            case REJECT_FINAL -> script.then(sandbox::review, () -> become(userId, "REJECTED", true),
                    () -> webhook(userId));
            case ERROR -> script.then(sandbox::review, () -> become(userId, "ON_HOLD", false), () -> webhook(userId));
            case EXPIRE -> { }
        }
        script.start();
    }

    /** Get KYC Status: the user's KYC as the webhooks describe it, to a signed request only. */
    @GetMapping("/sandbox/striga/api/v1/user/kyc/{userId}")
    public ResponseEntity<JsonNode> kycStatus(@PathVariable String userId,
                                              @RequestHeader(name = "api-key", required = false) String apiKey,
                                              @RequestHeader(name = "Authorization", required = false)
                                              String authorization) {
        if (!signed(apiKey, authorization, "GET", "/user/kyc/" + userId)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .body(sandbox.jsonObject().put("message", "Invalid signature"));
        }
        ObjectNode user = users.get(userId);
        return user == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(user);
    }

    private void become(String userId, String status, boolean rejectionFinal) {
        ObjectNode user = sandbox.jsonObject().put("userId", userId).put("status", status);
        if (status.equals("REJECTED")) {
            user.putArray("details").add("UNSATISFACTORY_PHOTOS");
            user.putObject("rejectionComments")
                    .put("userComment", "The photos of the document are not readable.")
                    .put("autoComment", "Please upload clear photos of your identity document.");
            user.put("rejectionFinal", rejectionFinal);
        }
        user.put("ts", Instant.now().toEpochMilli());
        users.put(userId, user);
    }

    private Sandbox.Delivery webhook(String userId) {
        String apiKey = sandbox.providers().striga().apiKey();
        return Sandbox.webhook("striga", "/webhooks/striga/kyc", users.get(userId),
                bytes -> Map.of("signature", HmacSignatures.hexHmacSha256(apiKey, bytes)));
    }

    private boolean signed(String apiKey, String authorization, String method, String path) {
        KycProperties.Striga striga = sandbox.providers().striga();
        if (striga.apiKey() == null || !striga.apiKey().equals(apiKey) || striga.apiSecret() == null
                || authorization == null || !authorization.startsWith("HMAC ") || authorization.indexOf(':') < 0) {
            return false;
        }
        String time = authorization.substring("HMAC ".length(), authorization.indexOf(':'));
        String signature = authorization.substring(authorization.indexOf(':') + 1);
        return HmacSignatures.matchesHex(striga.apiSecret(),
                (time + method + path + MD5_OF_NO_BODY).getBytes(StandardCharsets.UTF_8), signature);
    }

    private static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
