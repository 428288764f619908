package com.kychub.provider.width;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.OnboardingStarter;
import com.kychub.canonical.ProviderAction;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the hub does with what comes in for WIDTH. The fintech's start ({@link #start}): the case
 * {@code customer:<customerId>} is opened with a fresh referenceId and the action worker registers the applicant
 * ({@code workflow.applicant.register}). Then each kind of WIDTH message, in {@code width-process} inside the inbox
 * worker's transaction: the answers of the hub's calls (registered: start the workflow; workflow started: its
 * executionId names the case, polled from then on; OTP sent, OCR submitted, ...) and execution statuses that are not
 * WAITING (WAITING goes to the node router, {@link WidthNodes}). What the poller reads goes into the inbox through
 * {@link WidthPoller}.
 */
@Component
public class WidthProcess implements OnboardingStarter {

    static final String PROVIDER = WidthMapping.PROVIDER;
    /** The reference of a case before WIDTH assigned its execution. */
    static final String BEFORE_EXECUTION = "customer:";
    /**
     * The provider detail of an execution COMPLETED without a verdict (in review, or no result yet): polled once per
     * {@code review-poll-every} while it is there.
     */
    static final String AWAITING_DECISION = "awaitingDecision";

    private final CanonicalStore store;
    private final CaseQueries cases;
    private final WidthData data;
    private final ObjectMapper json;
    private final KycProperties.Width settings;

    public WidthProcess(CanonicalStore store, CaseQueries cases, WidthData data, ObjectMapper json,
                        KycProperties properties) {
        this.store = store;
        this.cases = cases;
        this.data = data;
        this.json = json;
        this.settings = properties.providers().width();
    }

    @Override
    public String provider() {
        return WidthMapping.PROVIDER;
    }

    /** The customer's open WIDTH case when there is one (asked again, nothing new starts), else a new one. */
    @Override
    @Transactional
    public UUID start(String customerId) {
        Optional<UUID> open = cases.openCase(WidthMapping.PROVIDER, customerId);
        if (open.isPresent()) {
            return open.get();
        }
        String referenceId = UUID.randomUUID().toString();
        CaseUpdate opening = new CaseUpdate(WidthMapping.PROVIDER, WidthProcess.BEFORE_EXECUTION + customerId,
                customerId, CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(), null, "ONBOARDING_REQUESTED",
                Map.of("referenceId", referenceId), null, null, false,
                List.of(ProviderAction.of(WidthMapping.Action.REGISTER, Map.of("referenceId", referenceId),
                        referenceId)), null);
        return store.apply(opening, null).caseId();
    }

    /** The answer of {@code workflow.applicant.register}: the workflow can start. */
    public List<CaseUpdate> onRegistered(@Variable("subject") String customerId) {
        var found = cases.findCases(PROVIDER, BEFORE_EXECUTION + customerId, 1);
        if (found.isEmpty()) {
            return List.of();
        }
        WidthCase current = new WidthCase(found.get(0), null, null);
        Map<String, Object> details = current.allDetails();
        details.put("registered", true);
        String referenceId = (String) details.get("referenceId");
        return List.of(current.update(CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(), null,
                "APPLICANT_REGISTERED", details, null,
                List.of(ProviderAction.of(WidthMapping.Action.START_WORKFLOW,
                        Map.of("referenceId", referenceId), referenceId)), null));
    }

    /** The answer of {@code workflow.apply.submit}: its executionId names the case, which is polled from now on. */
    public List<CaseUpdate> onWorkflowStarted(@Body String body, @Variable("subject") String customerId) {
        JsonNode answer = read(body);
        String executionId = text(answer, "executionId");
        if (executionId == null) {
            executionId = text(answer.path("data"), "executionId");
        }
        if (executionId == null || !executionId.matches("[A-Za-z0-9._:-]{1,200}")) {
            throw new UnmappableMessageException("the workflow.apply.submit answer has no usable executionId");
        }
        store.renameCase(PROVIDER, BEFORE_EXECUTION + customerId, executionId);
        store.pollSoon(PROVIDER, executionId);
        WidthCase current = widthCase(executionId);
        Map<String, Object> details = current.allDetails();
        details.put("executionId", executionId);
        return List.of(current.update(CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(), "CREATED",
                "WORKFLOW_STARTED", details, null, null, settings.pollEvery()));
    }

    /**
     * An execution status other than WAITING: the status table, the result of a COMPLETED execution. One that waits
     * for a human's decision is marked {@link #AWAITING_DECISION} and looked at once per {@code review-poll-every}
     * from now on (the poller keeps that pace, {@link WidthPoller#unpack}), until a verdict ends the polling.
     */
    public CaseUpdate onStatus(@Body WidthStatus execution, @Variable("subject") String executionId) {
        WidthCase current = widthCase(executionId);
        String status = execution.status();
        boolean completed = "COMPLETED".equals(status);
        String result = completed ? execution.resultValue() : null;
        WidthMapping.Outcome outcome = completed ? WidthMapping.result(result) : WidthMapping.status(status);
        Map<String, Object> details = current.details();
        if (result != null) {
            details.put("result", result);
        }
        Duration pollEvery = switch (outcome.polling()) {
            case GO_ON -> settings.pollEvery();
            case REVIEW -> settings.reviewPollEvery();
            case STOP -> null;
        };
        if (outcome.polling() == WidthMapping.Polling.REVIEW) {
            details.put(AWAITING_DECISION, true);
            // The claim that fetched this answer set the next look one poll-every on.
            store.pollAfter(PROVIDER, executionId, settings.reviewPollEvery());
        }
        return current.update(outcome.status(), outcome.nextAction(),
                outcome.reason() == null ? List.of() : List.of(outcome.reason()), status, status, details, null, null,
                pollEvery);
    }

