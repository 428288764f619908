package com.kychub.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.kychub.canonical.CaseFilter;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.EventView;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.OverallStatus;
import com.kychub.http.Cursor;
import com.kychub.http.ErrorAnswer;
import com.kychub.http.ListParameters;
import com.kychub.http.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read access to the canonical store: cases (filtered, paged, counted), their audit trails, a customer's KYC across
 * providers.
 */
/** Read access to the canonical store: cases, their audit trails, a customer's KYC across providers. */
@Tag(name = "Cases", description = "The canonical KYC cases and their audit events")
@RestController
@RequestMapping("/api/v1")
public class CaseController {

    private final CaseQueries queries;

    public CaseController(CaseQueries queries) {
        this.queries = queries;
    }

    /** The cases the filters let through, the most recently changed first. */
    @Operation(summary = "The cases, newest change first")
    @GetMapping("/cases")
    public Page<CaseView> cases(@RequestParam(required = false) String status,
                                @RequestParam(required = false) String nextAction,
                                @RequestParam(required = false) String provider,
                                @RequestParam(required = false) String customerId,
                                @RequestParam(required = false) String providerRef,
                                @RequestParam(required = false) String search,
                                @RequestParam(required = false) String updatedSince,
                                @RequestParam(required = false) String stalledFor,
                                @RequestParam(defaultValue = "100") int limit,
                                @RequestParam(required = false) String after) {
        CaseFilter filter = filter(status, nextAction, provider, customerId, providerRef, search, updatedSince,
                stalledFor);
        return casePage(filter, limit, after, queries);
    }

    public record CaseCounts(long total, Map<CaseStatus, Long> byStatus) {
    }

    /** How many cases the filters let through, per status (every status, 0 when none). */
    @GetMapping("/cases/counts")
    public CaseCounts counts(@RequestParam(required = false) String nextAction,
                             @RequestParam(required = false) String provider,
                             @RequestParam(required = false) String customerId,
                             @RequestParam(required = false) String providerRef,
                             @RequestParam(required = false) String search,
                             @RequestParam(required = false) String updatedSince,
                             @RequestParam(required = false) String stalledFor) {
        Map<CaseStatus, Long> byStatus = queries.countCases(filter(null, nextAction, provider, customerId,
                providerRef, search, updatedSince, stalledFor));
        return new CaseCounts(byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus);
    }

    @Operation(summary = "One case: status, next action, reasons, checks")
    @GetMapping("/cases/{id}")
    public CaseView kycCase(@PathVariable UUID id) {
        return queries.findCase(id).orElseThrow(() -> ErrorAnswer.notFound("no case " + id));
    }

    /** The case's audit trail, oldest first. */
    @Operation(summary = "A case's audit events, oldest first")
    @GetMapping("/cases/{id}/events")
    public Page<EventView> events(@PathVariable UUID id, @RequestParam(defaultValue = "100") int limit,
                                  @RequestParam(required = false) String after) {
        ListParameters.limit(limit);
        Long afterId = Cursor.id(after);
        kycCase(id);
        return Page.of(queries.events(id, afterId, limit + 1), limit, event -> Cursor.of(event.id()));
    }

    public record CustomerKyc(String customerId, CaseStatus overallStatus, List<CaseView> cases) {
    }

    @Operation(summary = "A customer's overall KYC status and cases")
    @GetMapping("/customers/{customerId}/kyc")
    public CustomerKyc customerKyc(@PathVariable String customerId) {
        if (customerId.isBlank() || customerId.length() > 200) {
            throw ErrorAnswer.badRequest("'customerId' must be 1 to 200 characters");
        }
        List<CaseView> cases = queries.casesOfCustomer(customerId);
        if (cases.isEmpty() && !queries.customerExists(customerId)) {
            throw ErrorAnswer.notFound("no customer " + customerId);
        }
        return new CustomerKyc(customerId, OverallStatus.of(cases), cases);
    }

    /**
     * A page of the cases the filter lets through, newest change first; the cursor is the last case's (updated_at,
     * id). Shared with the operators' list of stalled cases.
     */
    public static Page<CaseView> casePage(CaseFilter filter, int limit, String after, CaseQueries queries) {
        ListParameters.limit(limit);
        CaseQueries.CaseKey from = Cursor.read(after, 2, key -> new CaseQueries.CaseKey(
                Instant.EPOCH.plus(Long.parseLong(key[0]), ChronoUnit.MICROS), UUID.fromString(key[1])));
        return Page.of(queries.findCases(filter, from, limit + 1), limit, kycCase -> Cursor.of(
                ChronoUnit.MICROS.between(Instant.EPOCH, kycCase.updatedAt()), kycCase.id()));
    }

    private static CaseFilter filter(String status, String nextAction, String provider, String customerId,
                                     String providerRef, String search, String updatedSince, String stalledFor) {
        return new CaseFilter(ListParameters.enumValue("status", status, CaseStatus.class),
                ListParameters.enumValue("nextAction", nextAction, NextAction.class),
                ListParameters.provider(provider),
                ListParameters.text("customerId", customerId),
                ListParameters.text("providerRef", providerRef),
                ListParameters.text("search", search),
                ListParameters.instant("updatedSince", updatedSince),
                ListParameters.duration("stalledFor", stalledFor));
    }
}
