package com.kychub.provider.connectfi;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.action.ProviderActions;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.Customers;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.OnboardingStarter;
import com.kychub.canonical.ProviderAction;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.Inbox;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the hub does with what comes in for Connect Financial: the fintech's start ({@link #start}: the case is opened
 * and, when the customer is not at Connect Financial yet, the action worker creates them with the KYC data the hub
 * holds), then each kind of Connect Financial message, in {@code connectfi-process}
 * ({@code routes/connectfi-kyc.camel.yaml}) inside the inbox worker's transaction:
 * <ul>
 * <li>a webhook keeps track of the customer's onboardings (the first one names the case, a restart closes the old
 * case), then the route pulls the compliance status, which {@link #storeStatus} puts in the inbox;</li>
 * <li>a compliance status (pulled after a webhook or by the poller) is the truth: read here, decided by
 * {@code routes/connectfi-status.camel.yaml} with {@link ConnectfiMapping};</li>
 * <li>the answers of the hub's own calls link the customer (correcting a link the CUSTOMER_CREATED webhook made
 * first; the route then pulls the status) and keep the SDK link of a started or rerun KYC on the case of the
 * onboarding it is for.</li>
 * </ul>
 */
@Component
public class ConnectfiProcess implements OnboardingStarter {

    static final String PROVIDER = ConnectfiMapping.PROVIDER;
    /** The reference of a case opened before Connect Financial assigned an onboarding id. */
    static final String BEFORE_ONBOARDING = "customer:";
    private static final Pattern DOC_ELLIPSIS = Pattern.compile(",?\\s*\\.\\.\\.\\s*(?=[\\]}])");

    private final Customers customers;
    private final CanonicalStore store;
    private final CaseQueries cases;
    private final Inbox inbox;
    private final ProviderActions actions;
    private final ObjectMapper json;
    private final KycProperties.Connectfi settings;

    public ConnectfiProcess(Customers customers, CanonicalStore store, CaseQueries cases, Inbox inbox,
                            ProviderActions actions, ObjectMapper json, KycProperties properties) {
        this.customers = customers;
        this.store = store;
        this.cases = cases;
        this.inbox = inbox;
        this.actions = actions;
        this.json = json;
        this.settings = properties.providers().connectfi();
    }

    @Override
    public String provider() {
        return ConnectfiMapping.PROVIDER;
    }

    @Override
    @Transactional
    public UUID start(String customerId) {
        Customers.ProviderLink link = customers.linkByCustomer(ConnectfiMapping.PROVIDER, customerId).orElse(null);
        String ref = link != null && link.currentRef() != null
                ? link.currentRef() : ConnectfiProcess.BEFORE_ONBOARDING + customerId;
        var existing = cases.findCases(ConnectfiMapping.PROVIDER, ref, 1);
        if (!existing.isEmpty()) {
            store.pollSoon(ConnectfiMapping.PROVIDER, ref);
            return existing.get(0).id();
        }
        boolean create = link == null && settings.actions().createCustomer();
        CaseUpdate opening = new CaseUpdate(ConnectfiMapping.PROVIDER, ref, customerId,
                create || link != null ? CaseStatus.IN_PROGRESS : CaseStatus.NOT_STARTED,
                create || link != null ? NextAction.WAIT : NextAction.START_KYC,
                create || link != null ? List.of() : List.of("CUSTOMER_NOT_AT_PROVIDER"),
                null, "ONBOARDING_REQUESTED", null, null, null, false,
                create ? List.of(ProviderAction.of(ConnectfiMapping.Action.CREATE_CUSTOMER, null)) : null, settings.pollPeriod());
        UUID caseId = store.apply(opening, null).caseId();
        if (link != null) {
            store.pollSoon(ConnectfiMapping.PROVIDER, ref);
        }
        return caseId;
    }

    /**
     * Keeps track of the customer's onboardings. The case of a customer is keyed by the onboarding id: the first
     * onboarding id renames the case opened before it; CUSTOMER_KYC_RESTARTED closes the previous onboarding's
     * case (CANCELLED) and makes the new onboarding current, so the pull that follows opens its case.
     */
    public List<CaseUpdate> onWebhook(@Body ConnectfiEvent webhook) {
        if (!ConnectfiMapping.EVENTS.contains(webhook.eventType())) {
            throw new UnmappableMessageException("unknown Connect Financial event type " + Quote.of(webhook.eventType()));
        }
        ConnectfiEvent.Data data = webhook.data();
        Customers.ProviderLink link = linkOf(data.customerId());
        String onboardingId = data.onboardingId();
        List<CaseUpdate> updates = new ArrayList<>();
        if (onboardingId == null || onboardingId.equals(link.currentRef())) {
            return updates;
        }
        if ("CUSTOMER_KYC_RESTARTED".equals(webhook.eventType()) && data.previousOnboardingId() != null) {
            updates.add(restarted(link, data.previousOnboardingId(), onboardingId, webhook.eventType()));
        } else if (beforeOnboarding(link)) {
            firstOnboarding(link, onboardingId);
        }
        // Otherwise: a late message about an older onboarding; the pull below still tells the current truth.
        return updates;
    }

