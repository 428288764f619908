package com.kychub.ops;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseView;
import com.kychub.http.ErrorAnswer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For operators: the cases that wait without anyone seeing it, those not finished and unchanged for at least
 * {@code stalledFor} (an ISO-8601 duration, {@code kyc.ops.stalled-after} by default, as the gauge
 * {@code kyc.cases.stalled} counts them). Next to {@link CaseMessagesController}'s {@code /{id}/messages}.
 */
@Tag(name = "Ops", description = "The inbox, the provider actions, stalled cases and raw messages, with replay")
@RestController
@RequestMapping("/api/v1/ops/cases")
public class StalledCasesController {

    private static final Duration LONGEST = Duration.ofDays(36500);

    private final CaseQueries cases;
    private final Duration stalledAfter;

    public StalledCasesController(CaseQueries cases, OpsProperties settings) {
        this.cases = cases;
        this.stalledAfter = settings.stalledAfter();
    }

    @Operation(summary = "Cases not finished and unchanged for a while")
    @GetMapping
    public List<CaseView> stalled(@RequestParam(required = false) String stalledFor,
                                  @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ErrorAnswer.badRequest("'limit' must be 1 to 1000");
        }
        return cases.stalledCases(stalledFor == null ? stalledAfter : duration(stalledFor), limit);
    }

    private static Duration duration(String text) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw ErrorAnswer.badRequest("'stalledFor' must be an ISO-8601 duration such as PT24H or P2D");
        }
        // Bounded above too: PostgreSQL's intervals (and a duration in milliseconds) overflow long before Duration's.
        if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST) > 0) {
            throw ErrorAnswer.badRequest("'stalledFor' must be longer than zero and at most P36500D");
        }
        return duration;
    }
}
