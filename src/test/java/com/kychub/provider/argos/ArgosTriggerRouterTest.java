package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.support.HubIntegrationTest;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The trigger router in {@code argos-process} ({@code routes/argos-kyc.camel.yaml}), one test per
 * {@code webhook_trigger} of doc 002 (the doc's payloads, {@code fixtures/argos/}), per newer trigger the hub accepts,
 * and for one it does not: each webhook is sent straight to {@code direct:argos-process} as the inbox worker hands it
 * over (plain JSON: the test context has encryption off), for a submission whose case exists. Only {@code delete} takes
 * the erase path: the case is marked erased and gets a DATA_ERASED audit event, there and then; every other trigger
 * answers its CaseUpdate and leaves the case as it was.
 */
class ArgosTriggerRouterTest extends HubIntegrationTest {

    /** The submission of the doc's payloads. */
    private static final String SUBMISSION = "c5b6a1e2-8f3d-4b7a-9e21-6d4f0a7b3c19";
    private static final String USER = "fintech-user-8841";

    @Autowired
    private CanonicalStore store;

    @Autowired
    private ProducerTemplate producer;

    private UUID caseId;

    @BeforeEach
    void aSubmissionInReview() {
        caseId = store.apply(new CaseUpdate("argos", SUBMISSION, USER, CaseStatus.IN_REVIEW, NextAction.WAIT,
                List.of(), "pending", "submit", Map.of("lastTrigger", "submit"), null, null, false, null, null),
                null).caseId();
    }

    @Test
    void submitIsMappedNotErased() {
        assertNotErased(process(fixture("argos/submit.json")), "submit");
    }

    @Test
    void approvedIsMappedNotErased() {
        assertNotErased(process(fixture("argos/approved.json")), "approved");
    }

    @Test
    void rejectedIsMappedNotErased() {
        assertNotErased(process(fixture("argos/rejected.json")), "rejected");
    }

    @Test
    void updatedIsMappedNotErased() {
        assertNotErased(process(fixture("argos/updated.json")), "updated");
    }

    @Test
    void amlIsMappedNotErased() {
        assertNotErased(process(fixture("argos/aml.json")), "aml");
    }

    @Test
    void injectionIsMappedNotErased() {
        assertNotErased(process(fixture("argos/injection.json")), "injection");
    }

    @Test
    void deleteTakesTheErasePath() {
        CaseUpdate update = process(fixture("argos/delete.json"));

        assertThat(update.providerEvent()).isEqualTo("delete");
        assertThat(jdbc.queryForList("select provider_event from kyc_event where case_id = ? and type = 'DATA_ERASED'",
                String.class, caseId)).containsExactly("delete");
        assertThat(erasedMarker()).isTrue();
    }

    @Test
    void createdIsRecordedNotErased() {
        assertNotErased(process(newer("created")), "created");
    }

    @Test
    void retryIsRecordedNotErased() {
        assertNotErased(process(newer("retry")), "retry");
    }

    @Test
    void amlMonitorIsMappedNotErased() {
        assertNotErased(process(fixture("argos/aml_monitor.json")), "aml_monitor");
    }

    @Test
    void injectionFailIsMappedNotErased() {
        assertNotErased(process(fixture("argos/injection-fail.json")), "injectionFail");
    }

    @Test
    void aTriggerTheHubDoesNotKnowIsUnmappableAndErasesNothing() {
        Exchange exchange = send(newer("approved_v2"));

        assertThat(exchange.getException()).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("approved_v2");
        assertThat(erasedEvents()).isZero();
        assertThat(erasedMarker()).isFalse();
    }

    /** A trigger doc 002 does not describe, as ARGOS sends it now: the submission, the applicant, nothing more. */
    private static String newer(String trigger) {
        return "{\"webhook_trigger\":\"" + trigger + "\",\"submission_id\":\"" + SUBMISSION + "\",\"userid\":\""
                + USER + "\",\"created_at\":\"2024-03-04 09:12:45\"}";
    }

    private void assertNotErased(CaseUpdate update, String trigger) {
        assertThat(update.providerEvent()).isEqualTo(trigger);
        assertThat(update.providerRef()).isEqualTo(SUBMISSION);
        assertThat(erasedEvents()).isZero();
        assertThat(erasedMarker()).isFalse();
    }

    private int erasedEvents() {
        return jdbc.queryForObject("select count(*) from kyc_event where case_id = ? and type = 'DATA_ERASED'",
                Integer.class, caseId);
    }

    /** Whether the case is marked erased, as the erase path leaves it. */
    private boolean erasedMarker() {
        return jdbc.queryForObject("select provider_details -> 'erased' is not null from kyc_case where id = ?",
                Boolean.class, caseId);
    }

    private CaseUpdate process(String webhook) {
        Exchange exchange = send(webhook);
        if (exchange.getException() != null) {
            throw new AssertionError("argos-process failed", exchange.getException());
        }
        return exchange.getMessage().getBody(CaseUpdate.class);
    }

    private Exchange send(String webhook) {
        return producer.request("direct:argos-process", e -> e.getIn().setBody(webhook));
    }
}
