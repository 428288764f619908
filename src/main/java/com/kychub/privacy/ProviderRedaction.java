package com.kychub.privacy;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.inbound.Inbox;
import com.kychub.provider.argos.ArgosMapping;
import com.kychub.provider.argos.ArgosWebhookAuth;
import com.kychub.provider.connectfi.ConnectfiMapping;
import com.kychub.provider.ondato.OndatoMapping;
import com.kychub.provider.striga.StrigaMapping;
import com.kychub.provider.width.WidthMapping;
import org.springframework.stereotype.Component;

/**
 * {@link Redaction} with each provider's table of what is not personal (owned by the provider's Mapping): for raw
 * messages, provider details, check details and action payloads. An encrypted ARGOS body is decrypted to be redacted
 * and stored redacted in plain JSON (which ARGOS's processing reads as it is); one that no longer decrypts, like any
 * body that is not JSON, is replaced whole by {@link #UNREADABLE}: nothing of it can be told apart, so nothing is kept.
 */
@Component
public class ProviderRedaction {

    /** What an unreadable body becomes. */
    public static final String UNREADABLE = "{\"redacted\":\"unreadable\"}";

    private static final Map<String, Set<String>> NOT_PERSONAL = Map.of(
            StrigaMapping.PROVIDER, Redaction.table(StrigaMapping.NOT_PERSONAL),
            ConnectfiMapping.PROVIDER, Redaction.table(ConnectfiMapping.NOT_PERSONAL),
            ArgosMapping.PROVIDER, Redaction.table(ArgosMapping.NOT_PERSONAL),
            OndatoMapping.PROVIDER, Redaction.table(OndatoMapping.NOT_PERSONAL),
            WidthMapping.PROVIDER, Redaction.table(WidthMapping.NOT_PERSONAL));

    private final ArgosWebhookAuth argos;
    private final ObjectMapper json;

    public ProviderRedaction(ArgosWebhookAuth argos, ObjectMapper json) {
        this.argos = argos;
        this.json = json;
    }

    /**
     * The message redacted: body by the provider's table, headers but the harmless ones, and the last error when it
     * quotes a value redacted from the body or one of {@code known}.
     *
     * @param known personal values known beforehand (the customer's), searched for in the last error too
     */
    public Inbox.StoredMessage message(Inbox.StoredMessage message, Collection<String> known) {
        java.util.List<String> removed = new java.util.ArrayList<>(known);
        JsonNode tree = ArgosMapping.PROVIDER.equals(message.provider())
                ? argos.plainOrNull(message.body(), json) : parse(message.body());
        String body;
        if (tree == null || !tree.isContainerNode()) {
            body = UNREADABLE;
        } else {
            Redaction.redact(tree, table(message.provider()), removed);
            body = write(tree);
        }
        String lastError = Redaction.containsAny(message.lastError(), removed) ? Redaction.MARK : message.lastError();
        return new Inbox.StoredMessage(message.id(), message.provider(), message.caseId(), body,
                Redaction.headers(message.headers()), lastError);
    }

    /** A copy of details (provider details, check detail, action payload) redacted by the provider's table. */
    public JsonNode details(String provider, JsonNode details, Collection<String> removed) {
        JsonNode copy = details.deepCopy();
        Redaction.redact(copy, table(provider), removed);
        return copy;
    }

    private static Set<String> table(String provider) {
        return NOT_PERSONAL.getOrDefault(provider, Set.of());
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String write(JsonNode tree) {
        try {
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a redacted body cannot be written", e);
        }
    }
}
