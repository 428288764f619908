package com.kychub.ops;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.kychub.inbound.Inbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Operations on the inbox: what is waiting, failed or dead, and replaying it after a fix. */
@Tag(name = "Ops", description = "The inbox, the provider actions, stalled cases and raw messages, with replay")
@RestController
@RequestMapping("/api/v1/ops/inbox")
public class InboxController {

    private static final Set<String> STATES = Set.of("ACCEPTED", "PROCESSED", "FAILED", "DEAD");

    private final Inbox inbox;

    public InboxController(Inbox inbox) {
        this.inbox = inbox;
    }

    @Operation(summary = "Inbox messages, by state and provider")
    @GetMapping
    public List<Inbox.Summary> list(@RequestParam(required = false) String state,
                                           @RequestParam(required = false) String provider,
                                           @RequestParam(defaultValue = "100") int limit) {
        if (state != null && !STATES.contains(state)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'state' must be one of " + STATES);
        }
        if (limit < 1 || limit > 1000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'limit' must be 1 to 1000");
        }
        // Without bodies: they carry personal data, and are read where operators are allowed to.
        return inbox.list(state, provider, limit);
    }

    @Operation(summary = "Processes one FAILED or DEAD message again")
    @ApiResponse(responseCode = "200", description = "ACCEPTED again: the worker processes it")
    @ApiResponse(responseCode = "409", description = "the message is not FAILED or DEAD")
    @PostMapping("/{id}/replay")
    public Map<String, Object> replay(@PathVariable long id) {
        if (!inbox.replay(id)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "message " + id + " is not FAILED or DEAD");
        }
        return Map.of("id", id, "state", "ACCEPTED");
    }

    @Operation(summary = "Processes every FAILED and DEAD message of a provider again")
    @PostMapping("/replay")
    public Map<String, Object> replayAll(@RequestParam String provider) {
        return Map.of("provider", provider, "replayed", inbox.replayAll(provider));
    }
}
