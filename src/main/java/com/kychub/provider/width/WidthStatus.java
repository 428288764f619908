package com.kychub.provider.width;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.canonical.UnmappableMessageException;

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

    /**
     * The result's decision: a string, or an object's {@code decision} or {@code status}; null when the answer carries
     * none (no {@code result}, null, blank, an empty object, or an object whose decision and status are null). Any other shape (a
     * number, a list, an object with neither field) is not guessed at: it throws.
     */
    public String resultValue() {
        if (result == null || result.isNull() || (result.isObject() && result.isEmpty())) {
            return null;
        }
        JsonNode value = result;
        if (result.isObject()) {
            value = result.hasNonNull("decision") ? result.get("decision") : result.get("status");
            if (value == null || value.isNull()) {
                if (result.has("decision") || result.has("status")) {
                    return null;
                }
                throw new UnmappableMessageException("the result of a COMPLETED WIDTH execution has no decision or "
                        + "status");
            }
        }
        if (!value.isTextual()) {
            throw new UnmappableMessageException("unreadable WIDTH result of a COMPLETED execution ("
                    + value.getNodeType() + ")");
        }
        return value.asText().isBlank() ? null : value.asText();
    }
}
