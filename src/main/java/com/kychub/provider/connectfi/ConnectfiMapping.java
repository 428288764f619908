package com.kychub.provider.connectfi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.ProviderAction;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;

/**
 * Connect Financial's compliance status in the canonical vocabulary, and the actions the hub takes on it. The
 * tables read side by side with provider doc 001 ("Suggested Action Values", "Check Types", "Handling
 * UPDATE_PROFILE", "Required Documents for External KYC"); a value that is in none of them is never guessed.
 */
public final class ConnectfiMapping {

    public static final String PROVIDER = "connectfi";

    /**
     * The fields of Connect Financial's messages (webhooks, compliance status, action answers) and of the case, check
     * and action details this package writes that are not personal: ids, event types, statuses, check types, next
     * actions, document types, times. Every other value (profile fields, SDK links, file names) is redacted on
     * erasure and by retention ({@code com.kychub.privacy.Redaction}).
     */
    public static final Set<String> NOT_PERSONAL = Set.of("eventType", "customerId", "connectfiCustomerId",
            "onboardingId", "previousOnboardingId", "status", "onboardingStatus", "finishedStatus", "isCompliant",
            "nextAction", "suggestedAction", "type", "documentId", "documentType", "flag", "id", "createdAt",
            "updatedAt", "restartedAs", "relinkedTo", "version", "fields", "action");

    record Canonical(CaseStatus status, NextAction nextAction) {
    }

    /** {@code nextAction} → what the case is waiting for. */
    static final Map<String, Canonical> NEXT_ACTIONS = Map.of(
            "START_KYC", new Canonical(CaseStatus.NOT_STARTED, NextAction.START_KYC),
            "COMPLETE_SDK_FLOW", new Canonical(CaseStatus.ACTION_REQUIRED, NextAction.COMPLETE_VERIFICATION),
            "UPLOAD_DOCUMENT", new Canonical(CaseStatus.ACTION_REQUIRED, NextAction.PROVIDE_DOCUMENT),
            "UPDATE_PROFILE", new Canonical(CaseStatus.ACTION_REQUIRED, NextAction.UPDATE_PROFILE),
            "RERUN_KYC", new Canonical(CaseStatus.ACTION_REQUIRED, NextAction.RESTART_KYC),
            // "No user action needed - system processing": documents in, SDK done, or manual review.
            "WAIT", new Canonical(CaseStatus.IN_REVIEW, NextAction.WAIT),
            "CONTACT_SUPPORT", new Canonical(CaseStatus.ERROR, NextAction.CONTACT_SUPPORT));

    /** What fixes a failed check: a profile field to PATCH, documents to upload (any one of them), or nothing. */
    record CheckType(String profileField, List<String> documents) {
        static CheckType none() {
            return new CheckType(null, List.of());
        }
    }

    /** The doc's eleven check types. {@code kyc} stands for the whole {@code kyc} object. */
    static final Map<String, CheckType> CHECK_TYPES = Map.ofEntries(
            Map.entry("KYC_DATA_PRESENT", new CheckType("kyc", List.of())),
            Map.entry("KYC_STARTED", CheckType.none()),
            Map.entry("SDK_VERIFICATION_COMPLETED", CheckType.none()),
            Map.entry("KYC_STATUS", CheckType.none()),
            Map.entry("REGISTRATION_ADDRESS", new CheckType("mainAddress", List.of())),
            Map.entry("TAX_COUNTRY", new CheckType("nationality", List.of())),
            Map.entry("OCCUPATION", new CheckType("occupation", List.of())),
            Map.entry("DOC_SOURCE_OF_FUNDS", new CheckType(null, List.of("SOURCE_OF_FUNDS"))),
            Map.entry("DOC_FATCA", new CheckType(null, List.of("W9", "W8BEN"))),
            Map.entry("DOC_BIOMETRIC_REPORT", new CheckType(null, List.of("BIOMETRIC_REPORT"))),
            Map.entry("DOC_PROOF_OF_ADDRESS", new CheckType(null, List.of("PROOF_OF_ADDRESS"))));

    /**
     * CUSTOMER_KYC_FINISHED's {@code status} ("KYC approved or denied (check status field)") → the case status the
     * compliance status pulled after it should come to. The doc's two values: "APPROVED → CUSTOMER_KYC_FINISHED
     * (status: APPROVED)", "DENIED → CUSTOMER_KYC_FINISHED (status: DENIED_COMPLIANCE)".
     */
    static final Map<String, CaseStatus> FINISHED_STATUSES = Map.of(
            "APPROVED", CaseStatus.APPROVED,
            "DENIED_COMPLIANCE", CaseStatus.REJECTED_FINAL);

