package com.kychub.provider.ondato;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;

/**
 * Ondato's words in the canonical vocabulary, each table to be read against the Ondato page it quotes. Doc 003 lists no
 * status values; Ondato's public documentation does:
 * <ul>
 * <li>"Webhooks", its KYC Identification examples (ondato.atlassian.net/wiki, pageId 2412937258): the identification
 * has a {@code status} and a {@code statusReason} ({@code Awaiting} / {@code Unfinished} on KycIdentification.Created,
 * {@code Awaiting} / {@code Processing} on .Processed); the event table names the verdicts ("manually or automatically
 * approved", "... rejected");</li>
 * <li>"Identity Verifications (IDV)" (pageId 2295759596, short link x/7ILWi): the identity verification's statuses
 * pending, in progress, completed, aborted, expired, SUSPENDED (its examples spell them {@code InProgress},
 * {@code Completed}).</li>
 * </ul>
 * A value those pages do not show is never guessed: the message is kept as FAILED.
 */
public final class OndatoMapping {

    public static final String PROVIDER = "ondato";

    /**
     * The fields of Ondato's webhooks and API answers, and of the case details this package writes, that are not
     * personal: ids, event types, statuses and their reasons, times (compared without case: Ondato writes both
     * PascalCase and camelCase). Every other value is redacted on erasure and by retention
     * ({@code com.kychub.privacy.Redaction}): the document's and person's data, the IDV URL.
     */
    public static final Set<String> NOT_PERSONAL = Set.of("id", "applicationId", "type", "createdUtc",
            "deliveredUtc", "isDelivered", "setupId", "status", "statusReason", "identityVerificationId",
            "identityVerificationStatus", "kycIdentificationId", "externalReferenceId", "isCrossChecked",
            "isConsented", "modifiedUtc", "completedUtc", "updatedUtc");


    /** What a webhook is about, by its type: which resource its payload is (see {@link #EVENTS}). */
    public enum Event {
        /**
         * {@code KycIdentification.*}: the payload is the KYC identification ({@code id}), naming its identity
         * verification ({@code identityVerificationId}) as the resource does
         */
        IDENTIFICATION,
        /** {@code IdentityVerification.*}, formerly {@code Idv.*}: the payload is the identity verification */
        IDENTITY_VERIFICATION
    }

    /** The webhook types of doc 003, with the newer names Ondato gave the {@code Idv.*} events. */
    static final Map<String, Event> EVENTS = Map.of(
            "KycIdentification.Created", Event.IDENTIFICATION,
            "KycIdentification.Processed", Event.IDENTIFICATION,
            "KycIdentification.Approved", Event.IDENTIFICATION,
            "KycIdentification.Updated", Event.IDENTIFICATION,
            "KycIdentification.Rejected", Event.IDENTIFICATION,
            "Idv.Consented", Event.IDENTITY_VERIFICATION,
            "Idv.StatusChanged", Event.IDENTITY_VERIFICATION,
            "IdentityVerification.Consented", Event.IDENTITY_VERIFICATION,
            "IdentityVerification.StatusChanged", Event.IDENTITY_VERIFICATION);

    /** A row of a table: the canonical status and next action, and the reason the case gives when there is one. */
    record Row(CaseStatus status, NextAction nextAction, String reason) {
    }

    /** Any {@code statusReason}: a verdict is decided by its status, its reason only says how it was reached. */
    static final String ANY_REASON = "*";

    /**
     * KYC identification {@code status/statusReason} → canonical status and next action. Matched ignoring case, spaces
     * and underscores; a row with {@link #ANY_REASON} takes every reason of its status.
     */
    static final Map<String, Row> IDENTIFICATION_STATUS = Map.of(
            // KycIdentification.Created, "KYC Identification step is started by the customer": still in the IDV flow
            "awaiting/unfinished", new Row(CaseStatus.IN_PROGRESS, NextAction.COMPLETE_VERIFICATION, null),
            // KycIdentification.Processed, "KYC Identification is completed by the customer": Ondato decides next
            "awaiting/processing", new Row(CaseStatus.IN_REVIEW, NextAction.WAIT, null),
            // KycIdentification.Approved, "manually or automatically approved"
            "approved/" + ANY_REASON, new Row(CaseStatus.APPROVED, NextAction.NONE, null),
            // KycIdentification.Rejected, "manually or automatically rejected": a new verification may follow
            "rejected/" + ANY_REASON, new Row(CaseStatus.REJECTED, NextAction.RESTART_KYC, null));

    /** The reason of a case whose customer has not reached the KYC identification step. */
    static final String NOT_STARTED = "IDENTIFICATION_NOT_STARTED";
    /** Flagged: the customer completed the verification, yet it names no KYC identification to decide on. */
    static final String COMPLETED_WITHOUT_IDENTIFICATION = "COMPLETED_WITHOUT_IDENTIFICATION";

    /**
     * Identity verification {@code status} → canonical status and next action, read only while the verification names
     * no KYC identification (one it names is the truth). Matched ignoring case, spaces and underscores.
     */
    static final Map<String, Row> VERIFICATION_STATUS = Map.of(
            // "User session was created, but the user did not start the flow"
            "pending", new Row(CaseStatus.ACTION_REQUIRED, NextAction.COMPLETE_VERIFICATION, NOT_STARTED),
            // "The user started the flow and it is currently in progress"
            "inprogress", new Row(CaseStatus.IN_PROGRESS, NextAction.COMPLETE_VERIFICATION, NOT_STARTED),
            // "postponed the session using Continue later feature and it can be resumed (back to in progress status)"
            "suspended", new Row(CaseStatus.ACTION_REQUIRED, NextAction.COMPLETE_VERIFICATION, NOT_STARTED),
            // "completed all the steps of the flow", but no identification says how: flagged for review, never guessed
            "completed", new Row(CaseStatus.IN_REVIEW, NextAction.WAIT, COMPLETED_WITHOUT_IDENTIFICATION),
            // "used UI controls to abort the session without completing the flow": only SUSPENDED is said to resume
            "aborted", new Row(CaseStatus.CANCELLED, NextAction.RESTART_KYC, NOT_STARTED),
            // "The user was inactive and the session has expired"
            "expired", new Row(CaseStatus.EXPIRED, NextAction.RESTART_KYC, NOT_STARTED));

