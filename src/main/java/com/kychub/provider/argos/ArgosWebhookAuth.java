package com.kychub.provider.argos;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.inbound.ConfigurableWebhookAuth;
import com.kychub.inbound.DedupKeys;
import com.kychub.inbound.WebhookRejectedException;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The door checks of {@code POST /webhooks/argos}.
 * <p>
 * ARGOS documents no webhook signature, so the operator picks a scheme ({@link ConfigurableWebhookAuth},
 * {@code kyc.providers.argos.webhook-auth}); without one the route stays stopped ({@link WebhookRouteGate}). With
 * the encryption option on ({@code kyc.providers.argos.encryption}) every body must be {@code {"data": "<base64>"}}
 * and decrypt with the configured key, which only ARGOS and the hub hold: then scheme {@code none} is acceptable.
 * The inbox keeps the body exactly as received (encrypted), and the dedup key is the SHA-256 of the decrypted
 * webhook's compact JSON, since ARGOS gives no event id.
 */
@Component
public class ArgosWebhookAuth extends ConfigurableWebhookAuth {

    private static final Logger log = LoggerFactory.getLogger(ArgosWebhookAuth.class);

    private final ArgosEncryption encryption;
    private final ObjectMapper json;

    public ArgosWebhookAuth(KycProperties properties, ObjectMapper json) {
        super(ArgosMapping.PROVIDER, properties.providers().argos().webhookAuth());
        this.encryption = encryption(properties.providers().argos());
        this.json = json;
        if (scheme() == ConfigurableWebhookAuth.Scheme.NONE && !encryption.enabled()) {
            log.warn("ARGOS webhooks are accepted without any authentication (webhook-auth.scheme none, encryption "
                    + "none): only do this behind a proxy that authenticates ARGOS");
        }
    }

    static ArgosEncryption encryption(KycProperties.Argos settings) {
        ArgosEncryption.Mode mode = ArgosEncryption.parse(settings.encryption());
        String key = StringUtils.hasText(settings.secretKey()) ? settings.secretKey() : settings.apiKey();
        if (mode != ArgosEncryption.Mode.NONE && !StringUtils.hasText(key)) {
            throw new IllegalStateException("kyc.providers.argos.encryption is " + settings.encryption()
                    + " but no key is set (environment variable KYC_ARGOS_SECRET_KEY or KYC_ARGOS_API_KEY)");
        }
        return new ArgosEncryption(mode, key);
    }

    /**
     * Decrypts the body when encryption is on, validates it as an ARGOS webhook and returns its dedup key. A body
     * that does not decrypt, or is not a webhook, is refused with 400 and the reason.
     */
    public String dedupKey(@Body byte[] body) {
        JsonNode tree = WebhookRejectedException.requireJsonObject(json, body);
        if (encryption.enabled()) {
            if (!isEncrypted(tree)) {
                throw WebhookRejectedException.badRequest("ARGOS encryption is on (" + modeName()
                        + "): the body must be {\"data\": \"<base64>\"}");
            }
            tree = decryptedObject(tree.get("data").asText());
        } else if (isEncrypted(tree)) {
            throw WebhookRejectedException.badRequest(
                    "the body is encrypted but ARGOS encryption is off (kyc.providers.argos.encryption)");
        }
        JsonNode trigger = tree.get("webhook_trigger");
        if (trigger == null || !trigger.isTextual() || trigger.asText().isBlank()) {
            throw WebhookRejectedException.badRequest("'webhook_trigger' is required and must be a non-empty string");
        }
        // Every trigger the doc describes names its submission; a newer one is kept whatever it carries.
        JsonNode submission = tree.get("submission_id");
        if (ArgosMapping.TRIGGERS.containsKey(trigger.asText())
                && (submission == null || !submission.isValueNode() || submission.asText().isBlank())) {
            throw WebhookRejectedException.badRequest("'submission_id' is required");
        }
        try {
            json.treeToValue(tree, ArgosEvent.class);
        } catch (IOException e) {
            throw WebhookRejectedException.badRequest("the body is not an ARGOS webhook: "
                    + e.getClass().getSimpleName());
        }
        return key(tree);
    }

    /** What {@code data} decrypts to, under the checks a plain body gets: the worker reads it the same way. */
    private JsonNode decryptedObject(String data) {
        byte[] decrypted;
        try {
            decrypted = encryption.decrypt(data);
        } catch (ArgosEncryption.UndecryptableException e) {
            throw WebhookRejectedException.badRequest(e.getMessage());
        }
        try {
            return WebhookRejectedException.requireJsonObject(json, decrypted);
        } catch (WebhookRejectedException e) {
            String why = e.getMessage();
            throw WebhookRejectedException.badRequest(why.equals("the body is not a JSON object")
                    ? "'data' does not decrypt to a JSON object"
                    : "'data' decrypts to a body that " + why.replaceFirst("^the body ", ""));
        }
    }

    /** {"data": "<base64>"} and nothing that makes it a plain webhook ({@code updated} has an object {@code data}). */
    static boolean isEncrypted(JsonNode tree) {
        return tree.isObject() && tree.path("data").isTextual() && !tree.has("webhook_trigger");
    }

    /**
     * A stored body as plain JSON for redaction: decrypted when it is {@code {"data": "<base64>"}}, as is when it is
     * plain; null when it is not JSON or does not decrypt (the key changed, or encryption was turned off since).
     */
    public JsonNode plainOrNull(String stored, ObjectMapper json) {
        try {
            JsonNode tree = json.readTree(stored);
            if (tree == null || !isEncrypted(tree)) {
                return tree;
            }
            if (!encryption.enabled()) {
                return null;
            }
            return json.readTree(encryption.decrypt(tree.get("data").asText()));
        } catch (IOException | ArgosEncryption.UndecryptableException e) {
            return null;
        }
    }

    /** The decryption the operator configured: the door checks with it, {@link ArgosProcess} opens stored bodies. */
    ArgosEncryption encryption() {
        return encryption;
    }

    private String modeName() {
        return encryption.mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private String key(JsonNode tree) {
        return DedupKeys.ofContent(json, tree);
    }
}
