package com.kychub.sandbox;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
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
 * verdict the customer's external id or email asks for (see {@link Outcome}). For {@code expire} the SDK link
 * expires ({@code CUSTOMER_KYC_SDK_EXPIRED}, status {@code nextAction: RERUN_KYC}) until the hub reruns the KYC
 * ({@link #rerun}); the new onboarding is then approved.
 */
@RestController
@RequestMapping("/sandbox/connectfi")
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxConnectfi {

    enum Stage { CREATED, SDK, EXPIRED, REVIEW, APPROVED, DENIED, ERROR }

    static final class Customer {
        final String id = "cf-" + UUID.randomUUID();
        final Outcome outcome;
        volatile Stage stage = Stage.CREATED;
        volatile String onboardingId;
        /** After a rerun the new onboarding goes on to approval. */
        volatile boolean rerun;

        Customer(Outcome outcome) {
            this.outcome = outcome;
        }
    }

    private final Map<String, Customer> customers = new ConcurrentHashMap<>();
    private final Sandbox sandbox;

    public SandboxConnectfi(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @PostMapping("/v1/customers")
    public Map<String, String> createCustomer(@RequestBody JsonNode body) {
        Customer customer = new Customer(
                Outcome.of(body.path("externalId").asText(null), body.path("email").asText(null)));
        customers.put(customer.id, customer);
        sandbox.script().then(sandbox::step, () -> webhook("CUSTOMER_CREATED", customer, null)).start();
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
                .then(sandbox::step, () -> webhook("CUSTOMER_KYC_STARTED", customer, null));
        sdkFlow(customer, script);
        script.start();
        return ResponseEntity.ok(onboarding(customer));
    }

    /**
     * The SDK link is handed out, then it expires (outcome {@code expire}, before a rerun), or the flow and review run.
     * A started and a rerun KYC both go this way.
     */
    private void sdkFlow(Customer customer, Sandbox.Script script) {
        script.then(sandbox::step, () -> webhook("CUSTOMER_KYC_SDK_FLOW_REQUIRED", customer, null));
        Outcome outcome = customer.rerun ? Outcome.APPROVE : customer.outcome;
        if (outcome == Outcome.EXPIRE) {
            script.then(sandbox::step, () -> customer.stage = Stage.EXPIRED,
                    () -> webhook("CUSTOMER_KYC_SDK_EXPIRED", customer, null));
            return;
        }
        script.then(sandbox::step, () -> customer.stage = Stage.REVIEW,
                () -> webhook("CUSTOMER_KYC_SDK_FLOW_COMPLETED", customer, null));
        switch (outcome) {
            case APPROVE -> script.then(sandbox::review, () -> customer.stage = Stage.APPROVED,
                    () -> webhook("CUSTOMER_KYC_FINISHED", customer, "APPROVED"));
            case REJECT, REJECT_FINAL -> script.then(sandbox::review, () -> customer.stage = Stage.DENIED,
                    () -> webhook("CUSTOMER_KYC_FINISHED", customer, "DENIED_COMPLIANCE"));
            default -> script.then(sandbox::review, () -> customer.stage = Stage.ERROR,
                    () -> webhook("CUSTOMER_KYC_ERROR", customer, null));
        }
    }

    private ObjectNode onboarding(Customer customer) {
        ObjectNode answer = sandbox.jsonObject();
        answer.putObject("onboarding").put("id", customer.onboardingId).put("status", "PROCESSING");
        answer.putObject("sdk").put("link", sandbox.hubUrl() + "/sandbox/connectfi/sdk/" + customer.onboardingId)
                .put("qrCode", "data:image/png;base64,AA");
        return answer;
    }

    /** The SDK link the hub hands to the customer; in the sandbox the SDK flow completes by itself. */
    @GetMapping("/sdk/{onboardingId}")
    public Map<String, String> sdk(@PathVariable String onboardingId) {
        return Map.of("onboardingId", onboardingId, "sdk", "sandbox: the SDK flow completes by itself");
    }

    /**
     * Reruns the KYC of an onboarding whose SDK link expired: a new onboarding, {@code CUSTOMER_KYC_RESTARTED} with
     * {@code previousOnboardingId}, and the new SDK flow, which goes on to approval. Only the customer's current
     * onboarding, and only once its link expired, can be rerun (409 otherwise).
     */
    @PostMapping("/v1/compliance/kyc/{onboardingId}/rerun")
    public ResponseEntity<JsonNode> rerun(@PathVariable String onboardingId) {
        Customer customer = customers.values().stream().filter(c -> onboardingId.equals(c.onboardingId)).findFirst()
                .orElse(null);
        if (customer == null) {
            return ResponseEntity.notFound().build();
        }
        String previous;
        synchronized (customer) {
            if (customer.stage != Stage.EXPIRED) {
                return ResponseEntity.status(409).body(sandbox.jsonObject()
                        .put("error", "only an onboarding whose SDK link expired can be rerun"));
            }
            previous = customer.onboardingId;
            customer.onboardingId = "onb-" + UUID.randomUUID();
            customer.rerun = true;
            customer.stage = Stage.SDK;
        }
        String current = customer.onboardingId;
        Sandbox.Script script = sandbox.script()
                .then(sandbox::step, () -> restarted(customer, current, previous));
        sdkFlow(customer, script);
        script.start();
        ObjectNode answer = onboarding(customer);
        answer.put("previousOnboardingId", previous);
        return ResponseEntity.ok(answer);
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
        ObjectNode answer = sandbox.jsonObject();
        switch (customer.stage) {
            case CREATED -> status(answer, "PENDING", "START_KYC", "KYC_DATA_PRESENT", "KYC_STARTED");
            case SDK -> status(answer, "PROCESSING", "COMPLETE_SDK_FLOW", "KYC_STARTED", "SDK_VERIFICATION_COMPLETED");
            case EXPIRED -> status(answer, "PROCESSING", "RERUN_KYC", "KYC_STARTED", "SDK_VERIFICATION_COMPLETED");
            case REVIEW -> status(answer, "PROCESSING", "WAIT", "SDK_VERIFICATION_COMPLETED", "KYC_STATUS");
            case APPROVED -> status(answer, "APPROVED", null, "SDK_VERIFICATION_COMPLETED", "KYC_STATUS");
            case DENIED -> status(answer, "DENIED_COMPLIANCE", "CONTACT_SUPPORT", null, "KYC_STATUS");
            case ERROR -> status(answer, "PROCESSING", "CONTACT_SUPPORT", null, "KYC_STATUS");
        }
        return ResponseEntity.ok(answer);
    }

    /**
     * A status answer as Connect Financial gives it: compliant once no action is left, and two checks at most, the
     * last one passed (if any) and the one the next action is for (passed as well when no action is left).
     */
    private static void status(ObjectNode answer, String onboardingStatus, String nextAction, String passedCheck,
                               String currentCheck) {
        boolean compliant = nextAction == null;
        answer.put("isCompliant", compliant).put("onboardingStatus", onboardingStatus);
        if (compliant) {
            answer.putNull("nextAction");
        } else {
            answer.put("nextAction", nextAction);
        }
        ArrayNode checks = answer.putArray("checks");
        if (passedCheck != null) {
            check(checks, passedCheck, true, null);
        }
        check(checks, currentCheck, compliant, nextAction);
    }

    private static void check(ArrayNode checks, String type, boolean passed, String suggestedAction) {
        ObjectNode check = checks.addObject().put("type", type).put("passed", passed).put("required", true);
        if (suggestedAction != null) {
            check.put("suggestedAction", suggestedAction);
        }
    }

    private Sandbox.Delivery restarted(Customer customer, String onboardingId, String previousOnboardingId) {
        ObjectNode body = sandbox.jsonObject().put("eventType", "CUSTOMER_KYC_RESTARTED");
        body.putObject("data").put("customerId", customer.id).put("onboardingId", onboardingId)
                .put("previousOnboardingId", previousOnboardingId);
        return delivery(body);
    }

    private Sandbox.Delivery webhook(String eventType, Customer customer, String status) {
        ObjectNode body = sandbox.jsonObject().put("eventType", eventType);
        ObjectNode data = body.putObject("data").put("customerId", customer.id);
        if (customer.onboardingId != null) {
            data.put("onboardingId", customer.onboardingId);
        }
        if (status != null) {
            data.put("status", status);
        }
        return delivery(body);
    }

    private Sandbox.Delivery delivery(ObjectNode body) {
        return Sandbox.webhook("connectfi", "/webhooks/connectfi", body,
                bytes -> Sandbox.authenticate(sandbox.providers().connectfi().webhookAuth(), bytes));
    }
}
