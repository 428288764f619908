package com.kychub.sandbox;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Connect Financial in the sandbox, under {@code /sandbox/connectfi}: the API the hub calls ({@code POST /v1/customers},
 * {@code POST /v1/compliance/kyc}, {@code GET /v1/compliance/status/:customerId}, profile PATCH, rerun, document
 * upload) over in-memory state, and the {@code CUSTOMER_*} webhooks to {@code /webhooks/connectfi}, authenticated as
 * {@code kyc.providers.connectfi.webhook-auth} says. A started KYC goes through the SDK flow and a review to the
 * verdict the customer's external id or email asks for (see {@link Outcome}).
 */
@RestController
@RequestMapping("/sandbox/connectfi")
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxConnectfi {

    enum Stage { CREATED, SDK, REVIEW, APPROVED, DENIED, ERROR }

    static final class Customer {
        final String id;
        final Outcome outcome;
        volatile Stage stage = Stage.CREATED;
        volatile String onboardingId;

        Customer(String id, Outcome outcome) {
            this.id = id;
            this.outcome = outcome;
        }
    }

    private final Map<String, Customer> customers = new ConcurrentHashMap<>();
    private final Sandbox sandbox;
    private final ObjectMapper json;

    public SandboxConnectfi(Sandbox sandbox, ObjectMapper json) {
        this.sandbox = sandbox;
        this.json = json;
    }

    @PostMapping("/v1/customers")
    public Map<String, String> createCustomer(@RequestBody JsonNode body) {
        Customer customer = new Customer("cf-" + UUID.randomUUID(),
                Outcome.of(body.path("externalId").asText(null), body.path("email").asText(null)));
        customers.put(customer.id, customer);
        sandbox.script().then(sandbox::step, null, () -> webhook("CUSTOMER_CREATED", customer, null)).start();
        return Map.of("id", customer.id);
    }

    @PatchMapping("/v1/customers/{id}")
    public ResponseEntity<Map<String, String>> updateCustomer(@PathVariable String id) {
        return customers.containsKey(id) ? ResponseEntity.ok(Map.of("id", id)) : ResponseEntity.notFound().build();
    }

    @PostMapping("/v1/compliance/kyc")
    public ResponseEntity<JsonNode> startKyc(@RequestBody JsonNode body) {
        Customer customer = customers.get(body.path("customerId").asText());
        if (customer == null) {
            return ResponseEntity.notFound().build();
        }
        customer.onboardingId = "onb-" + UUID.randomUUID();
        customer.stage = Stage.SDK;
        Sandbox.Script script = sandbox.script()
                .then(sandbox::step, null, () -> webhook("CUSTOMER_KYC_STARTED", customer, null))
                .then(sandbox::step, null, () -> webhook("CUSTOMER_KYC_SDK_FLOW_REQUIRED", customer, null));
        if (customer.outcome == Outcome.EXPIRE) {
            script.then(sandbox::step, null, () -> webhook("CUSTOMER_KYC_SDK_EXPIRED", customer, null));
        } else {
            script.then(sandbox::step, () -> customer.stage = Stage.REVIEW,
                    () -> webhook("CUSTOMER_KYC_SDK_FLOW_COMPLETED", customer, null));
            switch (customer.outcome) {
                case APPROVE -> script.then(sandbox::review, () -> customer.stage = Stage.APPROVED,
                        () -> webhook("CUSTOMER_KYC_FINISHED", customer, "APPROVED"));
                case REJECT, REJECT_FINAL -> script.then(sandbox::review, () -> customer.stage = Stage.DENIED,
                        () -> webhook("CUSTOMER_KYC_FINISHED", customer, "DENIED_COMPLIANCE"));
                default -> script.then(sandbox::review, () -> customer.stage = Stage.ERROR,
                        () -> webhook("CUSTOMER_KYC_ERROR", customer, null));
            }
        }
        script.start();
        ObjectNode answer = json.createObjectNode();
        answer.putObject("onboarding").put("id", customer.onboardingId).put("status", "PROCESSING");
        answer.putObject("sdk").put("link", sandbox.hubUrl() + "/sandbox/connectfi/sdk/" + customer.onboardingId)
                .put("qrCode", "data:image/png;base64,AA");
        return ResponseEntity.ok(answer);
    }

    /** The SDK link the hub hands to the customer; in the sandbox the SDK flow completes by itself. */
    @GetMapping("/sdk/{onboardingId}")
    public Map<String, String> sdk(@PathVariable String onboardingId) {
        return Map.of("onboardingId", onboardingId, "sdk", "sandbox: the SDK flow completes by itself");
    }

    @PostMapping("/v1/compliance/kyc/{onboardingId}/rerun")
    public Map<String, String> rerun(@PathVariable String onboardingId) {
        return Map.of("status", "RERUN_REQUESTED");
    }

    @PostMapping("/compliance/upload-doc")
    public Map<String, String> uploadDocument() {
        return Map.of("status", "RECEIVED");
    }

    @GetMapping("/v1/compliance/status/{id}")
    public ResponseEntity<JsonNode> status(@PathVariable String id) {
        Customer customer = customers.get(id);
        if (customer == null) {
            return ResponseEntity.notFound().build();
        }
        ObjectNode answer = json.createObjectNode();
        ArrayNode checks = json.createArrayNode();
        switch (customer.stage) {
            case CREATED -> {
                status(answer, false, "PENDING", "START_KYC");
                check(checks, "KYC_DATA_PRESENT", true, null);
                check(checks, "KYC_STARTED", false, "START_KYC");
            }
            case SDK -> {
                status(answer, false, "PROCESSING", "COMPLETE_SDK_FLOW");
                check(checks, "KYC_STARTED", true, null);
                check(checks, "SDK_VERIFICATION_COMPLETED", false, "COMPLETE_SDK_FLOW");
            }
            case REVIEW -> {
                status(answer, false, "PROCESSING", "WAIT");
                check(checks, "SDK_VERIFICATION_COMPLETED", true, null);
                check(checks, "KYC_STATUS", false, "WAIT");
            }
            case APPROVED -> {
                status(answer, true, "APPROVED", null);
                check(checks, "SDK_VERIFICATION_COMPLETED", true, null);
                check(checks, "KYC_STATUS", true, null);
            }
            case DENIED -> {
                status(answer, false, "DENIED_COMPLIANCE", "CONTACT_SUPPORT");
                check(checks, "KYC_STATUS", false, "CONTACT_SUPPORT");
            }
            case ERROR -> {
                status(answer, false, "PROCESSING", "CONTACT_SUPPORT");
                check(checks, "KYC_STATUS", false, "CONTACT_SUPPORT");
            }
        }
        answer.set("checks", checks);
        return ResponseEntity.ok(answer);
    }

    private static void status(ObjectNode answer, boolean compliant, String onboardingStatus, String nextAction) {
        answer.put("isCompliant", compliant).put("onboardingStatus", onboardingStatus);
        if (nextAction == null) {
            answer.putNull("nextAction");
        } else {
            answer.put("nextAction", nextAction);
        }
    }

    private static void check(ArrayNode checks, String type, boolean passed, String suggestedAction) {
        ObjectNode check = checks.addObject().put("type", type).put("passed", passed).put("required", true);
        if (suggestedAction != null) {
            check.put("suggestedAction", suggestedAction);
        }
    }

    private Sandbox.Delivery webhook(String eventType, Customer customer, String status) {
        ObjectNode body = json.createObjectNode().put("eventType", eventType);
        ObjectNode data = body.putObject("data").put("customerId", customer.id);
        if (customer.onboardingId != null) {
            data.put("onboardingId", customer.onboardingId);
        }
        if (status != null) {
            data.put("status", status);
        }
        byte[] bytes = Sandbox.utf8(body.toString());
        return new Sandbox.Delivery("connectfi", "/webhooks/connectfi", bytes,
                Sandbox.authenticate(sandbox.providers().connectfi().webhookAuth(), bytes));
    }
}
