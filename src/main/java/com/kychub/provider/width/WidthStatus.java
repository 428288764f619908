package com.kychub.provider.width;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer of {@code workflow.execution.status}. The doc names {@code status} and {@code currentNode.nodeType};
 * the rest is assumed: {@code currentNode.nodeId} and {@code currentNode.callbackKey} (the callbackKey the node's
 * submission carries), and {@code result} for a COMPLETED execution.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WidthStatus(
        @JsonAlias({"execution_id", "id"}) String executionId,
        @JsonAlias("executionStatus") String status,
        @JsonAlias({"current_node", "node"}) Node currentNode,
        JsonNode result) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(
            @JsonAlias({"node_id", "id"}) String nodeId,
            @JsonAlias({"node_type", "type"}) String nodeType,
            @JsonAlias("callback_key") String callbackKey,
            @JsonAlias("form_id") String formId) {

        /** What names the node for "submitted once": its id, else its callbackKey. */
        public String key() {
            return nodeId != null && !nodeId.isBlank() ? nodeId : callbackKey;
        }
    }

    /** The result's decision: a string, or an object's {@code decision} or {@code status}. */
    public String resultValue() {
        if (result == null || result.isNull()) {
            return null;
        }
        if (result.isTextual()) {
            return result.asText();
        }
        JsonNode value = result.hasNonNull("decision") ? result.get("decision") : result.get("status");
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
