package com.kychub.canonical;

import java.util.List;

/**
 * One status for a customer across all their cases: APPROVED when any provider approved them, otherwise the
 * status of the most recently updated case, NOT_STARTED when there is none.
 */
public final class OverallStatus {

    private OverallStatus() {
    }

    /** @param casesNewestFirst the customer's cases, most recently updated first */
    public static CaseStatus of(List<CaseView> casesNewestFirst) {
        if (casesNewestFirst.stream().anyMatch(c -> c.status() == CaseStatus.APPROVED)) {
            return CaseStatus.APPROVED;
        }
        return casesNewestFirst.isEmpty() ? CaseStatus.NOT_STARTED : casesNewestFirst.get(0).status();
    }
}
