package com.kychub.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.kychub.http.ErrorAnswer;
import com.kychub.inbound.Inbox;
import com.kychub.privacy.ProviderRedaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For operators (the console's "raw message" view): one inbox message as received, with its headers and body. The body
 * is redacted of personal data by its provider's table ({@link ProviderRedaction}, the rule erasure and retention
 * apply) unless the operator asks to see it as stored; every such reveal is logged, without the data.
 */
@RestController
@RequestMapping("/api/v1/ops/inbox")
public class InboxMessageController {

    private static final Logger log = LoggerFactory.getLogger(InboxMessageController.class);

    /**
     * One inbox message.
     *
     * @param body     the stored body as JSON (a JSON string when the body is not JSON)
     * @param redacted whether body, headers and last error are shown redacted (by default, or because erasure or
     *                 retention redacted the stored message already)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record InboxMessage(long id, String provider, String channel, String messageType, String subject,
                               String state, int attempts, String lastError, Instant receivedAt, Instant processedAt,
                               UUID caseId, Map<String, String> headers, JsonNode body, boolean redacted) {
    }

    private final Inbox inbox;
    private final ProviderRedaction redaction;
    private final ObjectMapper json;

    public InboxMessageController(Inbox inbox, ProviderRedaction redaction, ObjectMapper json) {
        this.inbox = inbox;
        this.redaction = redaction;
        this.json = json;
    }

    @GetMapping("/{id}")
    public InboxMessage message(@PathVariable long id,
                                @RequestParam(defaultValue = "false") boolean reveal) {
        Inbox.Opened opened = inbox.open(id).orElseThrow(() -> ErrorAnswer.notFound("no inbox message " + id));
        Inbox.StoredMessage shown = opened.stored();
        if (reveal) {
            log.info("operator revealed inbound message {}", id);
        } else {
            shown = redaction.message(shown, List.of());
        }
        return new InboxMessage(id, shown.provider(), opened.channel(), opened.messageType(), opened.subject(),
                opened.state(), opened.attempts(), shown.lastError(), opened.receivedAt(), opened.processedAt(),
                shown.caseId(), shown.headers(), readable(shown.body()), !reveal || opened.redacted());
    }

    private JsonNode readable(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(body);
        }
    }
}
