package com.kychub.provider.ondato;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.Customers;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.OnboardingStarter;
import com.kychub.canonical.ProviderAction;
import com.kychub.canonical.ProviderNotConfiguredException;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.Inbox;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.StringUtils;

/**
 * What the hub does with what comes in for Ondato: the fintech's start ({@link #start}: unless the customer's last
 * case is still open, the case {@code customer:<customerId>} is opened and the action worker creates an identity
 * verification), then each kind of
 * Ondato message, in {@code ondato-process} ({@code routes/ondato-kyc.camel.yaml}) inside the inbox worker's
 * transaction:
 * <ul>
 * <li>a webhook names the identity verification it is about; the route pulls that verification from the IDV API and
 * {@link #storeVerification} puts the answer in the inbox, caused by the webhook. A {@code KycIdentification.*} event
 * that names only its identification ({@code payload.id}) has that identification pulled instead: it names its
 * verification, and {@link #storeIdentification} puts it in the inbox;</li>
 * <li>a pulled identity verification names its KYC identification ({@code step.kycIdentification.id}); the route
 * pulls it from the KYC ID API and {@link #storeIdentification} puts it in the inbox. Without one the customer has
 * not reached that step: {@link #withoutIdentification};</li>
 * <li>a pulled identification is the truth about the case: {@link OndatoMapping};</li>
 * <li>the answer to the hub's {@code POST /v1/identity-verifications} names the case and gives the IDV URL.</li>
 * </ul>
 * Pulled answers are stored as received (they hold personal data: names, documents, dates of birth); only ids,
 * statuses and rejection reasons leave them.
 */
@Component
public class OndatoProcess implements OnboardingStarter {

    static final String PROVIDER = OndatoMapping.PROVIDER;
    /** The reference of a case opened before Ondato assigned a verification id. */
    static final String BEFORE_VERIFICATION = "customer:";

    private final Customers customers;
    private final CanonicalStore store;
    private final CaseQueries cases;
    private final Inbox inbox;
    private final ObjectMapper json;
    private final KycProperties.Ondato settings;

    public OndatoProcess(Customers customers, CanonicalStore store, CaseQueries cases, Inbox inbox,
                        ObjectMapper json, KycProperties properties) {
        this.customers = customers;
        this.store = store;
        this.cases = cases;
        this.inbox = inbox;
        this.json = json;
        this.settings = properties.providers().ondato();
    }

    @Override
    public String provider() {
        return OndatoMapping.PROVIDER;
    }

    /**
     * The customer's Ondato case that is still open (not finished, {@link CaseStatus#isFinished}) when there is one:
     * asked again, that verification goes on and nothing new starts. Otherwise (a first start, or the last
     * verification rejected, expired, aborted or decided) a new case opens and a new identity verification is created;
     * the old cases keep their status.
     */
    @Override
    @Transactional
    public UUID start(String customerId) {
        if (!StringUtils.hasText(settings.setupId())) {
            // Better said now than by a start call that can only die.
            throw new ProviderNotConfiguredException("Ondato is not configured: KYC_ONDATO_SETUP_ID is not set");
        }
        List<CaseView> ondatoCases = cases.casesOfCustomer(customerId).stream()
                .filter(kycCase -> PROVIDER.equals(kycCase.provider())).toList();
        Optional<CaseView> open = ondatoCases.stream().filter(kycCase -> !kycCase.status().isFinished()).findFirst();
        if (open.isPresent()) {
            return open.get().id();
        }
        CaseUpdate opening = new CaseUpdate(PROVIDER, BEFORE_VERIFICATION + customerId, customerId,
                CaseStatus.IN_PROGRESS, NextAction.WAIT, List.of(), null, "ONBOARDING_REQUESTED", null, null, null,
                false, List.of(createVerification(ondatoCases.size() + 1)), null);
        return store.apply(opening, null).caseId();
    }

    /**
     * The call creating the customer's n-th identity verification. An action of a name already done is never made
     * again, so each verification's call has a name of its own; the first keeps the name it always had.
     */
    static ProviderAction createVerification(int ordinal) {
        return ordinal == 1 ? ProviderAction.of(OndatoMapping.Action.CREATE_IDENTITY_VERIFICATION, null)
                : ProviderAction.of(OndatoMapping.Action.CREATE_IDENTITY_VERIFICATION, null, ordinal);
    }

