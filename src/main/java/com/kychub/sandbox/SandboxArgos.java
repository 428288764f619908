package com.kychub.sandbox;

import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * ARGOS Identity in the sandbox: ARGOS only sends webhooks, so this simulator plays one submission as ARGOS's
 * webhooks to {@code POST /webhooks/argos}: {@code submit}, then {@code approved} or {@code rejected}. Bodies are
 * encrypted as the hub is configured ({@code kyc.providers.argos.encryption}: none or aes-256-ecb, keyed with the
 * SHA-256 of the secret key, else of the API key) and authenticated with the configured {@code webhook-auth} scheme.
 * It keeps each submission and answers ARGOS's {@code GET /sandbox/argos/submission?submission_id=} with it (header
 * {@code x-api-key}), as ARGOS advises polling it behind its webhooks. Started by the demo, or by
 * {@code POST /sandbox/argos/users/{userId}/submissions?outcome=}. Personal data is synthetic.
 */
@RestController
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxArgos {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String EXPIRED_COMMENT = "The identity document has expired.";
    private static final String EXPIRED_CODE = "DOC_EXPIRED";

    private final Sandbox sandbox;
    private final Map<String, ObjectNode> submissions = new ConcurrentHashMap<>();

    public SandboxArgos(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** ARGOS's submission API: {@code {"Items": [the submission]}}, to the API key only. */
    @GetMapping("/sandbox/argos/submission")
    public ResponseEntity<JsonNode> submission(@RequestParam("submission_id") String submissionId,
                                               @RequestHeader(name = "x-api-key", required = false) String apiKey) {
        String expected = sandbox.providers().argos().apiKey();
        if (expected == null || !expected.equals(apiKey)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .body(sandbox.jsonObject().put("message", "Unauthorized"));
        }
        ObjectNode answer = sandbox.jsonObject();
        ArrayNode items = answer.putArray("Items");
        ObjectNode submission = submissions.get(submissionId);
        if (submission != null) {
            items.add(submission);
        }
        return ResponseEntity.ok(answer);
    }

    @PostMapping("/sandbox/argos/users/{userId}/submissions")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> start(@PathVariable String userId, @RequestParam(required = false) String outcome) {
        Outcome decided = Outcome.of(outcome, userId);
        String submissionId = play(userId, decided);
        return Map.of("userId", userId, "submissionId", submissionId, "outcome", decided.name());
    }

    /** Plays a submission for the user; answers its {@code submission_id}. */
    public String play(String userId, Outcome outcome) {
        String submissionId = UUID.randomUUID().toString();
        String submittedAt = now();
        Sandbox.Script script = sandbox.script()
                .then(sandbox::step, () -> decide(userId, submissionId, submittedAt, "pending"),
                        () -> webhook(submission(userId, submissionId, "submit", submittedAt)));
        switch (outcome) {
            case APPROVE -> script.then(sandbox::review,
                    () -> decide(userId, submissionId, submittedAt, "approved"), () -> {
                        ObjectNode body = submission(userId, submissionId, "approved", submittedAt);
                        body.putObject("kyc_result").put("status", "approved").put("updated_at", now())
                                .put("created_at", submittedAt).put("reviewer", "system");
                        return webhook(body);
                    });
            case REJECT, REJECT_FINAL -> script.then(sandbox::review,
                    () -> decide(userId, submissionId, submittedAt, "rejected"), () -> {
                        ObjectNode body = submission(userId, submissionId, "rejected", submittedAt);
                        ObjectNode result = body.putObject("kyc_result").put("status", "rejected")
                                .put("updated_at", now());
                        result.putArray("comment").add(EXPIRED_COMMENT);
                        result.put("commentCode", EXPIRED_CODE);
                        return webhook(body);
                    });
            case EXPIRE, ERROR -> { }
        }
        script.start();
        return submissionId;
    }

    /** The submission as ARGOS's API answers it now: its KYC result, with the applicant's (synthetic) data. */
    private void decide(String userId, String submissionId, String submittedAt, String result) {
        SandboxPerson person = SandboxPerson.of(userId);
        ObjectNode submission = sandbox.jsonObject().put("submission_id", submissionId).put("userid", userId)
                .put("email", person.email()).put("fullName", person.fullName())
                .put("created_at", submittedAt).put("updated_at", now());
        ObjectNode kyc = submission.putObject("kyc").put("result", result);
        ArrayNode comment = kyc.putArray("comment");
        ArrayNode commentCode = kyc.putArray("commentCode");
        if (result.equals("rejected")) {
            comment.add(EXPIRED_COMMENT);
            commentCode.add(EXPIRED_CODE);
        }
        submissions.put(submissionId, submission);
    }

    private ObjectNode submission(String userId, String submissionId, String trigger, String submittedAt) {
        SandboxPerson person = SandboxPerson.of(userId);
        ObjectNode body = sandbox.jsonObject().put("webhook_trigger", trigger).put("submission_id", submissionId)
                .put("userid", userId).put("email", person.email()).put("created_at", submittedAt);
        if (!trigger.equals("submit")) {
            body.put("fullName", person.fullName()).put("idType", "passport")
                    .put("documentNumber", person.documentNumber());
        }
        return body;
    }

    private Sandbox.Delivery webhook(ObjectNode body) {
        KycProperties.Argos argos = sandbox.providers().argos();
        JsonNode sent = body;
        if ("aes-256-ecb".equalsIgnoreCase(argos.encryption())) {
            String key = StringUtils.hasText(argos.secretKey()) ? argos.secretKey() : argos.apiKey();
            sent = sandbox.jsonObject().put("data", encryptEcb(Sandbox.utf8(body.toString()), key));
        }
        return Sandbox.webhook("argos", "/webhooks/argos", sent,
                bytes -> Sandbox.authenticate(argos.webhookAuth(), bytes));
    }

    static String encryptEcb(byte[] plain, String secret) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(Sandbox.utf8(secret));
            Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain));
        } catch (Exception e) {
            throw new IllegalStateException("AES-256-ECB is not available", e);
        }
    }

    private static String now() {
        return LocalDateTime.now(ZoneOffset.UTC).format(TIME);
    }
}
