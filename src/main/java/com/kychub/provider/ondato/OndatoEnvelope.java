package com.kychub.provider.ondato;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.UnmappableMessageException;

/**
 * An Ondato webhook envelope (provider doc 003, with the envelope Ondato's webhook page documents):
 * {@code {id, applicationId, createdUtc, deliveredUtc, isDelivered, payload, type}}. Older examples spell the keys in
 * PascalCase ({@code Id}, {@code Type}, {@code Payload}), so keys are matched ignoring case.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
public record OndatoEnvelope(String id, String applicationId, String createdUtc, String deliveredUtc,
                            Boolean isDelivered, JsonNode payload, String type) {

    /** An answer of Ondato's APIs as a JSON object; anything else is unmappable (kept FAILED, never guessed). */
    static JsonNode object(ObjectMapper json, String body) {
        try {
            JsonNode tree = json.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new UnmappableMessageException("the Ondato answer is not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new UnmappableMessageException("the Ondato answer is not valid JSON");
        }
    }

    /** A field of a JSON object, its name matched ignoring case (the exact spelling first); null when absent. */
    static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    /** A text field reached through the given names, each matched ignoring case; null when absent or not text. */
    static String text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            current = field(current, name);
        }
        return current != null && current.isTextual() && !current.asText().isBlank() ? current.asText() : null;
    }
}
