package com.kychub.provider.width;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.NextAction;
import com.kychub.support.HubIntegrationTest;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The node router {@code width-node} ({@code routes/width-kyc.camel.yaml}), one test per {@code currentNode.nodeType}
 * of doc 000's table, one for a type the doc does not list, and each type named by its type alone (no nodeId, no
 * callbackKey: all the doc shows of {@code currentNode}): an execution WAITING on that node is sent straight to
 * {@code direct:width-node} for a WIDTH case whose customer has handed the hub nothing yet. A {@link NotifyBuilder}
 * per branch tells which {@code width-node-*} route the router sent it to (exactly that one, none of the others), and
 * the answer says what the customer is asked for. The router is synchronous, so both are known when the call returns.
 */
class WidthNodeRouterTest extends HubIntegrationTest {

    /** Doc 000's example execution and customer. */
    private static final String EXECUTION = "exec-abc123def456";
    private static final String CUSTOMER = "C_abc123";

    /** Each branch's route, by the endpoint the router sends to. */
    private static final List<String> BRANCHES = List.of("width-node-ocr", "width-node-particular",
            "width-node-liveness", "width-node-email", "width-node-phone", "width-node-required-document",
            "width-node-forms", "width-node-screen-check");

    @Autowired
    private CanonicalStore store;

    @Autowired
    private ProducerTemplate producer;

    @Autowired
    private WidthData data;

    private final Map<String, NotifyBuilder> sentTo = new LinkedHashMap<>();

    @BeforeEach
    void aWidthCaseWaitingForItsFirstNode() {
        store.apply(new CaseUpdate("width", EXECUTION, CUSTOMER, CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(),
                "CREATED", "WORKFLOW_STARTED", Map.of("executionId", EXECUTION,
                "referenceId", "onboarding-uuid-001"), null, null, true, null, null), null);
        for (String branch : BRANCHES) {
            sentTo.put(branch, new NotifyBuilder(camel).fromRoute("width-node").wereSentTo("direct:" + branch)
                    .whenExactlyDone(1).create());
        }
    }

    @AfterEach
    void stopObserving() {
        sentTo.values().forEach(NotifyBuilder::destroy);
    }

    @Test
    void identityDocumentGoesToOcrAndAsksForTheDocument() {
        CaseUpdate update = waitingOn("flow_action_identity_document");

        assertThat(branchesTaken()).containsExactly("width-node-ocr");
        assertActionRequired(update, NextAction.PROVIDE_DOCUMENT, "MISSING_IDENTITY_DOCUMENT");
    }

    @Test
    void individualParticularGoesToParticularAndAsksForPersonalData() {
        CaseUpdate update = waitingOn("flow_action_individual_particular");

        assertThat(branchesTaken()).containsExactly("width-node-particular");
        assertActionRequired(update, NextAction.PROVIDE_PERSONAL_DATA, "MISSING_PARTICULARS");
    }

    @Test
    void livenessTestGoesToLivenessAndAsksForIt() {
        CaseUpdate update = waitingOn("flow_action_liveness_test");

        assertThat(branchesTaken()).containsExactly("width-node-liveness");
        assertActionRequired(update, NextAction.PROVIDE_LIVENESS, "MISSING_LIVENESS");
    }

    @Test
    void validateEmailGoesToEmailAndAsksForAnEmail() {
        CaseUpdate update = waitingOn("flow_action_validate_email");

        assertThat(branchesTaken()).containsExactly("width-node-email");
        assertActionRequired(update, NextAction.PROVIDE_PERSONAL_DATA, "MISSING_EMAIL");
    }

    @Test
    void validatePhoneGoesToPhoneAndAsksForAPhone() {
        CaseUpdate update = waitingOn("flow_action_validate_phone");

        assertThat(branchesTaken()).containsExactly("width-node-phone");
        assertActionRequired(update, NextAction.PROVIDE_PERSONAL_DATA, "MISSING_PHONE");
    }

