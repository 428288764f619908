package com.kychub.provider.ondato;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.UnmappableMessageException;

/**
 * Ondato's words in the canonical vocabulary, to be read against provider doc 003. The doc lists no status values of
 * the KYC identification resource: the table holds the ones its event names imply (KycIdentification.Created,
 * Processed, Approved, Rejected). Any other value is never guessed: the message is kept as FAILED.
 */
public final class OndatoMapping {

    public static final String PROVIDER = "ondato";

    /** What a webhook is about, by its type: which resource its payload is (see {@link #EVENTS}). */
    public enum Event {
        /** {@code KycIdentification.*}: the payload names its identity verification ({@code identityVerificationId}) */
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

    /** A row of the table: the canonical status and next action of one identification status. */
    record Row(CaseStatus status, NextAction nextAction) {
    }

    /** Identification {@code status} (matched ignoring case) → canonical status and next action. */
    static final Map<String, Row> IDENTIFICATION_STATUS = Map.of(
            // "new identification is started by the customer": they are still in the IDV flow
            "created", new Row(CaseStatus.IN_PROGRESS, NextAction.COMPLETE_VERIFICATION),
            // "identification is completed by the customer": Ondato decides next
            "processed", new Row(CaseStatus.IN_REVIEW, NextAction.WAIT),
            // "manually or automatically identified"
            "approved", new Row(CaseStatus.APPROVED, NextAction.NONE),
            // "manually or automatically unidentified": a new verification may follow
            "rejected", new Row(CaseStatus.REJECTED, NextAction.RESTART_KYC));

    /** An identity verification without a KYC identification yet: the customer has not reached that step. */
    static final Row WITHOUT_IDENTIFICATION = new Row(CaseStatus.ACTION_REQUIRED, NextAction.COMPLETE_VERIFICATION);

    /** The answer to {@code POST /v1/identity-verifications}: the customer is sent to the IDV URL. */
    static final Row STARTED = new Row(CaseStatus.ACTION_REQUIRED, NextAction.COMPLETE_VERIFICATION);

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
     * @param rejectionReasons the rejection reasons it carries, if any
     * @param cause            the webhook event that made the hub pull it
     */
    public static CaseUpdate identification(String identityVerificationId, String customerId, String kycIdentificationId,
                                            String status, List<String> rejectionReasons, String idvUrl,
                                            String cause) {
        if (status == null) {
            throw new UnmappableMessageException("the Ondato identification has no status");
        }
        Row row = IDENTIFICATION_STATUS.get(status.toLowerCase(Locale.ROOT));
        if (row == null) {
            throw new UnmappableMessageException("unknown Ondato identification status '" + status + "'");
        }
        Map<String, Object> details = details(identityVerificationId, idvUrl);
        details.put("kycIdentificationId", kycIdentificationId);
        List<String> reasons = row.status() == CaseStatus.REJECTED ? rejectionReasons : List.of();
        return new CaseUpdate(PROVIDER, identityVerificationId, customerId, row.status(), row.nextAction(), reasons,
                status, cause, details, null, null, true, null, null);
    }

    /**
     * The identity verification pulled from the IDV API when it names no KYC identification yet: the customer still
     * has to go through the IDV flow. Not authoritative: the absence of a step never overwrites a verdict.
     */
    public static CaseUpdate withoutIdentification(String identityVerificationId, String customerId,
                                                   String verificationStatus, String idvUrl, String cause) {
        Map<String, Object> details = details(identityVerificationId, idvUrl);
        if (verificationStatus != null) {
            details.put("identityVerificationStatus", verificationStatus);
        }
        return new CaseUpdate(PROVIDER, identityVerificationId, customerId, WITHOUT_IDENTIFICATION.status(),
                WITHOUT_IDENTIFICATION.nextAction(), List.of("IDENTIFICATION_NOT_STARTED"), null, cause, details,
                null, null, false, null, null);
    }

    /** The verification the hub started: the IDV URL becomes the case's COMPLETE_VERIFICATION action. */
    public static CaseUpdate started(String identityVerificationId, String customerId, String idvUrl) {
        return new CaseUpdate(PROVIDER, identityVerificationId, customerId, STARTED.status(), STARTED.nextAction(),
                List.of(), null, "IDENTITY_VERIFICATION_CREATED", details(identityVerificationId, idvUrl), null, null,
                false, null, null);
    }

    /** What a webhook of that type is about; null for a type the table does not hold (kept FAILED, never guessed). */
    public static Event event(String type) {
        return type == null ? null : EVENTS.get(type);
    }

    /** The customer's IDV URL: {@code {id}} in the template replaced by the verification id. */
    public static String idvUrl(String template, String identityVerificationId) {
        return template.replace("{id}", identityVerificationId);
    }

    private static Map<String, Object> details(String identityVerificationId, String idvUrl) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("identityVerificationId", identityVerificationId);
        details.put("idvUrl", idvUrl);
        return details;
    }
}
