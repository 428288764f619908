package com.kychub.canonical;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A case as the hub API shows it. */
public record CaseView(
        UUID id,
        String customerId,
        String provider,
        String providerRef,
        CaseStatus status,
        NextAction nextAction,
        List<String> reasons,
        String providerStatus,
        Map<String, Object> providerDetails,
        List<CheckResult> checks,
        Instant createdAt,
        Instant updatedAt) {

    CaseView withChecks(List<CheckResult> checks) {
        return new CaseView(id, customerId, provider, providerRef, status, nextAction, reasons, providerStatus,
                providerDetails, checks, createdAt, updatedAt);
    }
}