    @Test
    void individualRequiredDocumentGoesToRequiredDocumentAndAsksForDocuments() {
        CaseUpdate update = waitingOn("flow_action_individual_required_document");

        assertThat(branchesTaken()).containsExactly("width-node-required-document");
        assertActionRequired(update, NextAction.PROVIDE_DOCUMENT, "MISSING_REQUIRED_DOCUMENTS");
    }

    @Test
    void individualRequiredFormsGoesToFormsAndAsksForAForm() {
        CaseUpdate update = waitingOn("flow_action_individual_required_forms");

        assertThat(branchesTaken()).containsExactly("width-node-forms");
        assertActionRequired(update, NextAction.PROVIDE_FORM, "MISSING_FORMS");
    }

    @Test
    void screenCheckGoesToScreenCheckAndWaitsForWidth() {
        CaseUpdate update = waitingOn("flow_action_screen_check");

        assertThat(branchesTaken()).containsExactly("width-node-screen-check");
        assertThat(update.status()).isEqualTo(CaseStatus.IN_PROGRESS);
        assertThat(update.nextAction()).isEqualTo(NextAction.WAIT);
        assertThat(update.reasons()).isEmpty();
        assertThat(update.checks()).extracting(CheckResult::name, CheckResult::passed)
                .containsExactly(tuple("SCREEN_CHECK", false));
        assertThat(update.actions()).isEmpty();
    }

    @Test
    void aNodeTypeTheDocDoesNotListGoesToNoBranchAndAsksSupport() {
        CaseUpdate update = waitingOn("flow_action_company_document");

        assertThat(branchesTaken()).isEmpty();
        assertThat(update.status()).isEqualTo(CaseStatus.ACTION_REQUIRED);
        assertThat(update.nextAction()).isEqualTo(NextAction.CONTACT_SUPPORT);
        assertThat(update.reasons()).containsExactly("UNKNOWN_NODE_TYPE:flow_action_company_document");
        assertThat(update.actions()).isEmpty();
    }

    /** The node types of the doc that need something of the customer, their branch and what they ask for. */
    static Stream<Arguments> nodeTypesThatNeedData() {
        return Stream.of(
                arguments("flow_action_identity_document", "width-node-ocr", NextAction.PROVIDE_DOCUMENT),
                arguments("flow_action_individual_particular", "width-node-particular",
                        NextAction.PROVIDE_PERSONAL_DATA),
                arguments("flow_action_liveness_test", "width-node-liveness", NextAction.PROVIDE_LIVENESS),
                arguments("flow_action_validate_email", "width-node-email", NextAction.PROVIDE_PERSONAL_DATA),
                arguments("flow_action_validate_phone", "width-node-phone", NextAction.PROVIDE_PERSONAL_DATA),
                arguments("flow_action_individual_required_document", "width-node-required-document",
                        NextAction.PROVIDE_DOCUMENT),
                arguments("flow_action_individual_required_forms", "width-node-forms", NextAction.PROVIDE_FORM));
    }

    /**
     * {@code currentNode} as far as the doc shows it, {@code nodeType} alone: the same branch, the case asks for what
     * the type needs, and says which id keeps the hub from submitting (every submission carries the callbackKey).
     */
    @ParameterizedTest
    @MethodSource("nodeTypesThatNeedData")
    void aNodeNamedOnlyByItsTypeAsksWhatTheTypeNeedsAndSaysTheCallbackKeyIsMissing(String nodeType, String branch,
                                                                                   NextAction needs) {
        CaseUpdate update = waitingOn(new WidthStatus.Node(null, nodeType, null, null));

        assertThat(branchesTaken()).containsExactly(branch);
        assertActionRequired(update, needs, "CALLBACK_KEY_MISSING");
        assertThat(update.providerDetails().get("node")).isEqualTo(Map.of("nodeType", nodeType));
    }

