package com.kychub.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * WIDTH in the sandbox, under {@code /sandbox/width}: the RPC-style {@code POST /api/{method}} the hub calls, over
 * in-memory executions. {@code workflow.apply.submit} starts an execution that goes CREATED, RUNNING, then WAITING on
 * three nodes in turn, moving on from a node only once the hub's submission for it arrived:
 * <ol>
 * <li>{@code flow_action_identity_document}: the hub submits {@code workflow.kyc.ocr}; {@code workflow.kyc.ocr.data}
 * then answers without a result until the OCR has run ({@code kyc.sandbox.ocr-min-delay} to {@code ocr-max-delay}),
 * then with one, and the execution moves on;</li>
 * <li>{@code flow_action_individual_particular}: the hub submits {@code workflow.kyc.particular.data};</li>
 * <li>{@code flow_action_screen_check}, automatic, after which the execution ends as the customer id asks (see
 * {@link Outcome}): COMPLETED with result APPROVED or REJECTED, FAILED (error) or TIMEOUT (expire).</li>
 * </ol>
 * A node submission must carry the execution's {@code executionId}, the {@code referenceId} the workflow was started
 * with and the current node's {@code callbackKey}, as the WIDTH doc shows; otherwise it answers 400 (404 for an
 * unknown execution). Every other {@code workflow.*} method is acknowledged. WIDTH sends no webhooks; the hub polls
 * {@code workflow.execution.status}.
 */
