package com.kychub.canonical;

/** The canonical status of a KYC case, the same for every provider. */
public enum CaseStatus {
    NOT_STARTED,
    IN_PROGRESS,
    ACTION_REQUIRED,
    IN_REVIEW,
    APPROVED,
    /** Rejected, but the customer may try again. */
    REJECTED,
    REJECTED_FINAL,
    EXPIRED,
    ERROR,
    CANCELLED;

    /** Statuses a late, non-decisive message must never overwrite (DESIGN.md, "Ordering"). */
    public boolean isProtected() {
        return this == APPROVED || this == REJECTED_FINAL;
    }

    /**
     * Statuses after which the case expects nothing more: such a case never counts as stalled, and a provider call
     * that fails for it does not move it.
     */
    public boolean isFinished() {
        return this == APPROVED || this == REJECTED || this == REJECTED_FINAL || this == EXPIRED || this == CANCELLED;
    }

    /** A provider's verdict: the only statuses that may move a case out of a protected status. */
    public boolean isDecision() {
        return this == APPROVED || this == REJECTED || this == REJECTED_FINAL;
    }
}
