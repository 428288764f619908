package com.kychub.privacy;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The one redaction rule of the hub, applied to raw bodies, provider details, check details and action payloads:
 * a value is kept only when the provider's package says its field is not personal (ids, statuses, event types,
 * timestamps, reason and rejection codes); every other text or number becomes {@link #MARK}. Booleans and nulls say
 * nothing about a person and are kept, and so is the shape (field names, objects, arrays), so that a redacted body
 * still reads as the provider's message and can still be processed.
 */
public final class Redaction {

    public static final String MARK = "[redacted]";

    /** Headers worth keeping on a redacted message; every other header value (authentication, proxies) is redacted. */
    private static final Set<String> KEPT_HEADERS = Set.of("content-type", "content-length", "user-agent",
            "accept", "accept-encoding", "host");

    private Redaction() {
    }

    /** A lower-cased copy of a provider's table: field names are compared without case (Ondato writes both). */
    public static Set<String> table(Collection<String> notPersonal) {
        return notPersonal.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Redacts the tree in place.
     *
     * @param notPersonal the provider's table, lower-cased ({@link #table})
     * @param removed     receives every text value redacted, so that copies of it elsewhere (headers, errors) can be
     *                    found
     * @return whether anything changed
     */
    public static boolean redact(JsonNode tree, Set<String> notPersonal, Collection<String> removed) {
        boolean changed = false;
        if (tree instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                boolean kept = notPersonal.contains(field.getKey().toLowerCase(Locale.ROOT));
                JsonNode value = field.getValue();
                if (value.isContainerNode()) {
                    // A kept name holding a list of codes keeps it; any other container is judged field by field.
                    if (!(kept && value.isArray() && allScalars(value))) {
                        changed |= redact(value, notPersonal, removed);
                    }
                } else if (!kept && personal(value)) {
                    removed.add(value.asText());
                    field.setValue(TextNode.valueOf(MARK));
                    changed = true;
                }
            }
        } else if (tree instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element.isContainerNode()) {
                    changed |= redact(element, notPersonal, removed);
                } else if (personal(element)) {
                    removed.add(element.asText());
                    array.set(i, TextNode.valueOf(MARK));
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** The stored headers of a message with only the harmless ones' values left. */
    public static Map<String, String> headers(Map<String, String> headers) {
        Map<String, String> redacted = new TreeMap<>();
        headers.forEach((name, value) -> redacted.put(name,
                KEPT_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? value : MARK));
        return redacted;
    }

    /** Text that contains one of the values (at least 3 characters: a two-letter code would match anything). */
    public static boolean containsAny(String text, Collection<String> values) {
        return text != null && values.stream().anyMatch(value -> value.length() >= 3 && text.contains(value));
    }

    private static boolean personal(JsonNode value) {
        return !value.isNull() && !value.isBoolean() && !(value.isTextual() && value.asText().equals(MARK));
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isContainerNode()) {
                return false;
            }
        }
        return true;
    }
}
