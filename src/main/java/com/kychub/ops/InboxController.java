package com.kychub.ops;

import java.util.Set;

import com.kychub.http.Cursor;
import com.kychub.http.ListParameters;
import com.kychub.http.Page;
import com.kychub.http.Replayed;
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

    /** The messages, newest first, of that state and provider if given. */
    @Operation(summary = "Inbox messages, by state and provider")
    @GetMapping
    public Page<Inbox.Summary> list(@RequestParam(required = false) String state,
                                    @RequestParam(required = false) String provider,
                                    @RequestParam(defaultValue = "100") int limit,
                                    @RequestParam(required = false) String after) {
        ListParameters.oneOf("state", state, STATES);
        ListParameters.provider(provider);
        ListParameters.limit(limit);
        Long before = Cursor.id(after);
        // Without bodies: they carry personal data, and are read where operators are allowed to.
        return Page.of(inbox.list(state, provider, before, limit + 1), limit, message -> Cursor.of(message.id()));
    }

    @Operation(summary = "Processes one FAILED or DEAD message again")
    @ApiResponse(responseCode = "200", description = "ACCEPTED again: the worker processes it")
    @ApiResponse(responseCode = "409", description = "the message is not FAILED or DEAD")
    @PostMapping("/{id}/replay")
    public Replayed replay(@PathVariable long id) {
        if (!inbox.replay(id)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "message " + id + " is not FAILED or DEAD");
        }
        return new Replayed(id, "ACCEPTED");
    }

    /** Every FAILED and DEAD message of the provider due again; with {@code dryRun}, only how many would be. */
    @Operation(summary = "Processes every FAILED and DEAD message of a provider again")
    @PostMapping("/replay")
    public ProviderReplay replayAll(@RequestParam String provider,
                                    @RequestParam(defaultValue = "false") boolean dryRun) {
        ListParameters.provider(provider);
        return new ProviderReplay(provider, dryRun,
                dryRun ? inbox.countReplayable(provider) : inbox.replayAll(provider));
    }
}