    /**
     * Stores the compliance status pulled after a webhook (or after the customer-created answer) in the inbox, as
     * caused by that message.
     */
    public void storeStatus(@Body String status, @Variable("subject") String connectfiCustomerId,
                            @Variable("inboxMessageId") Long webhookMessageId) {
        inbox.storePolled(PROVIDER, ConnectfiMapping.COMPLIANCE_STATUS, connectfiCustomerId, webhookMessageId,
                "status:" + connectfiCustomerId + ":after:" + webhookMessageId, status);
    }

    /**
     * A compliance status, the truth about the customer's current case, read against what the hub holds for the
     * customer: {@code connectfi-status} decides what it means.
     */
    public ConnectfiVerdict readStatus(@Body String body, @Variable("subject") String connectfiCustomerId,
                                       @Variable("inboxMessageId") Long messageId) {
        ConnectfiStatus status = parseStatus(json, body);
        Customers.ProviderLink link = linkOf(connectfiCustomerId);
        String ref = currentRef(link);
        Map<String, Object> carried = new LinkedHashMap<>();
        cases.findCases(PROVIDER, ref, 1).stream().findFirst().map(CaseView::providerDetails)
                .ifPresent(details -> {
                    if (details.get("sdk") != null) {
                        carried.put("sdk", details.get("sdk"));
                    }
                });
        JsonNode cause = causeOf(messageId);
        ConnectfiContext context = new ConnectfiContext(ref, link.customerId(), connectfiCustomerId,
                ref.startsWith(BEFORE_ONBOARDING) ? null : ref,
                customers.heldKycFields(link.customerId()), customers.heldDocuments(link.customerId()),
                customers.updatedAt(link.customerId()).map(Instant::toEpochMilli).orElse(0L), carried,
                cause.path("eventType").asText(null), cause.path("data").path("status").asText(null),
                settings.external(), settings.actions(), settings.pollPeriod());
        return ConnectfiMapping.read(status, context);
    }

    /**
     * The answer to {@code POST /v1/customers}, whose request named the hub's customer ({@code externalId}): links
     * Connect Financial's customer id to that customer, whichever of this answer and the CUSTOMER_CREATED webhook is
     * processed first. The webhook names only Connect Financial's id ("Webhook Payload": {@code data.customerId}), so
     * processed first it linked the id to a customer named by that id, as for a customer created without the hub: this
     * answer moves that link ({@link #relink}). The route then pulls the status for the customer as now linked.
     */
    public List<CaseUpdate> onCustomerCreated(@Body String body, @Variable("subject") String customerId) {
        JsonNode answer = read(body);
        String connectfiCustomerId = createdCustomer(body);
        JsonNode externalId = answer.path("externalId");
        if (externalId.isTextual() && !externalId.asText().equals(customerId)) {
            throw new UnmappableMessageException("the customer-created answer's externalId is not the customer the hub "
                    + "created");
        }
        if (customers.linkByCustomer(PROVIDER, customerId)
                .filter(held -> !held.providerCustomerId().equals(connectfiCustomerId)).isPresent()) {
            throw new UnmappableMessageException("customer " + Quote.of(customerId) + " is linked to another Connect Financial "
                    + "customer already");
        }
        // Inserted, or the link a webhook made first (waited for when its transaction is still open).
        Customers.ProviderLink link = customers.link(PROVIDER, connectfiCustomerId, customerId,
                BEFORE_ONBOARDING + customerId);
        if (link.customerId().equals(customerId)) {
            return List.of();
        }
        if (!link.customerId().equals(connectfiCustomerId)) {
            throw new UnmappableMessageException("Connect Financial customer " + Quote.of(connectfiCustomerId)
                    + " is linked to customer " + Quote.of(link.customerId()) + " already");
        }
        return relink(link, customerId);
    }

    /** The Connect Financial customer id a customer-created answer gives: whose status the route pulls next. */
    public String createdCustomer(@Body String body) {
        return requiredText(read(body), "id", "customer-created answer");
    }

