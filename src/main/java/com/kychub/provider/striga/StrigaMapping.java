package com.kychub.provider.striga;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;

/**
 * Striga's VerificationStatus in the canonical vocabulary. The table reads side by side with the enum in
 * provider doc 004; a value that is not in it is never guessed.
 */
public final class StrigaMapping {

    public static final String PROVIDER = "striga";

    /**
     * The fields of Striga's messages (webhook and {@code GET /v1/user/kyc/{userId}}) and of the case details this
     * package writes that are not personal: ids, statuses, tiers, rejection codes, times. Every other value is
     * redacted on erasure and by retention ({@code com.kychub.privacy.Redaction}); the rejection comments are free
     * text and are redacted.
     */
    public static final Set<String> NOT_PERSONAL = Set.of("userId", "status", "details", "rejectionFinal",
            "currentTier", "ts", "type", "eventType", "createdAt", "updatedAt");


    record Canonical(CaseStatus status, NextAction nextAction) {
    }

    static final Map<String, Canonical> STATUSES = Map.of(
            "NOT_STARTED", new Canonical(CaseStatus.NOT_STARTED, NextAction.START_KYC),
            // "Start KYC" was called and the SumSub token fetched: the user is in the hosted flow.
            "INITIATED", new Canonical(CaseStatus.IN_PROGRESS, NextAction.COMPLETE_VERIFICATION),
            "PENDING_REVIEW", new Canonical(CaseStatus.IN_REVIEW, NextAction.WAIT),
            // Manual review by Striga's compliance team.
            "ON_HOLD", new Canonical(CaseStatus.IN_REVIEW, NextAction.WAIT),
            "APPROVED", new Canonical(CaseStatus.APPROVED, NextAction.NONE),
            // "require re-submission of documents": the user starts the flow again.
            "REJECTED", new Canonical(CaseStatus.REJECTED, NextAction.RESTART_KYC),
            "REJECTED_FINAL", new Canonical(CaseStatus.REJECTED_FINAL, NextAction.NONE));

    /** REJECTED with {@code rejectionFinal: true}: "the user cannot be verified". */
    static final Canonical REJECTED_AND_FINAL = new Canonical(CaseStatus.REJECTED_FINAL, NextAction.NONE);

    /**
     * What the inbox files the answer of Striga's Get KYC Status API as ({@code inbound_message.message_type});
     * webhooks are {@code webhook}. striga-process routes on it.
     */
    public static final String KYC_STATUS = "kyc-status";

    /** The statuses that are Striga's verdict on the user. */
    static final Set<String> VERDICTS = Set.of("APPROVED", "REJECTED", "REJECTED_FINAL");

    private StrigaMapping() {
    }

    /** A webhook: it says when it happened ({@code ts}) or else it is ordered by the rules of the store. */
    public static CaseUpdate toCanonical(StrigaEvent event) {
        if (event.userId() == null || event.userId().isBlank()) {
            throw new UnmappableMessageException("Striga webhook without userId");
        }
        return canonical(event, event.userId(), false);
    }

    /**
     * The answer of Get KYC Status for {@code userId}: Striga's current truth about the user, applied whatever the
     * case says (authoritative), as the settlement of a verdict webhook without {@code ts} and as reconciliation.
     */
    public static CaseUpdate fromStatusApi(StrigaEvent answer, String userId) {
        if (answer.userId() != null && !answer.userId().equals(userId)) {
            throw new UnmappableMessageException("Striga's KYC status answer is about another user");
        }
        return canonical(answer, userId, true);
    }

    /**
     * A verdict webhook without {@code ts} cannot be ordered against the verdicts the case already holds (a retried
     * REJECTED delivered after APPROVED would win): with the status API configured, the hub asks Striga instead.
     */
    public static boolean isVerdictWithoutTime(StrigaEvent event) {
        return event.status() != null && VERDICTS.contains(event.status()) && timestamp(event.ts()) == null;
    }

    private static CaseUpdate canonical(StrigaEvent event, String userId, boolean authoritative) {
        Canonical canonical = event.status() == null ? null : STATUSES.get(event.status());
        if (canonical == null) {
            throw new UnmappableMessageException("unknown Striga status " + Quote.of(event.status()));
        }
        if ("REJECTED".equals(event.status()) && Boolean.TRUE.equals(event.rejectionFinal())) {
            canonical = REJECTED_AND_FINAL;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        putIfPresent(details, "rejectionComments", event.rejectionComments());
        putIfPresent(details, "rejectionFinal", event.rejectionFinal());
        putIfPresent(details, "currentTier", event.currentTier());
        putIfPresent(details, "tier0", event.tier0());
        putIfPresent(details, "tier1", event.tier1());
        putIfPresent(details, "tier2", event.tier2());
        putIfPresent(details, "tier3", event.tier3());
        // Striga's userId is the id the fintech got from Striga's create-user call and keeps for that customer.
        return new CaseUpdate(PROVIDER, userId, userId, canonical.status(), canonical.nextAction(), event.details(),
                event.status(), event.status(), details, null, timestamp(event.ts()), authoritative, null, null);
    }

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * {@code ts} of newer payloads: epoch seconds or milliseconds, or ISO-8601; anything else is ignored, and so is an
     * instant before 1970 or after 9999, which no Striga message carries (and PostgreSQL could not store).
     */
    static Instant timestamp(JsonNode ts) {
        if (ts == null || ts.isNull()) {
            return null;
        }
        Instant instant;
        try {
            if (ts.isNumber()) {
                if (!ts.canConvertToLong()) {
                    return null;
                }
                long value = ts.asLong();
                instant = value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
            } else {
                instant = Instant.parse(ts.asText());
            }
        } catch (DateTimeException e) {
            return null;
        }
        return instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST) ? null : instant;
    }

    private static void putIfPresent(Map<String, Object> details, String name, Object value) {
        if (value != null && !(value instanceof JsonNode node && node.isNull())) {
            details.put(name, value);
        }
    }
}
