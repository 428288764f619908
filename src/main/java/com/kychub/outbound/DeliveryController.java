package com.kychub.outbound;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Operations on the deliveries of outbound events (operator scope): how each went to an endpoint (state, attempts,
 * last status, latency and error code), and replaying one, or all the DEAD ones of an endpoint since a time, once the
 * receiver is fixed.
 */
@Tag(name = "Event endpoints", description = "Where the outbound events are delivered, and the deliveries")
@RestController
public class DeliveryController {

    private static final Set<String> STATES = Set.of("PENDING", "DELIVERED", "DEAD");

    private final EventDeliveries deliveries;

    public DeliveryController(EventDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    /** The endpoint's deliveries, newest first, of that state if given. */
    @Operation(summary = "The endpoint's deliveries and their attempts")
    @GetMapping("/api/v1/event-endpoints/{id}/deliveries")
    public Page<EventDeliveries.Summary> list(@PathVariable UUID id, @RequestParam(required = false) String state,
                                              @RequestParam(defaultValue = "100") int limit,
                                              @RequestParam(required = false) String after) {
        ListParameters.oneOf("state", state, STATES);
        ListParameters.limit(limit);
        Long before = Cursor.id(after);
        requireEndpoint(id);
        return Page.of(deliveries.list(id, state, before, limit + 1), limit, delivery -> Cursor.of(delivery.id()));
    }

    @Operation(summary = "Delivers one delivery again")
    @ApiResponse(responseCode = "200", description = "PENDING again: delivered at once")
    @ApiResponse(responseCode = "409", description = "the delivery is neither DELIVERED nor DEAD")
    @PostMapping("/api/v1/ops/deliveries/{id}/replay")
    public Replayed replay(@PathVariable long id) {
        if (!deliveries.replay(id)) {
            EventDeliveries.Summary delivery = deliveries.find(id)
                    .orElseThrow(() -> ErrorAnswer.notFound("no delivery " + id));
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "delivery " + id + " is " + delivery.state() + ", not DELIVERED or DEAD");
        }
        return new Replayed(id, "PENDING");
    }

    public record DeadReplay(UUID endpointId, Instant since, int replayed) {
    }

    /** Every DEAD delivery of the endpoint whose event was created at or after {@code since}, pending again. */
    @Operation(summary = "Delivers the endpoint's DEAD deliveries since an instant again")
    @PostMapping("/api/v1/event-endpoints/{id}/replay")
    public DeadReplay replayDead(@PathVariable UUID id, @RequestParam Instant since) {
        requireEndpoint(id);
        return new DeadReplay(id, since, deliveries.replayDead(id, since));
    }

    private void requireEndpoint(UUID id) {
        if (!deliveries.endpointExists(id)) {
            throw ErrorAnswer.notFound("no event endpoint " + id);
        }
    }
}
