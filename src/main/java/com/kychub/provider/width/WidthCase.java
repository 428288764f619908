package com.kychub.provider.width;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.ProviderAction;

/**
 * One WIDTH case as the processing of a message finds it: its execution, its referenceId and the provider details a
 * status answer does not repeat ({@code ocr}: the OCR submission whose result is awaited; {@code otp}: the OTP
 * request), which every update carries on.
 */
record WidthCase(CaseView view, String executionId, String referenceId) {

    static final List<String> CARRIED = List.of("executionId", "referenceId", "registered", "ocr", "otp");

    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        for (String name : CARRIED) {
            if (view.providerDetails().get(name) != null) {
                details.put(name, view.providerDetails().get(name));
            }
        }
        return details;
    }

    /** Every provider detail of the case, the current node among them. */
    Map<String, Object> allDetails() {
        return new LinkedHashMap<>(view.providerDetails());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> detail(String name) {
        Object value = view.providerDetails().get(name);
        return value instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
    }

    CaseUpdate update(CaseStatus status, NextAction nextAction, List<String> reasons, String providerStatus,
                      String providerEvent, Map<String, Object> details, List<CheckResult> checks,
                      List<ProviderAction> actions, Duration pollEvery) {
        return new CaseUpdate(WidthMapping.PROVIDER, view.providerRef(), view.customerId(), status, nextAction,
                reasons, providerStatus, providerEvent, details, checks, null, true, actions, pollEvery);
    }

    /** The case as it is, with other details: an answer of the hub's own call. */
    CaseUpdate withDetails(String providerEvent, Map<String, Object> details, Duration pollEvery) {
        return update(view.status(), view.nextAction(), view.reasons(), view.providerStatus(), providerEvent, details,
                null, null, pollEvery);
    }
}