    /** Holding what the node needs changes nothing: without the callbackKey there is nothing to submit it under. */
    @Test
    void aNodeWithoutCallbackKeyIsNotSubmittedEvenWithItsDataHeld() {
        data.put(CUSTOMER, "particulars", JSON.createObjectNode().put("name", "John Smith")
                .put("dateOfBirth", "1990-01-15").put("nationality", "SG"));

        CaseUpdate typeOnly = waitingOn(new WidthStatus.Node(null, WidthMapping.PARTICULAR, null, null));
        CaseUpdate idOnly = waitingOn(new WidthStatus.Node("n-1", WidthMapping.PARTICULAR, null, null));

        assertActionRequired(typeOnly, NextAction.PROVIDE_PERSONAL_DATA, "CALLBACK_KEY_MISSING");
        assertActionRequired(idOnly, NextAction.PROVIDE_PERSONAL_DATA, "CALLBACK_KEY_MISSING");
        CaseUpdate named = waitingOn(new WidthStatus.Node(null, WidthMapping.PARTICULAR, "kyc:n-1:cb", null));
        assertThat(named.status()).isEqualTo(CaseStatus.IN_PROGRESS);
        assertThat(named.actions()).extracting(action -> action.kind().name()).containsExactly("PARTICULAR");
    }

    @Test
    void aScreenCheckNamedOnlyByItsTypeNeedsNoId() {
        CaseUpdate update = waitingOn(new WidthStatus.Node(null, WidthMapping.SCREEN_CHECK, null, null));

        assertThat(branchesTaken()).containsExactly("width-node-screen-check");
        assertThat(update.status()).isEqualTo(CaseStatus.IN_PROGRESS);
        assertThat(update.nextAction()).isEqualTo(NextAction.WAIT);
        assertThat(update.reasons()).isEmpty();
        assertThat(update.checks()).extracting(CheckResult::name).containsExactly("SCREEN_CHECK");
    }

    @Test
    void aNodeWithoutTypeGoesToNoBranchAndAsksSupport() {
        WidthStatus execution = new WidthStatus(EXECUTION, "WAITING", new WidthStatus.Node("n-1", null, null, null),
                null);
        CaseUpdate update = route(execution);

        assertThat(branchesTaken()).isEmpty();
        assertThat(update.status()).isEqualTo(CaseStatus.ACTION_REQUIRED);
        assertThat(update.nextAction()).isEqualTo(NextAction.CONTACT_SUPPORT);
        assertThat(update.reasons()).containsExactly("NODE_TYPE_MISSING");
    }

    /** Sends the execution, WAITING on a node of that type, to the router, as width-process does; its answer. */
    private CaseUpdate waitingOn(String nodeType) {
        return waitingOn(new WidthStatus.Node("n-1", nodeType, "kyc:n-1:cb", null));
    }

    private CaseUpdate waitingOn(WidthStatus.Node node) {
        CaseUpdate update = route(new WidthStatus(EXECUTION, "WAITING", node, null));
        assertThat(update.providerEvent()).isEqualTo("WAITING:" + node.nodeType());
        return update;
    }

    private CaseUpdate route(WidthStatus execution) {
        Exchange exchange = producer.request("direct:width-node", e -> {
            e.getIn().setBody(execution);
            e.setVariable("subject", EXECUTION);
        });
        if (exchange.getException() != null) {
            throw new AssertionError("width-node failed for " + execution.currentNode(), exchange.getException());
        }
        CaseUpdate update = exchange.getMessage().getBody(CaseUpdate.class);
        assertThat(update.providerRef()).isEqualTo(EXECUTION);
        return update;
    }

    private List<String> branchesTaken() {
        List<String> taken = new ArrayList<>();
        sentTo.forEach((branch, notify) -> {
            if (notify.matches()) {
                taken.add(branch);
            }
        });
        return taken;
    }

    /** The customer is asked for what the node needs; nothing is submitted to WIDTH meanwhile. */
    private static void assertActionRequired(CaseUpdate update, NextAction nextAction, String reason) {
        assertThat(update.status()).isEqualTo(CaseStatus.ACTION_REQUIRED);
        assertThat(update.nextAction()).isEqualTo(nextAction);
        assertThat(update.reasons()).containsExactly(reason);
        assertThat(update.actions()).isEmpty();
    }
}
