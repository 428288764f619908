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
import com.kychub.canonical.UnmappableMessageException;

/**
 * Connect Financial's compliance status in the canonical vocabulary, and the actions the hub takes on it. The
 * tables read side by side with provider doc 001 ("Suggested Action Values", "Check Types", "Handling
 * UPDATE_PROFILE", "Required Documents for External KYC"); a value that is in none of them is never guessed.
 */
public final class ConnectfiMapping {

    public static final String PROVIDER = "connectfi";

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

    public static CaseUpdate toCanonical(ConnectfiStatus answer, ConnectfiContext context) {
        List<String> reasons = new ArrayList<>();
        List<CheckResult> checks = new ArrayList<>();
        List<ConnectfiStatus.Check> failed = new ArrayList<>();
        for (ConnectfiStatus.Check check : answer.checks() == null ? List.<ConnectfiStatus.Check>of() : answer.checks()) {
            if (check == null || check.type() == null) {
                throw new UnmappableMessageException("a Connect Financial check without a type");
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            if (check.suggestedAction() != null) {
                detail.put("suggestedAction", check.suggestedAction());
            }
            if (!CHECK_TYPES.containsKey(check.type())) {
                // Kept, and flagged on the case, never interpreted.
                detail.put("flag", "unknown check type");
                reasons.add("UNKNOWN_CHECK_TYPE:" + check.type());
            }
            if (check.passed() == null || check.required() == null) {
                detail.put("flag", "passed or required missing");
                reasons.add("INCOMPLETE_CHECK:" + check.type());
            }
            boolean passed = Boolean.TRUE.equals(check.passed());
            boolean required = !Boolean.FALSE.equals(check.required());
            checks.add(new CheckResult(check.type(), passed, required, detail));
            if (!passed && required) {
                failed.add(check);
                reasons.add(check.type());
            }
        }

        Map<String, Object> details = new LinkedHashMap<>(context.carriedDetails());
        details.put("isCompliant", answer.isCompliant());
        details.put("nextAction", answer.nextAction());
        if (answer.summary() != null) {
            details.put("summary", answer.summary());
        }
        if (context.onboardingId() != null) {
            details.put("onboardingId", context.onboardingId());
        }

        List<ProviderAction> actions = new ArrayList<>();
        Canonical canonical = canonical(answer, context, failed, reasons, actions);
        boolean finished = canonical.status() == CaseStatus.APPROVED || canonical.status() == CaseStatus.REJECTED_FINAL;
        return new CaseUpdate(PROVIDER, context.providerRef(), context.customerId(), canonical.status(),
                canonical.nextAction(), List.copyOf(new LinkedHashSet<>(reasons)), answer.onboardingStatus(),
                context.cause() == null ? "COMPLIANCE_STATUS" : context.cause(), details, checks, null, true,
                actions, finished ? null : context.pollEvery());
    }

    private static Canonical canonical(ConnectfiStatus answer, ConnectfiContext context,
                                       List<ConnectfiStatus.Check> failed, List<String> reasons,
                                       List<ProviderAction> actions) {
        String nextAction = answer.nextAction();
        if (nextAction == null) {
            if (Boolean.TRUE.equals(answer.isCompliant())) {
                return new Canonical(CaseStatus.APPROVED, NextAction.NONE);
            }
            throw new UnmappableMessageException("Connect Financial status is not compliant and names no nextAction");
        }
        Canonical canonical = NEXT_ACTIONS.get(nextAction);
        if (canonical == null) {
            throw new UnmappableMessageException("unknown Connect Financial nextAction '" + nextAction + "'");
        }
        switch (nextAction) {
            case "CONTACT_SUPPORT" -> {
                if ("DENIED_COMPLIANCE".equals(answer.onboardingStatus())) {
                    reasons.add(0, "DENIED_COMPLIANCE");
                    return new Canonical(CaseStatus.REJECTED_FINAL, NextAction.CONTACT_SUPPORT);
                }
                reasons.add(0, "VERIFICATION_ERROR");
                return canonical;
            }
            case "START_KYC" -> {
                if (context.actions().startKyc() && context.connectfiCustomerId() != null) {
                    actions.add(ProviderAction.of(Action.START_KYC, Map.of("connectfiCustomerId",
                            context.connectfiCustomerId())));
                    return new Canonical(CaseStatus.IN_PROGRESS, NextAction.WAIT);
                }
                return canonical;
            }
            case "RERUN_KYC" -> {
                if (context.actions().rerunKyc() && context.onboardingId() != null) {
                    actions.add(ProviderAction.of(Action.RERUN_KYC, Map.of("onboardingId", context.onboardingId()),
                            context.onboardingId()));
                    return new Canonical(CaseStatus.IN_PROGRESS, NextAction.WAIT);
                }
                return canonical;
            }
            case "COMPLETE_SDK_FLOW" -> {
                if (context.external()) {
                    reasons.add("COMPLETE_SDK_FLOW_UNDER_EXTERNAL_KYC");
                }
                return canonical;
            }
            case "UPDATE_PROFILE" -> {
                return updateProfile(context, failed, reasons, actions);
            }
            case "UPLOAD_DOCUMENT" -> {
                return uploadDocuments(context, failed, reasons, actions);
            }
            default -> {
                return canonical;
            }
        }
    }

    /** PATCH exactly the fields the failed profile checks ask for, when the hub holds them all. */
    private static Canonical updateProfile(ConnectfiContext context, List<ConnectfiStatus.Check> failed,
                                           List<String> reasons, List<ProviderAction> actions) {
        List<String> wanted = new ArrayList<>();
        for (ConnectfiStatus.Check check : failed) {
            CheckType type = CHECK_TYPES.get(check.type());
            if (type != null && type.profileField() != null) {
                wanted.add(type.profileField());
            }
        }
        List<String> missing = wanted.stream()
                .filter(field -> field.equals("kyc") ? context.heldProfileFields().isEmpty()
                        : !context.heldProfileFields().contains(field))
                .toList();
        missing.forEach(field -> reasons.add("MISSING_PROFILE_FIELD:" + field));
        NextAction ask = wanted.contains("kyc") ? NextAction.PROVIDE_PERSONAL_DATA : NextAction.UPDATE_PROFILE;
        if (wanted.isEmpty() || !missing.isEmpty() || !context.actions().updateProfile()
                || context.connectfiCustomerId() == null) {
            return new Canonical(CaseStatus.ACTION_REQUIRED, ask);
        }
        actions.add(ProviderAction.of(Action.UPDATE_PROFILE,
                Map.of("connectfiCustomerId", context.connectfiCustomerId(), "fields", wanted), context.dataVersion()));
        return new Canonical(CaseStatus.IN_PROGRESS, NextAction.WAIT);
    }

    /** Upload every document the failed checks ask for that the hub holds; ask the fintech for the others. */
    private static Canonical uploadDocuments(ConnectfiContext context, List<ConnectfiStatus.Check> failed,
                                             List<String> reasons, List<ProviderAction> actions) {
        boolean missingAny = false;
        for (ConnectfiStatus.Check check : failed) {
            CheckType type = CHECK_TYPES.get(check.type());
            if (type == null || type.documents().isEmpty()) {
                continue;
            }
            String held = type.documents().stream().filter(context.heldDocuments()::containsKey).findFirst()
                    .orElse(null);
            if (held == null || !context.actions().uploadDocuments() || context.connectfiCustomerId() == null) {
                missingAny = true;
                reasons.add("MISSING_DOCUMENT:" + String.join("|", type.documents()));
            } else {
                long documentId = context.heldDocuments().get(held);
                actions.add(ProviderAction.of(Action.UPLOAD_DOCUMENT, Map.of(
                        "connectfiCustomerId", context.connectfiCustomerId(), "type", held,
                        "documentId", documentId), held, documentId));
            }
        }
        if (missingAny || actions.isEmpty()) {
            return new Canonical(CaseStatus.ACTION_REQUIRED, NextAction.PROVIDE_DOCUMENT);
        }
        return new Canonical(CaseStatus.IN_PROGRESS, NextAction.WAIT);
    }

    /** The webhook events of the doc; both names the doc gives the SDK-completed event. */
    public static final Set<String> EVENTS = Set.of(
            "CUSTOMER_CREATED", "CUSTOMER_UPDATED",
            "CUSTOMER_KYC_STARTED", "CUSTOMER_KYC_SDK_FLOW_REQUIRED",
            "CUSTOMER_KYC_SDK_FLOW_COMPLETED", "CUSTOMER_KYC_SDK_FLOW_DONE",
            "CUSTOMER_KYC_FINISHED", "CUSTOMER_KYC_RESTARTED",
            "CUSTOMER_KYC_SDK_EXPIRED", "CUSTOMER_KYC_ERROR");
}
