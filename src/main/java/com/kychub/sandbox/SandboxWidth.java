package com.kychub.sandbox;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * in-memory executions. {@code workflow.apply.submit} starts an execution that goes CREATED, RUNNING, WAITING on the
 * automatic screening node ({@code flow_action_screen_check}), then ends as the customer id asks (see
 * {@link Outcome}): COMPLETED with result APPROVED or REJECTED, FAILED (error) or TIMEOUT (expire). Every other
 * {@code workflow.*} method is acknowledged. WIDTH sends no webhooks; the hub polls
 * {@code workflow.execution.status}.
 */
@RestController
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class SandboxWidth {

    private final Map<String, ObjectNode> executions = new ConcurrentHashMap<>();
    private final Sandbox sandbox;
    private final ObjectMapper json;

    public SandboxWidth(Sandbox sandbox, ObjectMapper json) {
        this.sandbox = sandbox;
        this.json = json;
    }

    @PostMapping("/sandbox/width/api/{method}")
    public ResponseEntity<JsonNode> call(@PathVariable String method, @RequestParam(required = false) String apiKey,
                                         @RequestBody(required = false) JsonNode body) {
        if (apiKey == null || apiKey.isBlank()) {
            return ResponseEntity.status(401).body(json.createObjectNode().put("error", "apiKey is required"));
        }
        JsonNode request = body == null ? json.createObjectNode() : body;
        return switch (method) {
            case "workflow.apply.submit" -> ResponseEntity.ok(submit(request.path("data")));
            case "workflow.execution.status" -> {
                ObjectNode execution = executions.get(request.path("executionId").asText());
                yield execution == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(execution.deepCopy());
            }
            default -> method.startsWith("workflow.")
                    ? ResponseEntity.ok(json.createObjectNode().put("success", true)
                            .put("requestId", UUID.randomUUID().toString()))
                    : ResponseEntity.notFound().build();
        };
    }

    private synchronized JsonNode submit(JsonNode data) {
        String executionId = "exe-" + UUID.randomUUID();
        Outcome outcome = Outcome.of(data.path("customerId").asText(null));
        executions.put(executionId, state(executionId, "CREATED"));
        Sandbox.Script script = sandbox.script()
                .then(sandbox::step, () -> executions.put(executionId, state(executionId, "RUNNING")), null)
                .then(sandbox::step, () -> {
                    ObjectNode waiting = state(executionId, "WAITING");
                    waiting.putObject("currentNode").put("nodeId", "screening")
                            .put("nodeType", "flow_action_screen_check").put("callbackKey", "kyc:screening:cb");
                    executions.put(executionId, waiting);
                }, null);
        script.then(sandbox::review, () -> executions.put(executionId, switch (outcome) {
            case APPROVE -> state(executionId, "COMPLETED").put("result", "APPROVED");
            case REJECT, REJECT_FINAL -> state(executionId, "COMPLETED").put("result", "REJECTED");
            case ERROR -> state(executionId, "FAILED");
            case EXPIRE -> state(executionId, "TIMEOUT");
        }), null).start();
        return json.createObjectNode().put("executionId", executionId).put("status", "CREATED");
    }

    private ObjectNode state(String executionId, String status) {
        return json.createObjectNode().put("executionId", executionId).put("status", status);
    }
}
