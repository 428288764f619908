package com.kychub.provider.argos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.ProviderReports;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.DedupKeys;
import com.kychub.inbound.Inbox;
import com.kychub.privacy.Erasure;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code argos-process} that need the store, run inside the inbox worker's transaction: the case is
 * read and locked first ({@link CaseQueries#lockCase}), {@link ArgosMapping} says what the message means, then the personal
 * data goes to ARGOS's report of the submission ({@link ProviderReports}) and the {@link CaseUpdate} back to the
 * worker, which writes it. For {@code delete}, the submission's personal data is erased everywhere the hub holds it,
 * through the same {@link Erasure} as the erasure API ({@link #erase}).
 */
@Component
public class ArgosProcess {

    private static final Logger log = LoggerFactory.getLogger(ArgosProcess.class);

    private final CaseQueries cases;
    private final ProviderReports reports;
    private final Inbox inbox;
    private final CanonicalStore store;
    private final Erasure erasure;
    private final ArgosWebhookAuth webhookAuth;
    private final ObjectMapper json;

    public ArgosProcess(CaseQueries cases, ProviderReports reports, Inbox inbox, CanonicalStore store,
                        Erasure erasure, ArgosWebhookAuth webhookAuth, ObjectMapper json) {
        this.cases = cases;
        this.reports = reports;
        this.inbox = inbox;
        this.erasure = erasure;
        this.store = store;
        this.webhookAuth = webhookAuth;
        this.json = json;
    }

    /**
     * The webhook JSON of a body the inbox stored: decrypted when it is {@code {"data": "<base64>"}}, as is when it
     * is plain (as ARGOS sent it, or as erasure rewrote it). A body that no longer decrypts (the key changed) is
     * unmappable: it stays FAILED until the key is fixed and it is replayed.
     */
    public String open(@Body String stored) {
        JsonNode tree = parse(stored);
        if (tree == null || !ArgosWebhookAuth.isEncrypted(tree)) {
            return stored;
        }
        ArgosEncryption encryption = webhookAuth.encryption();
        if (!encryption.enabled()) {
            throw new UnmappableMessageException(
                    "the stored ARGOS body is encrypted but kyc.providers.argos.encryption is none");
        }
        try {
            return new String(encryption.decrypt(tree.get("data").asText()), StandardCharsets.UTF_8);
        } catch (ArgosEncryption.UndecryptableException e) {
            throw new UnmappableMessageException(e.getMessage());
        }
    }

    /** The dedup key of a decrypted webhook, the same the door computed for it. */
    public String contentKey(@Body String webhook) {
        JsonNode tree = parse(webhook);
        if (tree == null) {
            throw new UnmappableMessageException("the stored ARGOS body is not JSON");
        }
        return DedupKeys.ofContent(json, tree);
    }

    /**
     * Every trigger but {@code delete}. A message of a submission ARGOS deleted before is recorded like any other:
     * the worker redacts it, with what it brought, in the same transaction ({@link Erasure#afterProcessed}).
     */
    public CaseUpdate apply(@Body ArgosEvent event) {
        Optional<CaseView> current = lock(event);
        CaseUpdate update = ArgosMapping.toCanonical(event, current.orElse(null));
        reports.record(update.customerId(), ArgosMapping.PROVIDER, update.providerRef(),
                ArgosMapping.personalData(event), ArgosMapping.personalDataAsOf(event, update));
        return update;
    }

    /** A submission pulled from {@code GET /submission} (stored without personal fields): the truth. */
    public CaseUpdate onSubmission(@Body String answer, @Variable("subject") String submissionId) {
        JsonNode tree = parse(answer);
        if (tree == null) {
            throw new UnmappableMessageException("ARGOS's submission answer is not JSON");
        }
        return ArgosMapping.fromSubmission(tree, submissionId,
                cases.lockCase(ArgosMapping.PROVIDER, submissionId).orElse(null));
    }

    /**
     * {@code delete}: erases the submission's personal data ({@link Erasure#eraseCase}: ARGOS's report of it, its raw
     * messages, the case's details and checks) and records one {@code DATA_ERASED} event, whose detail says when
     * ARGOS deleted it and what was erased; ARGOS's {@code account_email} and {@code comment} are kept beside the
     * event ({@link CanonicalStore#recordPersonalDetail}), where erasure reaches them. The status is kept, and the
     * case stays marked erased, so later messages of the submission are redacted as they are processed.
     */
    public CaseUpdate erase(@Body ArgosEvent event, @Variable("dedupKey") String dedupKey) {
        Optional<CaseView> current = lock(event);
        CaseUpdate update = ArgosMapping.toCanonical(event, current.orElse(null));
        Long messageId = inbox.idOf(ArgosMapping.PROVIDER, dedupKey).orElse(null);

        UUID caseId;
        if (current.isPresent()) {
            caseId = current.get().id();
            store.markErased(caseId, update.providerDetails());
        } else {
            // A submission the hub has no case for: its case is opened (with no result) to stand as the record
            // that it was erased, so that a late message of it is redacted too.
            caseId = store.apply(update, messageId).caseId();
        }
        Map<String, Integer> rows = erasure.eraseCase(caseId);

        Map<String, Object> detail = new LinkedHashMap<>();
        putIfPresent(detail, "deleteTime", event.deleteTime());
        detail.put("rows", rows);
        long eventId = store.recordErasure(caseId, event.webhookTrigger(), messageId, detail);
        Map<String, Object> personal = new LinkedHashMap<>();
        putIfPresent(personal, "accountEmail", event.accountEmail());
        putIfPresent(personal, "comment", event.comment());
        store.recordPersonalDetail(eventId, personal);
        log.info("ARGOS submission erased: case {}, {} inbox messages redacted", caseId, rows.get("inbound_message"));
        // The worker writes the update next: with the details as erasure left them, it changes nothing.
        Map<String, Object> erasedDetails = cases.findCase(caseId).map(CaseView::providerDetails)
                .orElse(update.providerDetails());
        return new CaseUpdate(update.provider(), update.providerRef(), update.customerId(), update.status(),
                update.nextAction(), update.reasons(), update.providerStatus(), update.providerEvent(),
                erasedDetails, update.checks(), update.occurredAt(), update.authoritative(), update.actions(),
                update.pollEvery());
    }

    private Optional<CaseView> lock(ArgosEvent event) {
        String submission = event.submissionId();
        return submission == null || submission.isBlank()
                ? Optional.empty() : cases.lockCase(ArgosMapping.PROVIDER, submission);
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static void putIfPresent(Map<String, Object> map, String name, String value) {
        if (value != null && !value.isBlank()) {
            map.put(name, value);
        }
    }
}
