package com.kychub.inbound;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.StorableJson;

/**
 * A webhook the hub refuses at the door, with the HTTP status and the reason the caller gets. Nothing was stored,
 * so nothing is lost: the sender keeps the message and may send it again.
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;

    public WebhookRejectedException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public static WebhookRejectedException unauthorized(String reason) {
        return new WebhookRejectedException(401, reason);
    }

    public static WebhookRejectedException badRequest(String reason) {
        return new WebhookRejectedException(400, reason);
    }

    /**
     * The body as a JSON object, or a 400 saying it is not one. Anything after the object but whitespace makes it no
     * JSON object (and a NUL byte there could not be stored); so does text the store cannot keep ({@link StorableJson}).
     * A field name given twice is refused too: this tree keeps the last value, while the worker, reading the stored
     * text into the provider's record, fails on a first value of the wrong type.
     */
    public static JsonNode requireJsonObject(ObjectMapper json, byte[] body) {
        JsonNode tree;
        try {
            tree = json.readerFor(JsonNode.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(body);
        } catch (JsonParseException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw badRequest("the body gives a field name twice");
            }
            tree = null;
        } catch (IOException e) {
            tree = null;
        }
        if (tree == null || !tree.isObject()) {
            throw badRequest("the body is not a JSON object");
        }
        if (!StorableJson.isStorable(tree)) {
            throw badRequest(StorableJson.REASON);
        }
        return tree;
    }

    public int status() {
        return status;
    }
}