    /**
     * Corrects the link a webhook made before the answer, to a customer named by Connect Financial's id (the
     * placeholder). The link moves to the right customer (one link, not a second), and with it the calls planned for
     * the placeholder, so that none is made twice. The case made under the wrong link, if any, is closed where it was
     * written (CANCELLED, reason RELINKED, {@code relinkedTo}), its audit trail intact, and the hub customer's own case
     * (the one the fintech's start opened: its id and audit trail) carries on from it: its onboarding, status, checks
     * and SDK link.
     */
    private List<CaseUpdate> relink(Customers.ProviderLink wrong, String customerId) {
        String placeholder = wrong.customerId();
        String wrongRef = currentRef(wrong);
        String rightRef = beforeOnboarding(wrong) ? BEFORE_ONBOARDING + customerId : wrongRef;
        customers.relink(PROVIDER, wrong.providerCustomerId(), customerId, rightRef);
        actions.moveToCustomer(PROVIDER, placeholder, customerId);
        CaseView made = cases.findCases(PROVIDER, wrongRef, 1).stream().findFirst().orElse(null);
        if (made == null) {
            return List.of();
        }
        String closedRef = wrongRef;
        if (!beforeOnboarding(wrong)) {
            // The onboarding goes to the hub customer's case: the closed one keeps the reference it was opened with.
            closedRef = BEFORE_ONBOARDING + placeholder;
            if (!cases.findCases(PROVIDER, closedRef, 1).isEmpty()) {
                closedRef = closedRef + ":" + made.id();
            }
            store.renameCase(PROVIDER, wrongRef, closedRef);
            store.renameCase(PROVIDER, BEFORE_ONBOARDING + customerId, rightRef);
        }
        Map<String, Object> closedDetails = new LinkedHashMap<>(made.providerDetails());
        closedDetails.put("relinkedTo", customerId);
        boolean finished = made.status() == CaseStatus.APPROVED || made.status() == CaseStatus.REJECTED_FINAL
                || made.status() == CaseStatus.CANCELLED;
        return List.of(
                new CaseUpdate(PROVIDER, closedRef, placeholder, CaseStatus.CANCELLED, NextAction.NONE,
                        List.of("RELINKED"), made.providerStatus(), "CUSTOMER_CREATED",
                        closedDetails, null, null, true, null, null),
                new CaseUpdate(PROVIDER, rightRef, customerId, made.status(), made.nextAction(), made.reasons(),
                        made.providerStatus(), "CUSTOMER_CREATED", made.providerDetails(),
                        made.checks(), null, true, null, finished ? null : settings.pollPeriod()));
    }

    /**
     * The answer to {@code POST /v1/compliance/kyc}: names the case after the onboarding and keeps the SDK link and
     * QR code as the case's COMPLETE_VERIFICATION action (none under External KYC: documents come next).
     */
    public CaseUpdate onKycStarted(@Body String body, @Variable("subject") String connectfiCustomerId) {
        JsonNode answer = read(body);
        String onboardingId = requiredText(answer.path("onboarding"), "id", "KYC-started answer");
        Customers.ProviderLink link = linkOf(connectfiCustomerId);
        if (beforeOnboarding(link)) {
            firstOnboarding(link, onboardingId);
        }
        return started(link, onboardingId, answer, "KYC_STARTED");
    }

    /**
     * The answer to {@code POST /v1/compliance/kyc/:onboardingId/rerun}: "KYC re-run, new onboarding created", after
     * which the "Flow continues from Phase 2", so it answers what a start answers, a new onboarding and its SDK link.
     * The link becomes the COMPLETE_VERIFICATION action of the new onboarding's case whichever comes first: answered
     * before CUSTOMER_KYC_RESTARTED, the answer does what the restart does (the rerun onboarding's case CANCELLED, the
     * new one current) and opens the new case; after it, the link lands on the case the restart's pull opened. An
     * answer naming as rerun ({@code previousOnboardingId}) an onboarding that is no longer current is late: recorded.
     */
    public List<CaseUpdate> onKycRerun(@Body String body, @Variable("subject") String connectfiCustomerId) {
        JsonNode answer = read(body);
        String onboardingId = requiredText(answer.path("onboarding"), "id", "KYC-rerun answer");
        Customers.ProviderLink link = customers.linkByProviderId(PROVIDER, connectfiCustomerId)
                .orElseThrow(() -> new UnmappableMessageException("a KYC-rerun answer about no customer the hub knows"));
        List<CaseUpdate> updates = new ArrayList<>();
        if (beforeOnboarding(link)) {
            firstOnboarding(link, onboardingId);
        } else if (!onboardingId.equals(link.currentRef())) {
            String rerun = answer.path("previousOnboardingId").asText(link.currentRef());
            if (!rerun.equals(link.currentRef())) {
                return updates;
            }
            updates.add(restarted(link, rerun, onboardingId, "KYC_RERUN"));
        }
        updates.add(started(link, onboardingId, answer, "KYC_RERUN"));
        return updates;
    }