    /** The answer of {@code workflow.kyc.otp.send}: the requestId is kept; the customer's code is awaited. */
    public CaseUpdate onOtpSent(@Body String body, @Variable("subject") String executionId) {
        JsonNode answer = read(body);
        String requestId = text(answer, "requestId");
        if (requestId == null) {
            requestId = text(answer.path("data"), "requestId");
        }
        if (requestId == null) {
            throw new UnmappableMessageException("the workflow.kyc.otp.send answer has no requestId");
        }
        WidthCase current = widthCase(executionId);
        Map<String, Object> otp = current.detail("otp");
        otp.put("requestId", requestId);
        // The database's clock, like the one that stamps the customer's code: the two are compared.
        otp.put("sentAt", data.databaseNowMillis());
        Map<String, Object> details = current.allDetails();
        details.put("otp", otp);
        return current.update(CaseStatus.ACTION_REQUIRED, NextAction.PROVIDE_OTP, List.of("OTP_CODE_NEEDED"),
                current.view().providerStatus(), "OTP_SENT", details, null, null, settings.pollEvery());
    }

    /** The answer of {@code workflow.kyc.otp.verify}: that code is used; the next status tells if it passed. */
    public CaseUpdate onOtpVerified(@Variable("subject") String executionId) {
        WidthCase current = widthCase(executionId);
        Map<String, Object> otp = current.detail("otp");
        otp.put("verifiedVersion", otp.get("verifyingVersion"));
        Map<String, Object> details = current.allDetails();
        details.put("otp", otp);
        store.pollSoon(PROVIDER, executionId);
        return current.withDetails("OTP_VERIFIED", details, settings.pollEvery());
    }

    /**
     * The answer of {@code workflow.kyc.ocr}: the result is polled from {@code ocr-result-delay} on. When it was
     * submitted names the result awaited: a new identity document submitted to the same node has its own.
     */
    public CaseUpdate onOcrSubmitted(@Variable("subject") String executionId) {
        WidthCase current = widthCase(executionId);
        Map<String, Object> ocr = current.detail("ocr");
        ocr.put("pending", true);
        ocr.put("submittedAt", data.databaseNowMillis());
        Map<String, Object> details = current.allDetails();
        details.put("ocr", ocr);
        store.pollAfter(PROVIDER, executionId, settings.ocrResultDelay());
        return current.withDetails("OCR_SUBMITTED", details, settings.pollEvery());
    }

    /** The OCR result: kept with the customer's personal data; the case records only that it came. */
    public CaseUpdate onOcrData(@Body String body, @Variable("subject") String executionId) {
        JsonNode result = ocrResult(read(body));
        if (result == null) {
            throw new UnmappableMessageException("the OCR answer has no result");
        }
        WidthCase current = widthCase(executionId);
        data.put(current.view().customerId(), "ocr-result", result);
        Map<String, Object> ocr = current.detail("ocr");
        ocr.put("pending", false);
        Map<String, Object> details = current.allDetails();
        details.put("ocr", ocr);
        TreeSet<String> fields = new TreeSet<>();
        result.fieldNames().forEachRemaining(fields::add);
        store.pollSoon(PROVIDER, executionId);
        return current.update(current.view().status(), current.view().nextAction(), current.view().reasons(),
                current.view().providerStatus(), "OCR_RESULT", details,
                List.of(new CheckResult("OCR_RESULT_RECEIVED", true, true, Map.of("fields", List.copyOf(fields)))),
                null, settings.pollEvery());
    }

    /** The answer of a node submission: nothing to change; the next status tells what WIDTH did with it. */
    public List<CaseUpdate> onSubmitted(@Variable("subject") String executionId) {
        store.pollSoon(PROVIDER, executionId);
        return List.of();
    }

    public void unknownMessage(@Variable("messageType") String messageType) {
        throw new UnmappableMessageException("unknown WIDTH message type " + Quote.of(messageType));
    }

    WidthCase widthCase(String executionId) {
        var found = cases.findCases(PROVIDER, executionId, 1);
        if (found.isEmpty()) {
            throw new UnmappableMessageException("no WIDTH case for this execution");
        }
        var view = found.get(0);
        Object referenceId = view.providerDetails().get("referenceId");
        return new WidthCase(view, executionId, referenceId == null ? null : referenceId.toString());
    }

    /**
     * The OCR result in a {@code workflow.kyc.ocr.data} answer (not in the doc: assumed {@code result} or
     * {@code data}, a non-empty object); null while OCR is still running.
     */
    static JsonNode ocrResult(JsonNode answer) {
        for (String field : List.of("result", "data", "ocrResult")) {
            JsonNode value = answer.path(field);
            if (value.isObject() && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body == null ? "{}" : body);
        } catch (IOException e) {
            throw new UnmappableMessageException("the WIDTH answer is not valid JSON");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

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
}