    /**
     * The identity verification a {@code KycIdentification.*} event names ({@code payload.identityVerificationId});
     * null when it names only its identification ({@code payload.id}), which then has to be pulled to learn it.
     */
    public String verificationOfIdentificationEvent(@Body OndatoEnvelope webhook) {
        JsonNode named = OndatoEnvelope.field(webhook.payload(), "identityVerificationId");
        if (named == null || named.isNull()) {
            identificationOfEvent(webhook);
            return null;
        }
        return payloadId(webhook, "identityVerificationId");
    }

    /** The KYC identification a {@code KycIdentification.*} event is about: the payload is that resource, its id. */
    public String identificationOfEvent(@Body OndatoEnvelope webhook) {
        return payloadId(webhook, "id");
    }

    /**
     * The identity verification a KYC identification pulled from the KYC ID API belongs to: the resource names it in
     * {@code identityVerificationId} (Ondato's KycIdentification webhook examples, whose payload is that resource).
     */
    public String verificationOfIdentification(@Body String identification) {
        String id = OndatoEnvelope.text(read(identification), "identityVerificationId");
        if (id == null || !OndatoClient.ID.matcher(id).matches()) {
            throw new UnmappableMessageException("the Ondato identification names no valid identityVerificationId");
        }
        return id;
    }

    /** IdentityVerification.* and Idv.* events carry the IDV resource itself: its {@code payload.id}. */
    public String verificationOfVerificationEvent(@Body OndatoEnvelope webhook) {
        return payloadId(webhook, "id");
    }

    public void unknownEvent(@Body OndatoEnvelope webhook) {
        throw new UnmappableMessageException("unknown Ondato event type " + Quote.of(webhook.type()));
    }

    /** Stores the identity verification pulled after a webhook in the inbox, as caused by that webhook. */
    public List<CaseUpdate> storeVerification(@Body String answer, @Variable("subject") String verificationId,
                                              @Variable("inboxMessageId") Long webhookMessageId) {
        inbox.storePolled(PROVIDER, OndatoMapping.IDENTITY_VERIFICATION, verificationId, webhookMessageId,
                "verification:" + verificationId + ":after:" + webhookMessageId, answer);
        return List.of();
    }

    /** The KYC identification a pulled identity verification names, or null when it names none yet. */
    public String kycIdentificationId(@Body String verification) {
        JsonNode id = OndatoEnvelope.field(OndatoEnvelope.field(OndatoEnvelope.field(read(verification), "step"),
                "kycIdentification"), "id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual() || !OndatoClient.ID.matcher(id.asText()).matches()) {
            throw new UnmappableMessageException("the identity verification's step.kycIdentification.id is not an id");
        }
        return id.asText();
    }

    /**
     * Stores the identification pulled for an identity verification, as caused by the message that made the hub pull
     * it (the verification's, or a webhook that named only the identification).
     */
    public List<CaseUpdate> storeIdentification(@Body String answer, @Variable("subject") String verificationId,
                                                @Variable("kycIdentificationId") String kycIdentificationId,
                                                @Variable("inboxMessageId") Long causeMessageId) {
        inbox.storePolled(PROVIDER, OndatoMapping.IDENTIFICATION, verificationId, causeMessageId,
                "identification:" + kycIdentificationId + ":after:" + causeMessageId, answer);
        return List.of();
    }

    /** An identity verification the customer has not taken to the identification step: the IDV URL is the way on. */
    public CaseUpdate withoutIdentification(@Body String verification, @Variable("subject") String verificationId,
                                            @Variable("inboxMessageId") Long messageId) {
        String status = OndatoEnvelope.text(read(verification), "status");
        return OndatoMapping.withoutIdentification(verificationId, customerOf(verificationId), status,
                idvUrl(verificationId), causeOf(messageId));
    }

