package com.kychub.ops;

import java.time.Duration;

import com.kychub.api.CaseController;
import com.kychub.canonical.CaseFilter;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseView;
import com.kychub.http.ListParameters;
import com.kychub.http.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For operators: the cases that wait without anyone seeing it, those not finished and unchanged for at least
 * {@code stalledFor} (an ISO-8601 duration, {@code kyc.ops.stalled-after} by default, as the gauge
 * {@code kyc.cases.stalled} counts them), newest change first, paged as {@code /api/v1/cases} is. Next to
 * {@link CaseMessagesController}'s {@code /{id}/messages}.
 */
@Tag(name = "Ops", description = "The inbox, the provider actions, stalled cases and raw messages, with replay")
@RestController
@RequestMapping("/api/v1/ops/cases")
public class StalledCasesController {

    private final CaseQueries cases;
    private final Duration stalledAfter;

    public StalledCasesController(CaseQueries cases, OpsProperties settings) {
        this.cases = cases;
        this.stalledAfter = settings.stalledAfter();
    }

    @Operation(summary = "Cases not finished and unchanged for a while")
    @GetMapping
    public Page<CaseView> stalled(@RequestParam(required = false) String stalledFor,
                                  @RequestParam(defaultValue = "100") int limit,
                                  @RequestParam(required = false) String after) {
        Duration asked = ListParameters.duration("stalledFor", stalledFor);
        return CaseController.casePage(CaseFilter.stalled(asked == null ? stalledAfter : asked), limit, after, cases);
    }
}
