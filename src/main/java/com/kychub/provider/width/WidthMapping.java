package com.kychub.provider.width;

import java.util.Map;
import java.util.Set;

import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;

/**
 * WIDTH's words in the canonical vocabulary, as tables to read beside the provider doc (000, "Poll status" and
 * "Submit node data"). An unknown status, result or node type is never guessed: it throws, or (a node type) flags
 * the case.
 * <p>
 * The doc's "Poll status" table, and what each row becomes ({@link #STATUSES}, {@link #RESULTS}):
 * <pre>
 * status     doc's action                          case status / next action    reason          polling
 * CREATED    (appendix)                            IN_PROGRESS / WAIT           -               goes on
 * RUNNING    continue polling (2-5 s)              IN_PROGRESS / WAIT           -               goes on
 * WAITING    read currentNode, submit data         the node router (WidthNodes)
 * COMPLETED  stop polling, read result             from the result:
 *              APPROVED, PASS                      APPROVED / NONE              -               stops
 *              REJECTED, FAIL                      REJECTED / NONE              -               stops
 *              MANUAL_REVIEW, IN_REVIEW            IN_REVIEW / WAIT             -               review-poll-every
 *              none (yet)                          IN_REVIEW / WAIT             RESULT_MISSING  review-poll-every
 *              anything else                       throws: kept FAILED in the inbox, the case untouched
 * FAILED     stop polling, contact support         ERROR / CONTACT_SUPPORT      WIDTH_FAILED    stops
 * TIMEOUT    stop polling, contact support         EXPIRED / CONTACT_SUPPORT    WIDTH_TIMEOUT   stops
 * CANCELLED  stop polling                          CANCELLED / NONE             WIDTH_CANCELLED stops
 * </pre>
 * A review is not the end of a workflow ("Workflow completes or routes to manual review"): the hub keeps looking,
 * once per {@code review-poll-every}, until the decision is there. A COMPLETED execution whose answer has no result
 * is never guessed into a verdict either: it waits the same way, flagged, until one appears.
 */
public final class WidthMapping {

    public static final String PROVIDER = "width";

    /**
     * The fields of WIDTH's answers, and of the case, check and action details this package writes, that are not
     * personal: ids, node types and keys, statuses, decisions, codes, versions, times. Every other value (the
     * applicant's particulars, OCR results, documents, forms, OTPs, messages that may quote them) is redacted on
     * erasure and by retention ({@code com.kychub.privacy.Redaction}).
     */
    public static final Set<String> NOT_PERSONAL = Set.of("executionId", "requestId", "referenceId", "customerId",
            "customer_id", "code", "success", "status", "decision", "nodeType", "nodeKey", "node", "type",
            "docType", "formId", "isRequired", "errorCode", "error_code", "callbackKey", "stage", "eventType",
            "provider", "version", "verifiedVersion", "verifyingVersion", "sentAt", "submittedAt", "pending",
            "registered", "resending", "createdAt", "updatedAt", "id");


    /** What the poller does after a status: go on every poll-every, look once per review-poll-every, or stop. */
    public enum Polling { GO_ON, REVIEW, STOP }

    /** Execution status → canonical status, next action, reason (null: none) and polling. */
    public record Outcome(CaseStatus status, NextAction nextAction, String reason, Polling polling) {
    }

    static final Map<String, Outcome> STATUSES = Map.of(
            "CREATED", new Outcome(CaseStatus.IN_PROGRESS, NextAction.WAIT, null, Polling.GO_ON),
            "RUNNING", new Outcome(CaseStatus.IN_PROGRESS, NextAction.WAIT, null, Polling.GO_ON),
            "FAILED", new Outcome(CaseStatus.ERROR, NextAction.CONTACT_SUPPORT, "WIDTH_FAILED", Polling.STOP),
            "TIMEOUT", new Outcome(CaseStatus.EXPIRED, NextAction.CONTACT_SUPPORT, "WIDTH_TIMEOUT", Polling.STOP),
            "CANCELLED", new Outcome(CaseStatus.CANCELLED, NextAction.NONE, "WIDTH_CANCELLED", Polling.STOP));