    /** A KYC identification pulled from the KYC ID API: the truth. */
    public CaseUpdate onIdentification(@Body String body, @Variable("subject") String verificationId,
                                       @Variable("inboxMessageId") Long messageId) {
        JsonNode identification = read(body);
        OndatoClient.id(verificationId);
        return OndatoMapping.identification(verificationId, customerOf(verificationId),
                OndatoEnvelope.text(identification, "id"), OndatoEnvelope.text(identification, "status"),
                OndatoEnvelope.text(identification, "statusReason"), rejectionReasons(identification),
                idvUrl(verificationId), causeOf(messageId));
    }

    /**
     * The answer to {@code POST /v1/identity-verifications} (subject: the fintech's customer id): links the customer
     * to the verification, names the case after it and keeps the IDV URL as the case's COMPLETE_VERIFICATION action.
     */
    public CaseUpdate onVerificationCreated(@Body String body, @Variable("subject") String customerId) {
        String verificationId = OndatoEnvelope.text(read(body), "id");
        if (verificationId == null || !OndatoClient.ID.matcher(verificationId).matches()) {
            throw new UnmappableMessageException("the identity-verification answer has no 'id'");
        }
        customers.linkByCustomer(PROVIDER, customerId).ifPresentOrElse(
                link -> customers.setCurrentRef(PROVIDER, link.providerCustomerId(), verificationId),
                () -> customers.link(PROVIDER, verificationId, customerId, verificationId));
        store.renameCase(PROVIDER, BEFORE_VERIFICATION + customerId, verificationId);
        return OndatoMapping.started(verificationId, customerId, idvUrl(verificationId));
    }

    public void unknownMessage(@Variable("messageType") String messageType) {
        throw new UnmappableMessageException("unknown Ondato message type " + Quote.of(messageType));
    }

    /**
     * Rejection reasons as the identification carries them: {@code rejectionReasons} (strings, or objects with a
     * {@code reason}, {@code code} or {@code name}) or a single {@code rejectionReason}; kept only when present.
     */
    static List<String> rejectionReasons(JsonNode identification) {
        List<String> reasons = new ArrayList<>();
        JsonNode list = OndatoEnvelope.field(identification, "rejectionReasons");
        if (list != null && list.isArray()) {
            for (JsonNode reason : list) {
                String text = reason.isTextual() ? reason.asText() : firstText(reason, "reason", "code", "name");
                if (text != null && !text.isBlank()) {
                    reasons.add(text);
                }
            }
        }
        String single = OndatoEnvelope.text(identification, "rejectionReason");
        if (single != null && !reasons.contains(single)) {
            reasons.add(single);
        }
        return reasons;
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            String text = OndatoEnvelope.text(node, name);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    private static String payloadId(OndatoEnvelope webhook, String field) {
        String id = OndatoEnvelope.text(webhook.payload(), field);
        if (id == null || !OndatoClient.ID.matcher(id).matches()) {
            throw new UnmappableMessageException("Ondato " + Quote.of(webhook.type()) + " without a valid payload." + field);
        }
        return id;
    }

    /**
     * The fintech's customer of a verification: the one of its case, or of the link the hub made when it started
     * it. A verification started outside the hub gets a customer of its own, named by the verification id.
     */
    private String customerOf(String verificationId) {
        return cases.findCases(PROVIDER, verificationId, 1).stream().findFirst()
                .map(CaseView::customerId)
                .or(() -> customers.linkByProviderId(PROVIDER, verificationId).map(Customers.ProviderLink::customerId))
                .orElseGet(() -> customers.link(PROVIDER, verificationId, verificationId, verificationId).customerId());
    }

    private String idvUrl(String verificationId) {
        return OndatoMapping.idvUrl(settings.idvUrlTemplate(), verificationId);
    }

    /** The event type of the webhook at the start of this message's chain of pulls, if a webhook started it. */
    private String causeOf(Long messageId) {
        if (messageId == null) {
            return null;
        }
        return inbox.webhookBehind(messageId).map(webhook -> OndatoEnvelope.text(read(webhook), "type")).orElse(null);
    }

    private JsonNode read(String body) {
        return OndatoEnvelope.object(json, body);
    }
}
