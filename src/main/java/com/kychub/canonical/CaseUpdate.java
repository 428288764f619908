package com.kychub.canonical;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one provider message says about one case, already in the canonical vocabulary. Provider mappings
 * produce it; {@link CanonicalStore#apply} writes it.
 *
 * @param customerId      the fintech's customer id, when the provider message names it
 * @param providerEvent   the provider's own name for what happened (event type, trigger, status)
 * @param providerDetails provider fields kept on the case as they are (rejection comments, tiers, …)
 * @param occurredAt      when the provider says it happened, if it says; older messages never overwrite newer
 * @param reopens         the provider itself moves the case out of APPROVED or REJECTED_FINAL with a status that
 *                        is not a verdict (an AML red flag holding an approval in review), so the message is not a
 *                        late one even without a time of its own
 */
public record CaseUpdate(
        String provider,
        String providerRef,
        String customerId,
        CaseStatus status,
        NextAction nextAction,
        List<String> reasons,
        String providerStatus,
        String providerEvent,
        Map<String, Object> providerDetails,
        List<CheckResult> checks,
        Instant occurredAt,
        boolean reopens) {

    public CaseUpdate {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerRef, "providerRef");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAction, "nextAction");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        providerDetails = providerDetails == null ? Map.of() : providerDetails;
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** An update that is not a reopening: a late non-verdict status stays stale on APPROVED and REJECTED_FINAL. */
    public CaseUpdate(String provider, String providerRef, String customerId, CaseStatus status, NextAction nextAction,
                      List<String> reasons, String providerStatus, String providerEvent,
                      Map<String, Object> providerDetails, List<CheckResult> checks, Instant occurredAt) {
        this(provider, providerRef, customerId, status, nextAction, reasons, providerStatus, providerEvent,
                providerDetails, checks, occurredAt, false);
    }
}
