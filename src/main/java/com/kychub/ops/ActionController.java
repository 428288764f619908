package com.kychub.ops;

import java.util.Set;

import com.kychub.action.ProviderActions;
import com.kychub.http.Cursor;
import com.kychub.http.ErrorAnswer;
import com.kychub.http.ListParameters;
import com.kychub.http.Page;
import com.kychub.http.Replayed;
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

/**
 * Operations on the provider actions (the calls the hub makes to providers): what is pending, done, refused (FAILED)
 * or out of attempts (DEAD), and replaying it once the cause is fixed. A FAILED or DEAD action also shows on its case
 * (ACTION_REQUIRED / CONTACT_SUPPORT); the replayed action succeeding lets the case move on.
 */
@Tag(name = "Ops", description = "The inbox, the provider actions, stalled cases and raw messages, with replay")
@RestController
@RequestMapping("/api/v1/ops/actions")
public class ActionController {

    private static final Set<String> STATES = Set.of("PENDING", "DONE", "FAILED", "DEAD");

    private final ProviderActions actions;

    public ActionController(ProviderActions actions) {
        this.actions = actions;
    }

    /** The actions, newest first, of that state and provider if given. */
    @Operation(summary = "Provider actions, by state and provider")
    @GetMapping
    public Page<ProviderActions.Summary> list(@RequestParam(required = false) String state,
                                              @RequestParam(required = false) String provider,
                                              @RequestParam(defaultValue = "100") int limit,
                                              @RequestParam(required = false) String after) {
        ListParameters.oneOf("state", state, STATES);
        ListParameters.provider(provider);
        ListParameters.limit(limit);
        Long before = Cursor.id(after);
        // Without payloads: what the call sends is read from the store at the moment of the call, not listed here.
        return Page.of(actions.list(state, provider, before, limit + 1), limit, action -> Cursor.of(action.id()));
    }

    @Operation(summary = "Calls one FAILED or DEAD provider action again")
    @ApiResponse(responseCode = "200", description = "PENDING again: the worker calls it")
    @ApiResponse(responseCode = "409", description = "the action is not FAILED or DEAD, or another like it is pending")
    @PostMapping("/{id}/replay")
    public Replayed replay(@PathVariable long id) {
        if (!actions.replay(id)) {
            ProviderActions.Summary action = actions.find(id)
                    .orElseThrow(() -> ErrorAnswer.notFound("no action " + id));
            throw new ResponseStatusException(HttpStatus.CONFLICT, "FAILED".equals(action.state())
                    || "DEAD".equals(action.state())
                    ? "action " + id + " is " + action.state() + " but another " + action.name() + " is pending"
                    : "action " + id + " is " + action.state() + ", not FAILED or DEAD");
        }
        return new Replayed(id, "PENDING");
    }

    /**
     * The FAILED and DEAD actions of the provider pending again (of one name, the newest; none whose name is pending);
     * with {@code dryRun}, only how many would be.
     */
    @Operation(summary = "Calls every FAILED and DEAD action of a provider again")
    @PostMapping("/replay")
    public ProviderReplay replayAll(@RequestParam String provider,
                                    @RequestParam(defaultValue = "false") boolean dryRun) {
        ListParameters.provider(provider);
        return new ProviderReplay(provider, dryRun,
                dryRun ? actions.countReplayable(provider) : actions.replayAll(provider));
    }
}
