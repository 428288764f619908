package com.kychub.canonical;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One status for a customer across all their cases, as {@code GET /api/v1/customers/{id}/kyc} shows it. It is one
 * decision table, read top to bottom: the first row that applies gives the status. The README ("Overall status") has
 * the same rows, in the same order.
 * <pre>
 * | # | when                                                          | overall status                               |
 * | 1 | the customer has no case                                      | NOT_STARTED                                  |
 * | 2 | a case is REJECTED_FINAL                                      | REJECTED_FINAL                               |
 * | 3 | a case is APPROVED and a case has an open fraud or AML signal | IN_REVIEW                                    |
 * | 4 | a case is APPROVED                                            | APPROVED                                     |
 * | 5 | otherwise                                                     | the status of the most recently updated case |
 * </pre>
 * Rows 2 and 3 are DESIGN.md's "risk over approval": a final rejection or an open fraud or AML signal at any provider
 * keeps the customer from APPROVED until a human decision (a restart that closes the rejected case, a provider's
 * decision that closes the signal). An open signal is a {@link RiskSignal} check that is required and not passed.
 */
public final class OverallStatus {

    /** One row of the table: when it applies, and what it gives, in words (the README's) and in code. */
    record Row(String when, String gives, Predicate<List<CaseView>> applies,
               Function<List<CaseView>, CaseStatus> status) {
    }

    static final List<Row> TABLE = List.of(
            new Row("the customer has no case", "NOT_STARTED",
                    List::isEmpty, cases -> CaseStatus.NOT_STARTED),
            new Row("a case is REJECTED_FINAL", "REJECTED_FINAL",
                    cases -> anyIs(cases, CaseStatus.REJECTED_FINAL), cases -> CaseStatus.REJECTED_FINAL),
            new Row("a case is APPROVED and a case has an open fraud or AML signal", "IN_REVIEW",
                    cases -> anyIs(cases, CaseStatus.APPROVED) && anyOpenSignal(cases), cases -> CaseStatus.IN_REVIEW),
            new Row("a case is APPROVED", "APPROVED",
                    cases -> anyIs(cases, CaseStatus.APPROVED), cases -> CaseStatus.APPROVED),
            new Row("otherwise", "the status of the most recently updated case",
                    cases -> true, cases -> cases.get(0).status()));

    private OverallStatus() {
    }

    /** @param casesNewestFirst the customer's cases, most recently updated first, each with its checks */
    public static CaseStatus of(List<CaseView> casesNewestFirst) {
        return rowFor(casesNewestFirst).status().apply(casesNewestFirst);
    }

    /** The first row of the table that applies to these cases. */
    static Row rowFor(List<CaseView> casesNewestFirst) {
        return TABLE.stream().filter(row -> row.applies().test(casesNewestFirst)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the table's last row applies to every customer"));
    }

    private static boolean anyIs(List<CaseView> cases, CaseStatus status) {
        return cases.stream().anyMatch(c -> c.status() == status);
    }

    private static boolean anyOpenSignal(List<CaseView> cases) {
        return cases.stream().flatMap(c -> c.checks().stream()).anyMatch(RiskSignal::isOpen);
    }
}
