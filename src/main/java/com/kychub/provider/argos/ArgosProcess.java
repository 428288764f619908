package com.kychub.provider.argos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.PersonalData;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.DedupKeys;
import com.kychub.inbound.Inbox;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code argos-process} that need the store, run inside the inbox worker's transaction: the case is
 * read and locked first ({@link CaseQueries#lockCase}), {@link ArgosMapping} says what the message means, then the personal
 * data goes to the customer row ({@link PersonalData}) and the {@link CaseUpdate} back to the worker, which writes
 * it. For {@code delete}, the submission's personal data is erased everywhere the hub holds it ({@link #erase}).
 */
@Component
public class ArgosProcess {

    private static final Logger log = LoggerFactory.getLogger(ArgosProcess.class);

    /** Shorter values are not searched for in headers and errors (a two-letter code would match anything). */
    private static final int SEARCHED_VALUE_LENGTH = 3;

    private final CaseQueries cases;
    private final PersonalData personalData;
    private final Inbox inbox;
    private final CanonicalStore store;
    private final ArgosWebhookAuth webhookAuth;
    private final ObjectMapper json;

    public ArgosProcess(CaseQueries cases, PersonalData personalData, Inbox inbox,
                        CanonicalStore store, ArgosWebhookAuth webhookAuth, ObjectMapper json) {
        this.cases = cases;
        this.personalData = personalData;
        this.inbox = inbox;
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

    /** Every trigger but {@code delete}. */
    public CaseUpdate apply(@Body ArgosEvent event, @Variable("dedupKey") String dedupKey) {
        Optional<CaseView> current = lock(event);
        CaseUpdate update = ArgosMapping.toCanonical(event, current.orElse(null));
        if (current.map(ArgosProcess::erased).orElse(false)) {
            // ARGOS deleted this submission before: a late message of it leaves no personal data behind.
            inbox.idOf(ArgosMapping.PROVIDER, dedupKey).flatMap(inbox::stored)
                    .ifPresent(message -> scrub(message, true, new ArrayList<>()));
        } else {
            personalData.record(update.customerId(), ArgosMapping.PROVIDER, update.providerRef(),
                    ArgosMapping.personalData(event), ArgosMapping.personalDataAsOf(event, update));
        }
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
     * {@code delete}: erases the submission's personal data from the customer row, from the raw messages of the
     * submission (bodies, headers, errors) and from the case's details, and records one {@code DATA_ERASED} event
     * with ARGOS's {@code account_email}, {@code delete_time} and {@code comment}. The status is kept, and the case
     * stays marked erased, so later messages of the submission are scrubbed as they are processed.
     */
    public CaseUpdate erase(@Body ArgosEvent event, @Variable("dedupKey") String dedupKey) {
        Optional<CaseView> current = lock(event);
        CaseUpdate update = ArgosMapping.toCanonical(event, current.orElse(null));
        Long messageId = inbox.idOf(ArgosMapping.PROVIDER, dedupKey).orElse(null);

        List<String> values = new ArrayList<>();
        boolean personal = false;
        if (current.isPresent() && current.get().customerId() != null) {
            List<String> removed = personalData.erase(current.get().customerId(), ArgosMapping.PROVIDER,
                    update.providerRef());
            personal = !removed.isEmpty();
            values.addAll(removed);
        }
        int messages = scrubMessages(update.providerRef(), current.map(CaseView::id).orElse(null), values);

        UUID caseId;
        if (current.isPresent()) {
            caseId = current.get().id();
            store.markErased(caseId, update.providerDetails());
        } else {
            // A submission the hub has no case for: its case is opened (with no result) to stand as the record
            // that it was erased, so that a late message of it is scrubbed too.
            caseId = store.apply(update, messageId).caseId();
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        putIfPresent(detail, "accountEmail", event.accountEmail());
        putIfPresent(detail, "deleteTime", event.deleteTime());
        putIfPresent(detail, "comment", event.comment());
        detail.put("personalDataErased", personal);
        detail.put("messagesErased", messages);
        store.recordErasure(caseId, event.webhookTrigger(), messageId, detail);
        log.info("ARGOS submission erased: case {}, {} inbox messages rewritten", caseId, messages);
        return update;
    }

    private Optional<CaseView> lock(ArgosEvent event) {
        String submission = event.submissionId();
        return submission == null || submission.isBlank()
                ? Optional.empty() : cases.lockCase(ArgosMapping.PROVIDER, submission);
    }

    private static boolean erased(CaseView snapshot) {
        return snapshot.providerDetails().containsKey("erased");
    }

    /** Scrubs the submission's messages; returns how many were rewritten. */
    private int scrubMessages(String submission, UUID caseId, List<String> values) {
        List<Inbox.StoredMessage> ours = new ArrayList<>();
        int unreadable = 0;
        for (Inbox.StoredMessage message : inbox.lockForErasure(ArgosMapping.PROVIDER, caseId)) {
            JsonNode tree = read(message);
            if (tree == null) {
                unreadable++;
            } else if ((caseId != null && caseId.equals(message.caseId()))
                    || submission.equals(tree.path("submission_id").asText(null))) {
                ours.add(message);
                ArgosMapping.scrub(tree, values);
            }
        }
        if (unreadable > 0) {
            log.warn("{} ARGOS inbox messages could not be read (encrypted with another key?) and were not checked "
                    + "for this erasure", unreadable);
        }
        int rewritten = 0;
        for (Inbox.StoredMessage message : ours) {
            if (scrub(message, false, values)) {
                rewritten++;
            }
        }
        return rewritten;
    }

    /**
     * Rewrites one message without personal data: its body without the personal fields, and headers and last
     * error without any of the values known to be personal.
     *
     * @param collect whether the body's own personal values are added to {@code values} first
     * @return true when the message was rewritten
     */
    private boolean scrub(Inbox.StoredMessage message, boolean collect, List<String> values) {
        JsonNode tree = read(message);
        if (tree == null) {
            return false;
        }
        List<String> own = new ArrayList<>();
        boolean bodyChanged = ArgosMapping.scrub(tree, own);
        if (collect) {
            values.addAll(own);
        }
        String body = bodyChanged ? write(tree) : message.body();
        Map<String, String> headers = new LinkedHashMap<>();
        message.headers().forEach((name, value) -> headers.put(name, containsAny(value, values) ? "[erased]" : value));
        String lastError = containsAny(message.lastError(), values) ? "[erased]" : message.lastError();
        if (!bodyChanged && headers.equals(message.headers()) && Objects.equals(lastError, message.lastError())) {
            return false;
        }
        inbox.rewrite(new Inbox.StoredMessage(message.id(), message.caseId(), body, headers, lastError));
        return true;
    }

    private JsonNode read(Inbox.StoredMessage message) {
        try {
            return json.readTree(open(message.body()));
        } catch (IOException | UnmappableMessageException e) {
            return null;
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean containsAny(String text, List<String> values) {
        return text != null && values.stream()
                .anyMatch(value -> value.length() >= SEARCHED_VALUE_LENGTH && text.contains(value));
    }

    private String write(JsonNode tree) {
        try {
            return json.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a scrubbed body", e);
        }
    }

    private static void putIfPresent(Map<String, Object> map, String name, String value) {
        if (value != null && !value.isBlank()) {
            map.put(name, value);
        }
    }
}