    static final String FINISHED = "CUSTOMER_KYC_FINISHED";

    /*
     * What the inbox files each Connect Financial message as (inbound_message.message_type), besides its webhooks:
     * connectfi-process routes on these. The status pulled from the status API, then the answers of the hub's calls.
     */
    public static final String COMPLIANCE_STATUS = "compliance-status";
    public static final String CUSTOMER_CREATED = "customer-created";
    public static final String KYC_STARTED = "kyc-started";
    public static final String KYC_RERUN = "kyc-rerun";
    public static final String PROFILE_UPDATED = "profile-updated";
    public static final String DOCUMENT_UPLOADED = "document-uploaded";

    /** The calls the hub makes to Connect Financial, one per endpoint of the doc: connectfi-act routes on them. */
    public enum Action { CREATE_CUSTOMER, START_KYC, RERUN_KYC, UPDATE_PROFILE, UPLOAD_DOCUMENT }

    private ConnectfiMapping() {
    }

    /**
     * What a compliance status says, before anything is decided: its checks (a type the doc does not list, or a check
     * without passed or required, is kept and flagged, never interpreted), the failed ones, and the case's details.
     */
    public static ConnectfiVerdict read(ConnectfiStatus answer, ConnectfiContext context) {
        ConnectfiVerdict verdict = new ConnectfiVerdict(answer, context);
        for (ConnectfiStatus.Check check : answer.checks() == null ? List.<ConnectfiStatus.Check>of() : answer.checks()) {
            if (check == null || check.type() == null) {
                throw new UnmappableMessageException("a Connect Financial check without a type");
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            if (check.suggestedAction() != null) {
                detail.put("suggestedAction", check.suggestedAction());
            }
            if (!CHECK_TYPES.containsKey(check.type())) {
                detail.put("flag", "unknown check type");
                verdict.reasons.add("UNKNOWN_CHECK_TYPE:" + check.type());
            }
            if (check.passed() == null || check.required() == null) {
                detail.put("flag", "passed or required missing");
                verdict.reasons.add("INCOMPLETE_CHECK:" + check.type());
            }
            boolean passed = Boolean.TRUE.equals(check.passed());
            boolean required = !Boolean.FALSE.equals(check.required());
            verdict.checks.add(new CheckResult(check.type(), passed, required, detail));
            if (!passed && required) {
                verdict.failedChecks.add(check);
                verdict.reasons.add(check.type());
            }
        }
        verdict.details.putAll(context.carriedDetails());
        verdict.details.put("isCompliant", answer.isCompliant());
        verdict.details.put("nextAction", answer.nextAction());
        if (answer.summary() != null) {
            verdict.details.put("summary", answer.summary());
        }
        if (context.onboardingId() != null) {
            verdict.details.put("onboardingId", context.onboardingId());
        }
        return verdict;
    }

    // --- connectfi-check: what one failed check asks for (the CHECK_TYPES table); decided by the next action below.

    /** A failed profile check (KYC_DATA_PRESENT, REGISTRATION_ADDRESS, TAX_COUNTRY, OCCUPATION): a field to PATCH. */
    public static void needsProfileField(ConnectfiVerdict verdict, ConnectfiStatus.Check check) {
        verdict.wantedProfileFields.add(CHECK_TYPES.get(check.type()).profileField());
    }

    /** A failed document check (DOC_*): a document to upload, any one of the types the table lists. */
    public static void needsDocument(ConnectfiVerdict verdict, ConnectfiStatus.Check check) {
        verdict.wantedDocuments.add(CHECK_TYPES.get(check.type()).documents());
    }

    // --- connectfi-status: one method per suggested next action ("Suggested Action Values").

    /** No next action: compliant means approved; anything else is not guessed. */
    public static void compliant(ConnectfiVerdict verdict) {
        if (!Boolean.TRUE.equals(verdict.answer.isCompliant())) {
            throw new UnmappableMessageException("Connect Financial status is not compliant and names no nextAction");
        }
        verdict.decide(CaseStatus.APPROVED, NextAction.NONE);
    }

    /** START_KYC: the hub starts it when allowed and it knows the customer at Connect Financial. */
    public static void startKyc(ConnectfiVerdict verdict) {
        ConnectfiContext context = verdict.context;
        if (context.actions().startKyc() && context.connectfiCustomerId() != null) {
            verdict.actions.add(ProviderAction.of(Action.START_KYC, Map.of("connectfiCustomerId",
                    context.connectfiCustomerId())));
            verdict.decide(CaseStatus.IN_PROGRESS, NextAction.WAIT);
        } else {
            asTheTableSays(verdict);
        }
    }

    /**
     * RERUN_KYC: the hub reruns the onboarding when allowed and it knows the onboarding (and whose it is: the answer, a
     * new onboarding and SDK link, is about that customer).
     */
    public static void rerunKyc(ConnectfiVerdict verdict) {
        ConnectfiContext context = verdict.context;
        if (context.actions().rerunKyc() && context.onboardingId() != null && context.connectfiCustomerId() != null) {
            verdict.actions.add(ProviderAction.of(Action.RERUN_KYC, Map.of("onboardingId", context.onboardingId(),
                    "connectfiCustomerId", context.connectfiCustomerId()), context.onboardingId()));
            verdict.decide(CaseStatus.IN_PROGRESS, NextAction.WAIT);
        } else {
            asTheTableSays(verdict);
        }
    }

    /** COMPLETE_SDK_FLOW: the customer finishes the SDK flow (unexpected under External KYC: flagged). */
    public static void completeSdkFlow(ConnectfiVerdict verdict) {
        if (verdict.context.external()) {
            verdict.reasons.add("COMPLETE_SDK_FLOW_UNDER_EXTERNAL_KYC");
        }
        asTheTableSays(verdict);
    }

    /** WAIT: Connect Financial is processing or reviewing. */
    public static void waitForConnectfi(ConnectfiVerdict verdict) {
        asTheTableSays(verdict);
    }

    /** CONTACT_SUPPORT: a denied onboarding is final; anything else is a verification error. */
    public static void contactSupport(ConnectfiVerdict verdict) {
        if ("DENIED_COMPLIANCE".equals(verdict.answer.onboardingStatus())) {
            verdict.reasons.add(0, "DENIED_COMPLIANCE");
            verdict.decide(CaseStatus.REJECTED_FINAL, NextAction.CONTACT_SUPPORT);
        } else {
            verdict.reasons.add(0, "VERIFICATION_ERROR");
            asTheTableSays(verdict);
        }
    }

    /**
     * UPDATE_PROFILE: PATCH exactly the fields the failed checks ask for, when the hub holds them all. Each field is its
     * own call, named by the field and the profile's version ({@code UPDATE_PROFILE:occupation:<version>}): a field is
     * sent once per version of the profile, whichever checks ask for it and however often; a field asked for later
     * under the same version is still sent. The whole {@code kyc} object, when asked for, covers every field.
     */
    public static void updateProfile(ConnectfiVerdict verdict) {
        ConnectfiContext context = verdict.context;
        List<String> wanted = verdict.wantedProfileFields;
        List<String> missing = wanted.stream()
                .filter(field -> field.equals("kyc") ? context.heldProfileFields().isEmpty()
                        : !context.heldProfileFields().contains(field))
                .toList();
        missing.forEach(field -> verdict.reasons.add("MISSING_PROFILE_FIELD:" + field));
        NextAction ask = wanted.contains("kyc") ? NextAction.PROVIDE_PERSONAL_DATA : NextAction.UPDATE_PROFILE;
        if (wanted.isEmpty() || !missing.isEmpty() || !context.actions().updateProfile()
                || context.connectfiCustomerId() == null) {
            verdict.decide(CaseStatus.ACTION_REQUIRED, ask);
            return;
        }
        List<String> fields = wanted.contains("kyc") ? List.of("kyc") : List.copyOf(new LinkedHashSet<>(wanted));
        for (String field : fields) {
            verdict.actions.add(ProviderAction.of(Action.UPDATE_PROFILE, Map.of("connectfiCustomerId",
                    context.connectfiCustomerId(), "fields", List.of(field), "version", context.profileVersion()),
                    field, context.profileVersion()));
        }
        verdict.decide(CaseStatus.IN_PROGRESS, NextAction.WAIT);
    }

    /** UPLOAD_DOCUMENT: upload every document the failed checks ask for that the hub holds; ask for the others. */
    public static void uploadDocuments(ConnectfiVerdict verdict) {
        ConnectfiContext context = verdict.context;
        boolean missingAny = false;
        for (List<String> types : verdict.wantedDocuments) {
            String held = types.stream().filter(context.heldDocuments()::containsKey).findFirst().orElse(null);
            if (held == null || !context.actions().uploadDocuments() || context.connectfiCustomerId() == null) {
                missingAny = true;
                verdict.reasons.add("MISSING_DOCUMENT:" + String.join("|", types));
            } else {
                long documentId = context.heldDocuments().get(held);
                verdict.actions.add(ProviderAction.of(Action.UPLOAD_DOCUMENT, Map.of(
                        "connectfiCustomerId", context.connectfiCustomerId(), "type", held,
                        "documentId", documentId), held, documentId));
            }
        }
        if (missingAny || verdict.actions.isEmpty()) {
            verdict.decide(CaseStatus.ACTION_REQUIRED, NextAction.PROVIDE_DOCUMENT);
        } else {
            verdict.decide(CaseStatus.IN_PROGRESS, NextAction.WAIT);
        }
    }

    /** A next action the doc does not list: never guessed. */
    public static void unknownNextAction(ConnectfiVerdict verdict) {
        throw new UnmappableMessageException("unknown Connect Financial nextAction "
                + Quote.of(verdict.suggestedAction()));
    }

    /**
     * After the decision, a status pulled because of CUSTOMER_KYC_FINISHED is read against the webhook's own
     * {@code status} (the FINISHED_STATUSES table). The pull is the truth and has decided the case; a webhook that says
     * otherwise, says nothing, or says what the doc does not list is flagged first among the case's reasons (and so in
     * the audit event), never ignored: {@code FINISHED_STATUS_DISAGREES:webhook=<its status>,pull=<the case status>}.
     */
    public static void crossCheckFinished(ConnectfiVerdict verdict) {
        ConnectfiContext context = verdict.context;
        if (!FINISHED.equals(context.cause())) {
            return;
        }
        String said = context.causeStatus();
        if (said == null) {
            verdict.reasons.add(0, "FINISHED_WITHOUT_STATUS");
            return;
        }
        verdict.details.put("finishedStatus", said);
        CaseStatus expected = FINISHED_STATUSES.get(said);
        if (expected == null) {
            verdict.reasons.add(0, "UNKNOWN_FINISHED_STATUS:" + said);
        } else if (expected != verdict.status) {
            verdict.reasons.add(0, "FINISHED_STATUS_DISAGREES:webhook=" + said + ",pull=" + verdict.status);
        }
    }

    /** The case update the verdict comes to: the status API's answer is the truth (authoritative). */
    public static CaseUpdate toCanonical(ConnectfiVerdict verdict) {
        ConnectfiContext context = verdict.context;
        boolean finished = verdict.status == CaseStatus.APPROVED || verdict.status == CaseStatus.REJECTED_FINAL;
        return new CaseUpdate(PROVIDER, context.providerRef(), context.customerId(), verdict.status,
                verdict.nextAction, List.copyOf(new LinkedHashSet<>(verdict.reasons)), verdict.answer.onboardingStatus(),
                context.cause() == null ? "COMPLIANCE_STATUS" : context.cause(), verdict.details, verdict.checks, null,
                true, verdict.actions, finished ? null : context.pollEvery());
    }

    /** What the case waits for when the hub does not act itself: the NEXT_ACTIONS table. */
    private static void asTheTableSays(ConnectfiVerdict verdict) {
        Canonical canonical = NEXT_ACTIONS.get(verdict.suggestedAction());
        verdict.decide(canonical.status(), canonical.nextAction());
    }

    /** The webhook events of the doc; both names the doc gives the SDK-completed event. */
    public static final Set<String> EVENTS = Set.of(
            "CUSTOMER_CREATED", "CUSTOMER_UPDATED",
            "CUSTOMER_KYC_STARTED", "CUSTOMER_KYC_SDK_FLOW_REQUIRED",
            "CUSTOMER_KYC_SDK_FLOW_COMPLETED", "CUSTOMER_KYC_SDK_FLOW_DONE",
            "CUSTOMER_KYC_FINISHED", "CUSTOMER_KYC_RESTARTED",
            "CUSTOMER_KYC_SDK_EXPIRED", "CUSTOMER_KYC_ERROR");
}