    /** Answers of calls that change no case by themselves (profile PATCH, uploads): kept in the inbox. */
    public List<CaseUpdate> recorded(@Body String body) {
        return List.of();
    }

    public void unknownMessage(@Variable("messageType") String messageType) {
        throw new UnmappableMessageException("unknown Connect Financial message type " + Quote.of(messageType));
    }

    /** The doc's own example carries a literal "..." among the checks: a real body may too. */
    static ConnectfiStatus parseStatus(ObjectMapper json, String body) {
        try {
            return json.readValue(DOC_ELLIPSIS.matcher(body).replaceAll(""), ConnectfiStatus.class);
        } catch (IOException e) {
            throw new UnmappableMessageException("the compliance status is not valid JSON: "
                    + e.getClass().getSimpleName());
        }
    }

    private Customers.ProviderLink linkOf(String connectfiCustomerId) {
        if (connectfiCustomerId == null || connectfiCustomerId.isBlank()) {
            throw new UnmappableMessageException("Connect Financial message without a customer id");
        }
        // A customer created at Connect Financial without the hub: their id is the customer id.
        return customers.linkByProviderId(PROVIDER, connectfiCustomerId)
                .orElseGet(() -> customers.link(PROVIDER, connectfiCustomerId, connectfiCustomerId, null));
    }

    /** The customer has no onboarding at Connect Financial yet: their case is still keyed by their customer id. */
    private static boolean beforeOnboarding(Customers.ProviderLink link) {
        return link.currentRef() == null || link.currentRef().startsWith(BEFORE_ONBOARDING);
    }

    /** The first onboarding names the case opened before it (same id, same audit trail) and becomes current. */
    private void firstOnboarding(Customers.ProviderLink link, String onboardingId) {
        store.renameCase(PROVIDER, currentRef(link), onboardingId);
        customers.setCurrentRef(PROVIDER, link.providerCustomerId(), onboardingId);
    }

    /** A new onboarding replaces the previous one: the previous one's case is closed, the new one is current. */
    private CaseUpdate restarted(Customers.ProviderLink link, String previousOnboardingId, String onboardingId,
                                 String providerEvent) {
        customers.setCurrentRef(PROVIDER, link.providerCustomerId(), onboardingId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("restartedAs", onboardingId);
        return new CaseUpdate(PROVIDER, previousOnboardingId, link.customerId(), CaseStatus.CANCELLED, NextAction.NONE,
                List.of("RESTARTED"), "RESTARTED", providerEvent, details, null, null, true, null, null);
    }

    /**
     * A started (or rerun) onboarding's case: the SDK link and QR code as its COMPLETE_VERIFICATION action, or, with
     * no link in the answer, waiting (flagged unless under External KYC, whose start answers none).
     */
    private CaseUpdate started(Customers.ProviderLink link, String onboardingId, JsonNode answer,
                               String providerEvent) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("onboardingId", onboardingId);
        JsonNode sdk = answer.path("sdk");
        if (sdk.hasNonNull("link")) {
            details.put("sdk", json.convertValue(sdk, Map.class));
            return new CaseUpdate(PROVIDER, onboardingId, link.customerId(), CaseStatus.ACTION_REQUIRED,
                    NextAction.COMPLETE_VERIFICATION, List.of(), providerEvent, providerEvent, details, null, null,
                    false, null, settings.pollPeriod());
        }
        List<String> reasons = settings.external() ? List.of() : List.of("NO_SDK_LINK_IN_ANSWER");
        return new CaseUpdate(PROVIDER, onboardingId, link.customerId(), CaseStatus.IN_PROGRESS, NextAction.WAIT,
                reasons, providerEvent, providerEvent, details, null, null, false, null, settings.pollPeriod());
    }

    private static String currentRef(Customers.ProviderLink link) {
        return link.currentRef() != null ? link.currentRef() : BEFORE_ONBOARDING + link.customerId();
    }

    /** The webhook that caused this pull, if a webhook did (a missing node otherwise). */
    private JsonNode causeOf(Long messageId) {
        if (messageId == null) {
            return json.missingNode();
        }
        return inbox.webhookBehind(messageId).map(this::read).orElse(json.missingNode());
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UnmappableMessageException("the answer is not valid JSON");
        }
    }

    private static String requiredText(JsonNode node, String field, String what) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new UnmappableMessageException("the " + what + " has no " + Quote.of(field));
        }
        return value.asText();
    }
}