    /** The answer to {@code POST /v1/identity-verifications}: the customer is sent to the IDV URL. */
    static final Row STARTED = new Row(CaseStatus.ACTION_REQUIRED, NextAction.COMPLETE_VERIFICATION, null);

    /*
     * What the inbox files each Ondato message as (inbound_message.message_type), besides its webhooks: ondato-process
     * routes on these. The two resources pulled after a webhook, then the answer of the hub's start.
     */
    public static final String IDENTITY_VERIFICATION = "identity-verification";
    public static final String IDENTIFICATION = "identification";
    public static final String IDENTITY_VERIFICATION_CREATED = "identity-verification-created";

    /** The calls the hub makes to Ondato: ondato-act routes on them. */
    public enum Action { CREATE_IDENTITY_VERIFICATION }

    private OndatoMapping() {
    }

    /**
     * The KYC identification pulled from the KYC ID API: the truth about the case of identity verification
     * {@code identityVerificationId} (authoritative: an update may move it out of APPROVED).
     *
     * @param status           the identification's {@code status} as Ondato sent it
     * @param statusReason     its {@code statusReason}, if any
     * @param rejectionReasons the rejection reasons it carries, if any
     * @param cause            the webhook event that made the hub pull it
     */
    public static CaseUpdate identification(String identityVerificationId, String customerId, String kycIdentificationId,
                                            String status, String statusReason, List<String> rejectionReasons,
                                            String idvUrl, String cause) {
        if (status == null) {
            throw new UnmappableMessageException("the Ondato identification has no status");
        }
        Row row = IDENTIFICATION_STATUS.get(word(status) + "/" + (statusReason == null ? "" : word(statusReason)));
        if (row == null) {
            row = IDENTIFICATION_STATUS.get(word(status) + "/" + ANY_REASON);
        }
        if (row == null) {
            throw new UnmappableMessageException("unknown Ondato identification status " + Quote.of(status)
                    + " with statusReason " + Quote.of(statusReason));
        }
        Map<String, Object> details = details(identityVerificationId, idvUrl);
        details.put("kycIdentificationId", kycIdentificationId);
        if (statusReason != null) {
            details.put("statusReason", statusReason);
        }
        List<String> reasons = row.status() == CaseStatus.REJECTED ? rejectionReasons : List.of();
        return new CaseUpdate(PROVIDER, identityVerificationId, customerId, row.status(), row.nextAction(), reasons,
                status, cause, details, null, null, true, null, null);
    }

    /**
     * The identity verification pulled from the IDV API when it names no KYC identification yet: its status says where
     * the customer is ({@link #VERIFICATION_STATUS}). Not authoritative: the absence of a step never overwrites a
     * verdict.
     */
    public static CaseUpdate withoutIdentification(String identityVerificationId, String customerId,
                                                   String verificationStatus, String idvUrl, String cause) {
        if (verificationStatus == null) {
            throw new UnmappableMessageException("the Ondato identity verification has no status");
        }
        Row row = VERIFICATION_STATUS.get(word(verificationStatus));
        if (row == null) {
            throw new UnmappableMessageException("unknown Ondato identity verification status "
                    + Quote.of(verificationStatus));
        }
        Map<String, Object> details = details(identityVerificationId, idvUrl);
        details.put("identityVerificationStatus", verificationStatus);
        return new CaseUpdate(PROVIDER, identityVerificationId, customerId, row.status(), row.nextAction(),
                List.of(row.reason()), verificationStatus, cause, details, null, null, false, null, null);
    }

    /** The verification the hub started: the IDV URL becomes the case's COMPLETE_VERIFICATION action. */
    public static CaseUpdate started(String identityVerificationId, String customerId, String idvUrl) {
        return new CaseUpdate(PROVIDER, identityVerificationId, customerId, STARTED.status(), STARTED.nextAction(),
                List.of(), null, "IDENTITY_VERIFICATION_CREATED", details(identityVerificationId, idvUrl), null, null,
                false, null, null);
    }

    /**
     * What a webhook of that type is about, as the name of its {@link Event}; null for a type the table does not hold
     * (kept FAILED, never guessed). A name, not the enum, because the route compares it with a literal: Camel compares
     * a String with a String directly, where an enum against a String went through its type-converter registry on
     * every message (a walk over every converter: an eighth of the inbox workers' CPU in profile.sh's drain path).
     */
    public static String event(String type) {
        Event event = type == null ? null : EVENTS.get(type);
        return event == null ? null : event.name();
    }

    /** The customer's IDV URL: {@code {id}} in the template replaced by the verification id. */
    public static String idvUrl(String template, String identityVerificationId) {
        return template.replace("{id}", identityVerificationId);
    }

    /** A status word as the tables hold it: Ondato writes "in progress", "InProgress" and "SUSPENDED" alike. */
    static String word(String value) {
        return value.toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "");
    }

    private static Map<String, Object> details(String identityVerificationId, String idvUrl) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("identityVerificationId", identityVerificationId);
        details.put("idvUrl", idvUrl);
        return details;
    }
}
