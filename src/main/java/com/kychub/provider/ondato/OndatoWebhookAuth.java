package com.kychub.provider.ondato;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.inbound.WebhookDoor;
import com.kychub.inbound.WebhookRejectedException;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The door checks of {@code POST /webhooks/ondato}: HTTP Basic credentials (the scheme chosen for the hub's Ondato
 * webhook subscription, {@code KYC_ONDATO_WEBHOOK_USER} / {@code KYC_ONDATO_WEBHOOK_PASSWORD}, compared in constant
 * time), then the envelope, whose {@code id} is the dedup key: Ondato retries for 24 h and delivers duplicates.
 */
@Component
public class OndatoWebhookAuth {

    private static final Logger log = LoggerFactory.getLogger(OndatoWebhookAuth.class);

    private final byte[] expected;
    private final ObjectMapper json;

    public OndatoWebhookAuth(KycProperties properties, ObjectMapper json) {
        KycProperties.Ondato settings = properties.providers().ondato();
        this.json = json;
        if (StringUtils.hasText(settings.webhookUser()) && StringUtils.hasText(settings.webhookPassword())) {
            this.expected = (settings.webhookUser() + ":" + settings.webhookPassword()).getBytes(StandardCharsets.UTF_8);
        } else {
            this.expected = null;
            log.warn("KYC_ONDATO_WEBHOOK_USER / KYC_ONDATO_WEBHOOK_PASSWORD are not set: every Ondato webhook will be "
                    + "refused with 401");
        }
    }

    /** @param headers the request's headers, names in lower case */
    public void authenticate(@Variable(WebhookDoor.HTTP_HEADERS) Map<String, String> headers) {
        if (expected == null) {
            throw WebhookRejectedException.unauthorized("Ondato webhook authentication is not configured");
        }
        String authorization = headers == null ? null : headers.get("authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw WebhookRejectedException.unauthorized("missing HTTP Basic credentials");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw WebhookRejectedException.unauthorized("invalid HTTP Basic credentials");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw WebhookRejectedException.unauthorized("invalid HTTP Basic credentials");
        }
    }

    /**
     * Validates the envelope ({@code id} and {@code type} non-empty strings, {@code payload} an object, keys in any
     * case) and returns its dedup key: the envelope id. An event type the hub does not know is accepted here and
     * kept as FAILED by the processing, never guessed.
     */
    public String dedupKey(@Body byte[] body) {
        JsonNode tree = WebhookRejectedException.requireJsonObject(json, body);
        String id = requiredText(tree, "id");
        requiredText(tree, "type");
        JsonNode payload = OndatoEnvelope.field(tree, "payload");
        if (payload == null || !payload.isObject()) {
            throw WebhookRejectedException.badRequest("'payload' is required and must be an object");
        }
        return "id:" + id;
    }

    private static String requiredText(JsonNode tree, String field) {
        JsonNode value = OndatoEnvelope.field(tree, field);
        if (value == null || !value.isTextual() || value.asText().isBlank() || value.asText().length() > 200) {
            throw WebhookRejectedException.badRequest("'" + field
                    + "' is required and must be a non-empty string of at most 200 characters");
        }
        return value.asText();
    }
}
