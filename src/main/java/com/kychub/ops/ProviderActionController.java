package com.kychub.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.action.ProviderActions;
import com.kychub.http.ErrorAnswer;
import com.kychub.privacy.ProviderRedaction;
import com.kychub.privacy.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For operators (the console's "provider call" view): one provider action with its payload, redacted of personal data
 * by the provider's table ({@link ProviderRedaction}) unless the operator asks to see it as stored; every such reveal
 * is logged, without the data.
 */
@RestController
@RequestMapping("/api/v1/ops/actions")
public class ProviderActionController {

    private static final Logger log = LoggerFactory.getLogger(ProviderActionController.class);

    /**
     * One provider action.
     *
     * @param name     what the call does once, with the datum it sends (START_KYC, UPLOAD_DOCUMENT:W9:&lt;id&gt;)
     * @param payload  what the call sends, as JSON
     * @param redacted whether payload and last error are shown redacted
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ActionCall(long id, String provider, UUID caseId, String customerId, String kind, String name,
                             String state, int attempts, String lastError, Instant createdAt, Instant doneAt,
                             JsonNode payload, boolean redacted) {
    }

    private final ProviderActions actions;
    private final ProviderRedaction redaction;
    private final ObjectMapper json;

    public ProviderActionController(ProviderActions actions, ProviderRedaction redaction, ObjectMapper json) {
        this.actions = actions;
        this.redaction = redaction;
        this.json = json;
    }

    @GetMapping("/{id}")
    public ActionCall action(@PathVariable long id, @RequestParam(defaultValue = "false") boolean reveal)
            throws JsonProcessingException {
        ProviderActions.Opened opened = actions.open(id)
                .orElseThrow(() -> ErrorAnswer.notFound("no provider action " + id));
        ProviderActions.Summary action = opened.summary();
        JsonNode payload = json.readTree(opened.payload());
        String lastError = action.lastError();
        if (reveal) {
            log.info("operator revealed provider action {}", id);
        } else {
            List<String> removed = new ArrayList<>();
            payload = redaction.details(action.provider(), payload, removed);
            // An error quoting a value of the payload would show what the payload's redaction hid.
            lastError = Redaction.containsAny(lastError, removed) ? Redaction.MARK : lastError;
        }
        return new ActionCall(id, action.provider(), action.caseId(), action.customerId(), action.kind(),
                action.name(), action.state(), action.attempts(), lastError, action.createdAt(), action.doneAt(),
                payload, !reveal);
    }
}
