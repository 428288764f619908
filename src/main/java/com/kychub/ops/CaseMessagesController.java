package com.kychub.ops;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseView;
import com.kychub.inbound.Inbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * For operators (behind the API key, like all of {@code /api}): a case with the raw inbox messages behind it, bodies
 * and stored headers included, oldest first: the messages processed into the case and those its audit events name.
 * Bodies hold personal data: this is the one API answer that carries them.
 */
@Tag(name = "Ops", description = "The inbox, the provider actions, stalled cases and raw messages, with replay")
@RestController
@RequestMapping("/api/v1/ops/cases")
public class CaseMessagesController {

    public record CaseMessages(@JsonProperty("case") CaseView kycCase, List<Inbox.RawMessage> messages) {
    }

    private final CaseQueries cases;
    private final Inbox inbox;

    public CaseMessagesController(CaseQueries cases, Inbox inbox) {
        this.cases = cases;
        this.inbox = inbox;
    }

    @Operation(summary = "The raw messages behind a case")
    @GetMapping("/{id}/messages")
    public CaseMessages messages(@PathVariable UUID id) {
        CaseView kycCase = cases.findCase(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no case " + id));
        return new CaseMessages(kycCase, inbox.behindCase(id, cases.eventMessageIds(id)));
    }
}