    /**
     * The result of a COMPLETED execution. The doc does not show its shape: the hub reads {@code result} (a string,
     * or an object's {@code decision} / {@code status}) — an assumption, see the README. A review is polled on until
     * a verdict replaces it.
     */
    static final Map<String, Outcome> RESULTS = Map.of(
            "APPROVED", new Outcome(CaseStatus.APPROVED, NextAction.NONE, null, Polling.STOP),
            "PASS", new Outcome(CaseStatus.APPROVED, NextAction.NONE, null, Polling.STOP),
            "REJECTED", new Outcome(CaseStatus.REJECTED, NextAction.NONE, null, Polling.STOP),
            "FAIL", new Outcome(CaseStatus.REJECTED, NextAction.NONE, null, Polling.STOP),
            "MANUAL_REVIEW", new Outcome(CaseStatus.IN_REVIEW, NextAction.WAIT, null, Polling.REVIEW),
            "IN_REVIEW", new Outcome(CaseStatus.IN_REVIEW, NextAction.WAIT, null, Polling.REVIEW));

    /** A COMPLETED execution whose answer carries no result (yet): flagged, and looked at until one appears. */
    static final Outcome RESULT_MISSING = new Outcome(CaseStatus.IN_REVIEW, NextAction.WAIT, "RESULT_MISSING",
            Polling.REVIEW);

    /** Node types of the doc's table; the node router in routes/width-kyc.camel.yaml has one branch each. */
    public static final String OCR = "flow_action_identity_document";
    public static final String PARTICULAR = "flow_action_individual_particular";
    public static final String LIVENESS = "flow_action_liveness_test";
    public static final String EMAIL = "flow_action_validate_email";
    public static final String PHONE = "flow_action_validate_phone";
    public static final String REQUIRED_DOCUMENT = "flow_action_individual_required_document";
    public static final String REQUIRED_FORMS = "flow_action_individual_required_forms";
    public static final String SCREEN_CHECK = "flow_action_screen_check";

    /** What the user must hand over when the hub does not hold what a node needs. */
    static final Map<String, NextAction> NEEDS = Map.of(
            OCR, NextAction.PROVIDE_DOCUMENT,
            PARTICULAR, NextAction.PROVIDE_PERSONAL_DATA,
            LIVENESS, NextAction.PROVIDE_LIVENESS,
            EMAIL, NextAction.PROVIDE_PERSONAL_DATA,
            PHONE, NextAction.PROVIDE_PERSONAL_DATA,
            REQUIRED_DOCUMENT, NextAction.PROVIDE_DOCUMENT,
            REQUIRED_FORMS, NextAction.PROVIDE_FORM);

    /*
     * What the inbox files each WIDTH message as (inbound_message.message_type): width-process routes on these. The
     * status and OCR result the poller reads, then the answers of the hub's calls.
     */
    public static final String EXECUTION_STATUS = "execution-status";
    public static final String OCR_DATA = "ocr-data";
    public static final String REGISTERED = "registered";
    public static final String WORKFLOW_STARTED = "workflow-started";
    public static final String OCR_SUBMITTED = "ocr-submitted";
    public static final String OTP_SENT = "otp-sent";
    public static final String OTP_VERIFIED = "otp-verified";
    /** The answer of a node submission that needs nothing but a new look at the status. */
    public static final String SUBMITTED = "submitted";

    /**
     * The calls the hub makes to WIDTH, one per method of the doc it calls on its own: width-act routes on them. A
     * node's submission is named after the execution and the node ({@code OCR:<executionId>:<nodeId>}), so each node
     * is submitted once.
     */
    public enum Action {
        REGISTER, START_WORKFLOW, OCR, PARTICULAR, LIVENESS, OTP_SEND, OTP_VERIFY, REQUIRED_DOC, REQUIRED_DOC_SUBMIT,
        FORM
    }

    private WidthMapping() {
    }

    /** A non-WAITING, non-COMPLETED execution status. */
    public static Outcome status(String status) {
        Outcome outcome = STATUSES.get(status);
        if (outcome == null) {
            throw new UnmappableMessageException("unknown WIDTH execution status " + Quote.of(status));
        }
        return outcome;
    }

    /** The result of a COMPLETED execution (see {@link #RESULTS}); null or blank: {@link #RESULT_MISSING}. */
    public static Outcome result(String result) {
        if (result == null || result.isBlank()) {
            return RESULT_MISSING;
        }
        Outcome outcome = RESULTS.get(result.toUpperCase(java.util.Locale.ROOT));
        if (outcome == null) {
            throw new UnmappableMessageException("unknown WIDTH result " + Quote.of(result) + " of a COMPLETED execution");
        }
        return outcome;
    }

    public static NextAction needs(String nodeType) {
        return NEEDS.get(nodeType);
    }
}
