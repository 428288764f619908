package com.kychub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * {@link OverallStatus}'s table, one test per row: each gives cases for which that row is the first that applies.
 * The README's table must say the same, row by row.
 */
class OverallStatusTest {

    private static final CheckResult OPEN_AML = new CheckResult("AML", false, true,
            Map.of("currentstatus", "Red Flag", RiskSignal.DETAIL_KEY, "AML"));
    private static final CheckResult OPEN_FRAUD = new CheckResult("INJECTION_FAIL", false, true,
            Map.of("failCode", "distanceChecks_ipGeo", RiskSignal.DETAIL_KEY, "FRAUD"));
    private static final CheckResult CLOSED_AML = new CheckResult("AML", false, false,
            Map.of("currentstatus", "Red Flag", RiskSignal.DETAIL_KEY, "AML"));
    /** A step still to do (Connect Financial's pending document): required, not passed, but no signal. */
    private static final CheckResult PENDING_DOCUMENT = new CheckResult("W9", false, true, Map.of());

    @Test
    void row1NoCaseIsNotStarted() {
        assertRow(List.of(), 1, CaseStatus.NOT_STARTED);
    }

    @Test
    void row2AFinalRejectionAnywhereIsRejectedFinalEvenBesideAnApproval() {
        assertRow(List.of(kase("connectfi", CaseStatus.APPROVED), kase("striga", CaseStatus.REJECTED_FINAL)),
                2, CaseStatus.REJECTED_FINAL);
        assertRow(List.of(kase("argos", CaseStatus.APPROVED, OPEN_AML), kase("striga", CaseStatus.REJECTED_FINAL)),
                2, CaseStatus.REJECTED_FINAL);
    }

    @Test
    void row3AnOpenFraudOrAmlSignalAnywhereHoldsAnApprovalInReview() {
        assertRow(List.of(kase("argos", CaseStatus.APPROVED, OPEN_FRAUD)), 3, CaseStatus.IN_REVIEW);
        // The signal is on another case than the approval.
        assertRow(List.of(kase("ondato", CaseStatus.APPROVED), kase("argos", CaseStatus.REJECTED, OPEN_AML)),
                3, CaseStatus.IN_REVIEW);
    }

    @Test
    void row4AnApprovalAnywhereIsApprovedWhenNoSignalIsOpen() {
        assertRow(List.of(kase("width", CaseStatus.REJECTED), kase("ondato", CaseStatus.APPROVED)),
                4, CaseStatus.APPROVED);
        // A signal a decision closed, and a step still to do, hold nothing.
        assertRow(List.of(kase("argos", CaseStatus.APPROVED, CLOSED_AML),
                kase("connectfi", CaseStatus.IN_PROGRESS, PENDING_DOCUMENT)), 4, CaseStatus.APPROVED);
    }

    @Test
    void row5OtherwiseTheMostRecentlyUpdatedCaseSpeaks() {
        assertRow(List.of(kase("striga", CaseStatus.ACTION_REQUIRED), kase("connectfi", CaseStatus.REJECTED)),
                5, CaseStatus.ACTION_REQUIRED);
        // An open signal without any approval: the newest case's status, the signal on its case.
        assertRow(List.of(kase("argos", CaseStatus.IN_REVIEW, OPEN_AML), kase("width", CaseStatus.EXPIRED)),
                5, CaseStatus.IN_REVIEW);
    }

    @Test
    void theReadmeStatesTheSameTableRowByRow() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int heading = readme.indexOf("### Overall status");
        assertThat(heading).as("README section '### Overall status'").isNotNegative();
        List<String> rows = new ArrayList<>();
        for (String line : readme.subList(heading, readme.size())) {
            if (line.matches("\\| \\d+ \\|.*")) {
                rows.add(line);
            } else if (!rows.isEmpty()) {
                break;
            }
        }

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < OverallStatus.TABLE.size(); i++) {
            OverallStatus.Row row = OverallStatus.TABLE.get(i);
            expected.add("| " + (i + 1) + " | " + row.when() + " | " + row.gives() + " |");
        }
        assertThat(rows).containsExactlyElementsOf(expected);
    }

    private static void assertRow(List<CaseView> casesNewestFirst, int row, CaseStatus overall) {
        assertThat(OverallStatus.TABLE.indexOf(OverallStatus.rowFor(casesNewestFirst)) + 1).isEqualTo(row);
        assertThat(OverallStatus.of(casesNewestFirst)).isEqualTo(overall);
    }

    private static CaseView kase(String provider, CaseStatus status, CheckResult... checks) {
        Instant now = Instant.now();
        return new CaseView(UUID.randomUUID(), "c-1", provider, provider + "-ref", status, NextAction.NONE, List.of(),
                null, Map.of(), List.of(checks), now, now);
    }
}
