package com.kychub.provider.connectfi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.ProviderAction;

/**
 * One compliance status on its way through {@code routes/connectfi-status.camel.yaml}: what it says (read by
 * {@link ConnectfiMapping#read}), what its failed checks ask for ({@code connectfi-check}), and what the hub makes of it
 * ({@code connectfi-status}'s branch on the suggested next action), until {@link ConnectfiMapping#toCanonical} turns it
 * into the case update. Only {@link ConnectfiMapping} changes it.
 */
public final class ConnectfiVerdict {

    final ConnectfiStatus answer;
    final ConnectfiContext context;
    final List<CheckResult> checks = new ArrayList<>();
    final List<ConnectfiStatus.Check> failedChecks = new ArrayList<>();
    final List<String> reasons = new ArrayList<>();
    final Map<String, Object> details = new LinkedHashMap<>();
    /** Profile fields the failed checks ask for ({@code kyc}: the whole profile). */
    final List<String> wantedProfileFields = new ArrayList<>();
    /** Per failed document check, the document types any one of which fixes it. */
    final List<List<String>> wantedDocuments = new ArrayList<>();
    final List<ProviderAction> actions = new ArrayList<>();
    CaseStatus status;
    NextAction nextAction;

    ConnectfiVerdict(ConnectfiStatus answer, ConnectfiContext context) {
        this.answer = answer;
        this.context = context;
    }

    /** The status's {@code nextAction}: what Connect Financial suggests; null when it suggests nothing. */
    public String suggestedAction() {
        return answer.nextAction();
    }

    /** The checks that failed and are required, in the order the status lists them. */
    public List<ConnectfiStatus.Check> failedChecks() {
        return failedChecks;
    }

    void decide(CaseStatus status, NextAction nextAction) {
        this.status = status;
        this.nextAction = nextAction;
    }
}
