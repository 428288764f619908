package com.kychub.provider.striga;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.inbound.DedupKeys;
import com.kychub.inbound.HmacSignatures;
import com.kychub.inbound.WebhookDoor;
import com.kychub.inbound.WebhookRejectedException;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The door checks of {@code POST /webhooks/striga/kyc}: Striga's signature, then the shape of the body.
 * <p>
 * Striga sends header {@code signature} = hex HMAC-SHA256 of {@code JSON.stringify(body)} keyed with the Striga API
 * key. The raw body is checked first; if a proxy re-formatted it, its compact re-serialisation (key order kept, no
 * whitespace) is checked too. Both comparisons are constant-time.
 */
@Component
public class StrigaWebhookAuth {

    private static final Logger log = LoggerFactory.getLogger(StrigaWebhookAuth.class);

    private final KycProperties.Striga settings;
    private final ObjectMapper json;

    public StrigaWebhookAuth(KycProperties properties, ObjectMapper json) {
        this.settings = properties.providers().striga();
        this.json = json;
        if (settings.webhookAuthentication() && !StringUtils.hasText(settings.apiKey())) {
            log.warn("KYC_STRIGA_API_KEY is not set: every Striga webhook will be refused with 401");
        }
    }

    public void authenticate(@Body byte[] body, @Variable(WebhookDoor.HTTP_HEADERS) Map<String, String> headers) {
        if (!settings.webhookAuthentication()) {
            return;
        }
        if (!StringUtils.hasText(settings.apiKey())) {
            throw WebhookRejectedException.unauthorized("Striga webhook authentication is not configured");
        }
        String signature = headers.get("signature");
        if (!StringUtils.hasText(signature)) {
            throw WebhookRejectedException.unauthorized("missing signature header");
        }
        if (HmacSignatures.matchesHex(settings.apiKey(), body, signature)) {
            return;
        }
        byte[] compact = compact(body);
        if (compact == null || !HmacSignatures.matchesHex(settings.apiKey(), compact, signature)) {
            throw WebhookRejectedException.unauthorized("invalid signature");
        }
    }

    /** Validates the body as a Striga KYC webhook and returns its dedup key: the hash of its compact form. */
    public String dedupKey(@Body byte[] body) {
        JsonNode tree = WebhookRejectedException.requireJsonObject(json, body);
        requireText(tree, "userId");
        requireText(tree, "status");
        try {
            json.treeToValue(tree, StrigaEvent.class);
        } catch (IOException e) {
            throw WebhookRejectedException.badRequest("the body is not a Striga KYC webhook: "
                    + e.getClass().getSimpleName());
        }
        // Jackson reads [1, null] as a list of strings; the mapping needs the doc's rejection labels, all text.
        JsonNode details = tree.get("details");
        if (details != null && !details.isNull() && !isArrayOfStrings(details)) {
            throw WebhookRejectedException.badRequest("'details' must be an array of strings");
        }
        return DedupKeys.ofContent(json, tree);
    }

    private static void requireText(JsonNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw WebhookRejectedException.badRequest("'" + field + "' is required and must be a non-empty string");
        }
    }

    private static boolean isArrayOfStrings(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] compact(byte[] body) {
        JsonNode tree = parse(body);
        if (tree == null) {
            return null;
        }
        try {
            return json.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
