package com.kychub.canonical;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON text can escape characters the store cannot keep: PostgreSQL's {@code text} and {@code jsonb} refuse U+0000,
 * and an unpaired surrogate ({@code \ud800}) is no Unicode character at all (the driver would write it as '?', so two
 * different ids would become one). Input carrying either is refused where it enters the hub, never half-stored.
 */
public final class StorableJson {

    public static final String REASON = "the body escapes U+0000 or an unpaired surrogate (\\ud800-\\udfff), "
            + "which is not storable text";

    private StorableJson() {
    }

    /** True when the bytes are UTF-8 text: the only encoding JSON between systems may use (RFC 8259). */
    public static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** True when every field name and string in the tree is text PostgreSQL can store. */
    public static boolean isStorable(JsonNode tree) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(tree);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual() && !isStorable(node.textValue())) {
                return false;
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (!isStorable(field.getKey())) {
                        return false;
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
        return true;
    }

    public static boolean isStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
