package com.kychub.api;

import java.util.List;
import java.util.UUID;

import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.EventView;
import com.kychub.canonical.OverallStatus;
import com.kychub.http.ErrorAnswer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read access to the canonical store: cases, their audit trails, a customer's KYC across providers. */
@Tag(name = "Cases", description = "The canonical KYC cases and their audit events")
@RestController
@RequestMapping("/api/v1")
public class CaseController {

    private static final String PROVIDER = "[a-z][a-z0-9-]{0,31}";
    private static final int MAX_CASES = 100;

    private final CaseQueries queries;

    public CaseController(CaseQueries queries) {
        this.queries = queries;
    }

    @Operation(summary = "The cases, newest change first")
    @GetMapping("/cases")
    public List<CaseView> cases(@RequestParam(required = false) String provider,
                                @RequestParam(required = false) String providerRef) {
        if (provider != null && !provider.matches(PROVIDER)) {
            throw ErrorAnswer.badRequest("'provider' is not a provider id");
        }
        if (providerRef != null && (providerRef.isBlank() || providerRef.length() > 200)) {
            throw ErrorAnswer.badRequest("'providerRef' must be 1 to 200 characters");
        }
        return queries.findCases(provider, providerRef, MAX_CASES);
    }

    @Operation(summary = "One case: status, next action, reasons, checks")
    @GetMapping("/cases/{id}")
    public CaseView kycCase(@PathVariable UUID id) {
        return queries.findCase(id).orElseThrow(() -> ErrorAnswer.notFound("no case " + id));
    }

    @Operation(summary = "A case's audit events, oldest first")
    @GetMapping("/cases/{id}/events")
    public List<EventView> events(@PathVariable UUID id) {
        kycCase(id);
        return queries.events(id);
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
}
