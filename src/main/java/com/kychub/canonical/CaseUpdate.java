package com.kychub.canonical;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one provider message says about one case, already in the canonical vocabulary. Provider mappings
 * produce it; {@link CanonicalStore#apply} writes it.
 *
 * @param customerId        the fintech's customer id, when known
 * @param providerEvent     the provider's own name for what happened (event type, trigger, status)
 * @param providerDetails   provider fields kept on the case as they are (rejection comments, SDK link, ...)
 * @param occurredAt        when the provider says it happened, if it says; older messages never overwrite newer
 * @param authoritative     the provider's current truth (a status API's answer, an explicit restart, ARGOS holding
 *                          an approval in review on an AML red flag) rather than a late notification: it may move a
 *                          case out of APPROVED or REJECTED_FINAL without a time of its own
 * @param actions           calls to make to the provider once this change is committed
 * @param pollEvery         how often the provider's status poller should look at this case; null: not at all
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
        boolean authoritative,
        List<ProviderAction> actions,
        Duration pollEvery) {

    public CaseUpdate {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerRef, "providerRef");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAction, "nextAction");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        providerDetails = providerDetails == null ? Map.of() : providerDetails;
        checks = checks == null ? List.of() : List.copyOf(checks);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** A notification-style update: no actions, no polling. */
    public static CaseUpdate of(String provider, String providerRef, String customerId, CaseStatus status,
                                NextAction nextAction, List<String> reasons, String providerStatus,
                                String providerEvent, Map<String, Object> providerDetails, List<CheckResult> checks,
                                Instant occurredAt) {
        return new CaseUpdate(provider, providerRef, customerId, status, nextAction, reasons, providerStatus,
                providerEvent, providerDetails, checks, occurredAt, false, null, null);
    }
}