@RestController
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxWidth {

    static final String OCR_METHOD = "workflow.kyc.ocr";
    static final String OCR_DATA_METHOD = "workflow.kyc.ocr.data";
    static final String PARTICULAR_METHOD = "workflow.kyc.particular.data";

    /** One execution: the node it waits on and what the hub has submitted. */
    static final class Execution {
        final String id = "exe-" + UUID.randomUUID();
        final String customerId;
        final String referenceId;
        final Outcome outcome;
        volatile ObjectNode state;
        String nodeType;
        String callbackKey;
        String ocrCallbackKey;
        boolean ocrSubmitted;
        volatile boolean ocrDone;
        boolean particularSubmitted;

        Execution(String customerId, String referenceId, Outcome outcome) {
            this.customerId = customerId;
            this.referenceId = referenceId;
            this.outcome = outcome;
        }
    }

    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> submissions = new ConcurrentHashMap<>();
    private final Sandbox sandbox;

    public SandboxWidth(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** How many times the hub called a node method (e.g. {@code workflow.kyc.ocr}) for a customer's executions. */
    public int submissions(String customerId, String method) {
        AtomicInteger count = submissions.get(customerId + " " + method);
        return count == null ? 0 : count.get();
    }

    @PostMapping("/sandbox/width/api/{method}")
    public ResponseEntity<JsonNode> call(@PathVariable String method, @RequestParam(required = false) String apiKey,
                                         @RequestBody(required = false) JsonNode body) {
        if (apiKey == null || apiKey.isBlank()) {
            return error(401, "apiKey is required");
        }
        JsonNode request = body == null ? sandbox.jsonObject() : body;
        return switch (method) {
            case "workflow.apply.submit" -> submit(request.path("data"));
            case "workflow.execution.status" -> {
                Execution execution = executions.get(request.path("executionId").asText());
                yield execution == null ? ResponseEntity.notFound().build()
                        : ResponseEntity.ok(execution.state.deepCopy());
            }
            case OCR_METHOD, OCR_DATA_METHOD, PARTICULAR_METHOD -> node(method, request);
            default -> method.startsWith("workflow.") ? ResponseEntity.ok(acknowledged())
                    : ResponseEntity.notFound().build();
        };
    }

    private ResponseEntity<JsonNode> submit(JsonNode data) {
        String customerId = data.path("customerId").asText(null);
        String referenceId = data.path("referenceId").asText(null);
        if (customerId == null || referenceId == null) {
            return error(400, "data.customerId and data.referenceId are required");
        }
        Execution execution = new Execution(customerId, referenceId, Outcome.of(customerId));
        execution.state = state(execution, "CREATED");
        executions.put(execution.id, execution);
        sandbox.script()
                .then(sandbox::step, () -> execution.state = state(execution, "RUNNING"), null)
                .then(sandbox::step, () -> waitOn(execution, "identity_document", "flow_action_identity_document",
                        "ocr"), null)
                .start();
        return ResponseEntity.ok(sandbox.jsonObject().put("executionId", execution.id).put("status", "CREATED"));
    }

    /** A node method: the ids checked against the execution, then the node's own step. */
    private ResponseEntity<JsonNode> node(String method, JsonNode request) {
        Execution execution = executions.get(request.path("executionId").asText());
        if (execution == null) {
            return error(404, "no execution " + request.path("executionId").asText());
        }
        submissions.computeIfAbsent(execution.customerId + " " + method, key -> new AtomicInteger())
                .incrementAndGet();
        synchronized (execution) {
            if (!execution.referenceId.equals(request.path("referenceId").asText(null))) {
                return error(400, "referenceId does not match the execution's");
            }
            String callbackKey = request.path("callbackKey").asText(null);
            return switch (method) {
                case OCR_METHOD -> ocr(execution, callbackKey, request);
                case OCR_DATA_METHOD -> ocrData(execution, callbackKey);
                default -> particular(execution, callbackKey, request);
            };
        }
    }

    private ResponseEntity<JsonNode> ocr(Execution execution, String callbackKey, JsonNode request) {
        if (execution.ocrSubmitted && callbackKey != null && callbackKey.equals(execution.ocrCallbackKey)) {
            return ResponseEntity.ok(acknowledged());
        }
        if (!"flow_action_identity_document".equals(execution.nodeType)
                || !execution.callbackKey.equals(callbackKey)) {
            return error(400, "callbackKey does not name the node the execution waits on");
        }
        for (String field : new String[] {"frontImage", "documentType", "region"}) {
            if (!request.path(field).isTextual() || request.path(field).asText().isBlank()) {
                return error(400, field + " is required");
            }
        }
        execution.ocrSubmitted = true;
        Duration ocr = sandbox.ocr();
        sandbox.script()
                .then(() -> ocr, () -> {
                    execution.ocrDone = true;
                    moveOn(execution);
                }, null)
                .then(sandbox::step, () -> waitOn(execution, "particular", "flow_action_individual_particular",
                        "particular"), null)
                .start();
        return ResponseEntity.ok(acknowledged());
    }

    private ResponseEntity<JsonNode> ocrData(Execution execution, String callbackKey) {
        if (!execution.ocrSubmitted || !execution.ocrCallbackKey.equals(callbackKey)) {
            return error(400, "no OCR submitted under this callbackKey");
        }
        ObjectNode answer = sandbox.jsonObject().put("executionId", execution.id)
                .put("callbackKey", callbackKey);
        if (!execution.ocrDone) {
            return ResponseEntity.ok(answer.put("status", "PROCESSING"));
        }
        SandboxPerson person = SandboxPerson.of(execution.customerId);
        answer.put("status", "COMPLETED").putObject("result").put("fullName", person.fullName().toUpperCase())
                .put("documentNumber", person.documentNumber())
                .put("dateOfBirth", person.dateOfBirth()).put("expiryDate", "2035-01-01");
        return ResponseEntity.ok(answer);
    }

    private ResponseEntity<JsonNode> particular(Execution execution, String callbackKey, JsonNode request) {
        if (execution.particularSubmitted) {
            return ResponseEntity.ok(acknowledged());
        }
        if (!"flow_action_individual_particular".equals(execution.nodeType)
                || !execution.callbackKey.equals(callbackKey)) {
            return error(400, "callbackKey does not name the node the execution waits on");
        }
        try {
            if (!sandbox.json().readTree(request.path("personData").asText("")).path("name").isTextual()) {
                return error(400, "personData must be a JSON-encoded object with a name");
            }
        } catch (Exception e) {
            return error(400, "personData must be a JSON-encoded object with a name");
        }
        execution.particularSubmitted = true;
        moveOn(execution);
        sandbox.script()
                .then(sandbox::step, () -> waitOn(execution, "screening", "flow_action_screen_check",
                        "screening"), null)
                .then(sandbox::review, () -> execution.state = switch (execution.outcome) {
                    case APPROVE -> state(execution, "COMPLETED").put("result", "APPROVED");
                    case REJECT, REJECT_FINAL -> state(execution, "COMPLETED").put("result", "REJECTED");
                    case ERROR -> state(execution, "FAILED");
                    case EXPIRE -> state(execution, "TIMEOUT");
                }, null)
                .start();
        return ResponseEntity.ok(acknowledged());
    }

    /** The node's input arrived: RUNNING again until the next node. */
    private void moveOn(Execution execution) {
        synchronized (execution) {
            execution.nodeType = null;
            execution.state = state(execution, "RUNNING");
        }
    }

    private void waitOn(Execution execution, String nodeId, String nodeType, String kind) {
        synchronized (execution) {
            execution.nodeType = nodeType;
            execution.callbackKey = "kyc:" + kind + ":" + execution.id + ":"
                    + UUID.randomUUID().toString().substring(0, 8);
            if ("ocr".equals(kind)) {
                execution.ocrCallbackKey = execution.callbackKey;
            }
            ObjectNode waiting = state(execution, "WAITING");
            waiting.putObject("currentNode").put("nodeId", nodeId).put("nodeType", nodeType)
                    .put("callbackKey", execution.callbackKey);
            execution.state = waiting;
        }
    }

    private ObjectNode state(Execution execution, String status) {
        return sandbox.jsonObject().put("executionId", execution.id).put("status", status);
    }

    private ObjectNode acknowledged() {
        return sandbox.jsonObject().put("success", true).put("requestId", UUID.randomUUID().toString());
    }

    private ResponseEntity<JsonNode> error(int status, String message) {
        return ResponseEntity.status(status).body(sandbox.jsonObject().put("error", message));
    }
}
