package com.kychub.provider.width;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.kychub.KycProperties;
import com.kychub.action.ProviderActions;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.Customers;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.ProviderAction;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.provider.width.WidthMapping.Action;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The branches of the node router ({@code width-node-*} in {@code routes/width-kyc.camel.yaml}): what the hub does
 * with an execution WAITING on a node. When the hub holds what the node needs it plans the submission; otherwise
 * the case is ACTION_REQUIRED with the matching next action, and the submission is planned at the first status seen
 * after the data arrives. Each submission is an action named {@code <KIND>:<executionId>:<node>[:<item>]:<version>},
 * the version being when the data it sends was handed over ({@link WidthData#version}): an action of that name is
 * planned once, so a node is submitted once per datum, across restarts and instances, and data handed over anew while
 * WIDTH still waits on the node is submitted anew. A submission whose data was replaced before it was made is not made
 * ({@link WidthClient}): the replacement's own submission sends it.
 * <p>
 * Every submission carries the node's {@code callbackKey} (doc 000). A node WIDTH names by its type alone (the one
 * field of {@code currentNode} the doc shows) cannot be submitted: the case asks for what the type needs
 * ({@link WidthMapping#NEEDS}) and says which id is missing (reason {@link #CALLBACK_KEY_MISSING}); polling goes on, in
 * case WIDTH names the node later.
 */
@Component
public class WidthNodes {

    /** The reason of a node the hub cannot submit for: WIDTH's answer does not give its callbackKey. */
    static final String CALLBACK_KEY_MISSING = "CALLBACK_KEY_MISSING";

    private final WidthProcess process;
    private final WidthData data;
    private final Customers customers;
    private final ProviderActions providerActions;
    private final KycProperties.Width settings;

    public WidthNodes(WidthProcess process, WidthData data, Customers customers, ProviderActions providerActions,
                      KycProperties properties) {
        this.process = process;
        this.data = data;
        this.customers = customers;
        this.providerActions = providerActions;
        this.settings = properties.providers().width();
    }

    /** Identity document: {@code workflow.kyc.ocr}; the result is then polled (see {@link WidthPoller}). */
    public CaseUpdate ocr(@Body WidthStatus execution, @Variable("subject") String executionId) {
        Waiting node = waiting(execution, executionId);
        if (!node.submittable()) {
            return node.cannotSubmit();
        }
        if (!node.held("identity-document")) {
            return node.needs(NextAction.PROVIDE_DOCUMENT, "MISSING_IDENTITY_DOCUMENT");
        }
        Map<String, Object> details = node.details();
        Map<String, Object> ocr = node.current.detail("ocr");
        if (!node.key().equals(ocr.get("nodeKey"))) {
            ocr = new LinkedHashMap<>(Map.of("nodeKey", node.key(), "callbackKey", node.callbackKey(),
                    "pending", false));
            details.put("ocr", ocr);
        }
        return node.submit(details, List.of(node.submission(Action.OCR, "identity-document")));
    }

    /** Particulars: {@code workflow.kyc.particular.data}. */
    public CaseUpdate particular(@Body WidthStatus execution, @Variable("subject") String executionId) {
        Waiting node = waiting(execution, executionId);
        if (!node.submittable()) {
            return node.cannotSubmit();
        }
        if (!node.held("particulars")) {
            return node.needs(NextAction.PROVIDE_PERSONAL_DATA, "MISSING_PARTICULARS");
        }
        return node.submit(node.details(), List.of(node.submission(Action.PARTICULAR, "particulars")));
    }

    /** Liveness: {@code workflow.kyc.liveness.data}. */
    public CaseUpdate liveness(@Body WidthStatus execution, @Variable("subject") String executionId) {
        Waiting node = waiting(execution, executionId);
        if (!node.submittable()) {
            return node.cannotSubmit();
        }
        if (!node.held("liveness")) {
            return node.needs(NextAction.PROVIDE_LIVENESS, "MISSING_LIVENESS");
        }
        return node.submit(node.details(), List.of(node.submission(Action.LIVENESS, "liveness")));
    }

    /** Email OTP. */
    public CaseUpdate email(@Body WidthStatus execution, @Variable("subject") String executionId) {
        Waiting node = waiting(execution, executionId);
        return otp(node, "email", customers.email(node.customerId()).isPresent());
    }

    /** Phone OTP. */
    public CaseUpdate phone(@Body WidthStatus execution, @Variable("subject") String executionId) {
        Waiting node = waiting(execution, executionId);
        return otp(node, "phone", phone(data, customers, node.customerId()).isPresent());
    }

    /**
     * OTP in three steps: {@code workflow.kyc.otp.send} (its requestId is kept), the customer's code
     * ({@code POST /api/v1/customers/{id}/otp}), {@code workflow.kyc.otp.verify}. A code is verified once; if WIDTH
     * refuses the verify ({@code success: false}: the action is FAILED) or the node still waits after it, the customer
     * is asked for another. The customer asking for a new OTP ({@code POST /api/v1/customers/{id}/otp/resend}, after
     * the last send) has it sent again: one send per request, named by the request's version; a code handed over
     * before that send is not verified.
     */
    private CaseUpdate otp(Waiting node, String type, boolean identityHeld) {
        if (!node.submittable()) {
            return node.cannotSubmit();
        }
        if (!identityHeld) {
            return node.needs(NextAction.PROVIDE_PERSONAL_DATA, "email".equals(type) ? "MISSING_EMAIL"
                    : "MISSING_PHONE");
        }
        Map<String, Object> details = node.details();
        Map<String, Object> otp = node.current.detail("otp");
        if (!node.key().equals(otp.get("nodeKey"))) {
            // "since": resend requests from before this node's OTP are not about it.
            otp = new LinkedHashMap<>(Map.of("nodeKey", node.key(), "type", type, "since", data.databaseNowMillis()));
        }
        details.put("otp", otp);
        long since = ((Number) otp.getOrDefault("since", 0L)).longValue();
        Optional<Long> resend = data.version(node.customerId(), WidthData.OTP_RESEND).filter(asked -> asked > since);
        if (resend.isPresent() && !resend.get().equals(longOrNull(otp.get("resending")))) {
            // Marked in the same change that plans the send: the request is answered once, whenever WIDTH's answer
            // to an earlier send is read.
            otp.put("resending", resend.get());
            return node.submit(details, List.of(node.action(Action.OTP_SEND, resend.get().toString(),
                    Map.of("type", type, "version", resend.get()))));
        }
        if (otp.get("requestId") == null) {
            return node.submit(details, List.of(node.action(Action.OTP_SEND, Map.of("type", type))));
        }
        long sentAt = ((Number) otp.get("sentAt")).longValue();
        Optional<Instant> code = data.updatedAt(node.customerId(), "otp");
        if (code.isPresent() && code.get().toEpochMilli() > sentAt) {
            String version = Long.toString(code.get().toEpochMilli());
            if (!version.equals(otp.get("verifiedVersion"))) {
                ProviderAction verify = node.action(Action.OTP_VERIFY, version,
                        Map.of("type", type, "requestId", otp.get("requestId"), "version", code.get().toEpochMilli()));
                if (providerActions.isFailed(WidthMapping.PROVIDER, node.customerId(), verify.name())) {
                    return node.needsWith(details, NextAction.PROVIDE_OTP, "OTP_NOT_ACCEPTED");
                }
                otp.put("verifyingVersion", version);
                return node.submit(details, List.of(verify));
            }
            return node.needsWith(details, NextAction.PROVIDE_OTP, "OTP_NOT_ACCEPTED");
        }
        return node.needsWith(details, NextAction.PROVIDE_OTP, "OTP_CODE_NEEDED");
    }

    /**
     * Required documents: {@code workflow.kyc.required.doc} for each document held, then, once all are uploaded,
     * {@code workflow.kyc.required.doc.submit}.
     */
    public CaseUpdate requiredDocument(@Body WidthStatus execution, @Variable("subject") String executionId) {
        Waiting node = waiting(execution, executionId);
        if (!node.submittable()) {
            return node.cannotSubmit();
        }
        JsonNode documents = data.get(node.customerId(), "documents").orElse(null);
        if (documents == null || documents.isEmpty()) {
            return node.needs(NextAction.PROVIDE_DOCUMENT, "MISSING_REQUIRED_DOCUMENTS");
        }
        // The documents are handed over as one list: a new list is a new datum, each of its documents uploaded anew.
        long version = data.version(node.customerId(), "documents").orElseThrow();
        List<ProviderAction> actions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode document : documents) {
            String docType = document.path("docType").asText();
            ProviderAction upload = node.action(Action.REQUIRED_DOC, docType + ":" + version,
                    Map.of("docType", docType, "version", version));
            actions.add(upload);
            names.add(upload.name());
        }
        Map<String, Object> details = node.details();
        boolean uploaded = providerActions.countDone(WidthMapping.PROVIDER, node.customerId(), names) == names.size();
        @SuppressWarnings("unchecked")
        Map<String, Object> current = (Map<String, Object>) details.get("node");
        current.put("stage", uploaded ? "SUBMITTING" : "UPLOADING");
        if (uploaded) {
            actions.add(node.action(Action.REQUIRED_DOC_SUBMIT, Long.toString(version), Map.of("version", version)));
        }
        return node.submit(details, actions);
    }

    /** Forms: {@code workflow.kyc.required.form} for the node's form ({@code formId}), or every form held. */
    public CaseUpdate forms(@Body WidthStatus execution, @Variable("subject") String executionId) {
        Waiting node = waiting(execution, executionId);
        if (!node.submittable()) {
            return node.cannotSubmit();
        }
        String wanted = execution.currentNode().formId();
        // Like documents, the forms are one list: a new list is a new datum.
        long version = data.version(node.customerId(), "forms").orElse(0L);
        List<ProviderAction> actions = new ArrayList<>();
        for (JsonNode form : data.get(node.customerId(), "forms").orElse(MissingNode.getInstance())) {
            String formId = form.path("formId").asText();
            if (wanted == null || wanted.equals(formId)) {
                actions.add(node.action(Action.FORM, formId + ":" + version,
                        Map.of("formId", formId, "version", version)));
            }
        }
        if (actions.isEmpty()) {
            return node.needs(NextAction.PROVIDE_FORM, wanted == null ? "MISSING_FORMS" : "MISSING_FORM:" + wanted);
        }
        return node.submit(node.details(), actions);
    }

    /**
     * AML / sanctions screening runs at WIDTH by itself: recorded as a check, the case keeps being polled. Nothing is
     * submitted, so the node needs no id.
     */
    public CaseUpdate screenCheck(@Body WidthStatus execution, @Variable("subject") String executionId) {
        Waiting node = waiting(execution, executionId);
        return node.current.update(CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(), "WAITING",
                "WAITING:" + node.type(), node.details(),
                List.of(new CheckResult("SCREEN_CHECK", false, true, Map.of("state", "RUNNING_AT_WIDTH"))),
                null, settings.pollEvery());
    }

    /**
     * A node type the doc does not list, or none at all: flagged, nothing submitted; polling goes on in case WIDTH
     * moves on.
     */
    public CaseUpdate unknown(@Body WidthStatus execution, @Variable("subject") String executionId) {
        String type = execution.currentNode() == null ? null : execution.currentNode().nodeType();
        WidthProcess.WidthCase current = process.widthCase(executionId);
        Map<String, Object> details = current.details();
        String reason = type == null || type.isBlank() ? "NODE_TYPE_MISSING" : "UNKNOWN_NODE_TYPE:" + type;
        return current.update(CaseStatus.ACTION_REQUIRED, NextAction.CONTACT_SUPPORT, List.of(reason), "WAITING",
                "WAITING:" + type, details, null, null, settings.pollEvery());
    }

    /**
     * Whether a case (its provider details) waits on an OTP node whose OTP the hub sends: the customer may ask for a
     * new one. Not while the node lacks what an OTP needs (an email or phone, its ids), nor on any other node.
     */
    static boolean waitsForOtp(Map<String, Object> details) {
        if (!(details.get("node") instanceof Map<?, ?> node) || !(details.get("otp") instanceof Map<?, ?> otp)) {
            return false;
        }
        Object type = node.get("nodeType");
        return (WidthMapping.EMAIL.equals(type) || WidthMapping.PHONE.equals(type)) && node.get("nodeKey") != null
                && node.get("nodeKey").equals(otp.get("nodeKey"));
    }

    private static Long longOrNull(Object number) {
        return number instanceof Number given ? given.longValue() : null;
    }

    /** The phone an OTP goes to: the particulars' {@code phone}, else the profile's. */
    static Optional<String> phone(WidthData data, Customers customers, String customerId) {
        Optional<String> fromParticulars = data.get(customerId, "particulars")
                .map(particulars -> particulars.path("phone").asText(null));
        if (fromParticulars.isPresent()) {
            return fromParticulars;
        }
        JsonNode phone = customers.kyc(customerId).path("phone");
        return phone.isTextual() && !phone.asText().isBlank() ? Optional.of(phone.asText()) : Optional.empty();
    }

    /** The execution WAITING on the node the router chose by its {@code nodeType}. */
    private Waiting waiting(WidthStatus execution, String executionId) {
        WidthStatus.Node node = execution.currentNode();
        if (node == null) {
            throw new UnmappableMessageException("a WAITING execution without a current node");
        }
        return new Waiting(process.widthCase(executionId), executionId, node);
    }

    /** The execution waiting on one node. */
    private final class Waiting {
        final WidthProcess.WidthCase current;
        final String executionId;
        final WidthStatus.Node node;

        Waiting(WidthProcess.WidthCase current, String executionId, WidthStatus.Node node) {
            this.current = current;
            this.executionId = executionId;
            this.node = node;
        }

        String key() {
            return node.key();
        }

        String type() {
            return node.nodeType();
        }

        String callbackKey() {
            return node.callbackKey();
        }

        /** Whether the hub can submit for the node: every submission carries its callbackKey. */
        boolean submittable() {
            return node.callbackKey() != null && !node.callbackKey().isBlank();
        }

        /** What the node's type asks of the customer, and why the hub cannot submit it for them: no callbackKey. */
        CaseUpdate cannotSubmit() {
            return needs(WidthMapping.needs(type()), CALLBACK_KEY_MISSING);
        }

        String customerId() {
            return current.view().customerId();
        }

        boolean held(String kind) {
            return data.get(customerId(), kind).isPresent();
        }

        Map<String, Object> details() {
            Map<String, Object> details = current.details();
            Map<String, Object> waitingOn = new LinkedHashMap<>();
            waitingOn.put("nodeType", type());
            if (key() != null && !key().isBlank()) {
                waitingOn.put("nodeKey", key());
            }
            details.put("node", waitingOn);
            return details;
        }

        Map<String, Object> payload(Map<String, Object> extra) {
            Map<String, Object> payload = new LinkedHashMap<>(extra);
            payload.put("executionId", executionId);
            payload.put("callbackKey", callbackKey());
            payload.put("referenceId", current.referenceId());
            return payload;
        }

        /** The node's one submission of that kind. */
        ProviderAction action(Action kind, Map<String, Object> extra) {
            return ProviderAction.of(kind, payload(extra), executionId, key());
        }

        /** The node's submission of that kind for one item (a document type, a form, an OTP code's version). */
        ProviderAction action(Action kind, String item, Map<String, Object> extra) {
            return ProviderAction.of(kind, payload(extra), executionId, key(), item);
        }

        /** The node's submission of the data held of that kind, named by its version: one per datum. */
        ProviderAction submission(Action kind, String dataKind) {
            long version = data.version(customerId(), dataKind).orElseThrow();
            return action(kind, Long.toString(version), Map.of("version", version));
        }

        CaseUpdate submit(Map<String, Object> details, List<ProviderAction> actions) {
            return current.update(CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(), "WAITING", "WAITING:" + type(),
                    details, null, actions, settings.pollEvery());
        }

        CaseUpdate needs(NextAction nextAction, String reason) {
            return needsWith(details(), nextAction, reason);
        }

        CaseUpdate needsWith(Map<String, Object> details, NextAction nextAction, String reason) {
            return current.update(CaseStatus.ACTION_REQUIRED, nextAction, List.of(reason), "WAITING",
                    "WAITING:" + type(), details, null, null, settings.pollEvery());
        }
    }
}
