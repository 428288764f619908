package com.kychub.provider.connectfi;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.inbound.ConfigurableWebhookAuth;
import com.kychub.inbound.DedupKeys;
import com.kychub.inbound.WebhookRejectedException;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/**
 * The door checks of {@code POST /webhooks/connectfi}. Connect Financial documents no signature: the scheme is the
 * operator's choice ({@code kyc.providers.connectfi.webhook-auth}); without one the route does not start.
 */
@Component
public class ConnectfiWebhookAuth extends ConfigurableWebhookAuth {

    private final ObjectMapper json;

    public ConnectfiWebhookAuth(KycProperties properties, ObjectMapper json) {
        super(ConnectfiMapping.PROVIDER, properties.providers().connectfi().webhookAuth());
        this.json = json;
    }

    /**
     * Validates the envelope ({@code eventType} and {@code data.customerId} are strings) and returns the dedup key:
     * the hash of the compact body, since the webhook carries no delivery id. An event type the doc does not list
     * is accepted here and kept as FAILED by the processing, never guessed.
     */
    public String dedupKey(@Body byte[] body) {
        JsonNode tree = WebhookRejectedException.requireJsonObject(json, body);
        if (!tree.path("eventType").isTextual() || tree.path("eventType").asText().isBlank()) {
            throw WebhookRejectedException.badRequest("'eventType' is required and must be a non-empty string");
        }
        if (!tree.path("data").isObject()) {
            throw WebhookRejectedException.badRequest("'data' is required and must be an object");
        }
        JsonNode customerId = tree.path("data").path("customerId");
        if (!customerId.isTextual() || customerId.asText().isBlank() || customerId.asText().length() > 100) {
            throw WebhookRejectedException.badRequest("'data.customerId' is required: a string of at most 100 characters");
        }
        for (String field : new String[] {"onboardingId", "previousOnboardingId", "status"}) {
            JsonNode value = tree.path("data").path(field);
            if (!value.isMissingNode() && !value.isNull() && (!value.isTextual() || value.asText().length() > 100)) {
                throw WebhookRejectedException.badRequest("'data." + field + "' must be a string of at most 100 characters");
            }
        }
        return DedupKeys.ofContent(json, tree);
    }
}
