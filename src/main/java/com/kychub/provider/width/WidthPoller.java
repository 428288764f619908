package com.kychub.provider.width;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.action.ProviderActions;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.Customers;
import com.kychub.inbound.DedupKeys;
import com.kychub.inbound.Inbox;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code width-poll-execution}, for one execution {@code width-poll-executions} claimed: what to poll
 * (its status, always; while an OCR result is awaited and not already in the inbox, {@code workflow.kyc.ocr.data}
 * too), and what of the answers goes into the inbox, where {@code width-process} picks it up.
 */
@Component
public class WidthPoller {

    private final Inbox inbox;
    private final Customers customers;
    private final WidthData data;
    private final ProviderActions actions;
    private final CanonicalStore store;
    private final ObjectMapper json;
    private final KycProperties.Width settings;

    public WidthPoller(Inbox inbox, Customers customers, WidthData data, ProviderActions actions,
                       CanonicalStore store, ObjectMapper json, KycProperties properties) {
        this.inbox = inbox;
        this.customers = customers;
        this.data = data;
        this.actions = actions;
        this.store = store;
        this.json = json;
        this.settings = properties.providers().width();
    }

    /**
     * Puts one claimed case into the variables the poll steps read: {@code subject} (the execution; null for a case
     * WIDTH has not named yet, which there is nothing to poll for), {@code caseId}, {@code customerId},
     * {@code referenceId}, {@code ocrPending} and {@code callbackKey}. An execution awaiting a human's decision
     * was claimed one poll-every on, like every execution: its next look moves to one review-poll-every from now.
     *
     * @param dueCase a case as {@code canonical-claim-due} claimed it
     */
    public void unpack(@Body Map<String, Object> dueCase, Exchange exchange) throws IOException {
        String executionId = (String) dueCase.get("provider_ref");
        if (executionId.startsWith(WidthProcess.BEFORE_EXECUTION)) {
            exchange.setVariable("subject", null);
            return;
        }
        JsonNode details = json.readTree((String) dueCase.get("provider_details"));
        if (details.path(WidthProcess.AWAITING_DECISION).asBoolean(false)) {
            store.pollAfter(WidthMapping.PROVIDER, executionId, settings.reviewPollEvery());
        }
        String callbackKey = details.path("ocr").path("callbackKey").asText(null);
        String ocrKey = ocrDedupKey(executionId, callbackKey, details.path("ocr").path("submittedAt").asText(null));
        boolean ocrPending = details.path("ocr").path("pending").asBoolean(false)
                && !inbox.contains(WidthMapping.PROVIDER, ocrKey);
        exchange.setVariable("subject", executionId);
        exchange.setVariable("caseId", dueCase.get("id"));
        exchange.setVariable("customerId", dueCase.get("customer_id"));
        exchange.setVariable("referenceId", details.path("referenceId").asText(null));
        exchange.setVariable("ocrPending", ocrPending);
        exchange.setVariable("callbackKey", callbackKey);
        exchange.setVariable("ocrKey", ocrKey);
    }

    /**
     * Stores a polled execution status, unless it says exactly what the last one said and nothing happened since
     * that may change what the hub does with it: the customer handed over data, or one of the case's calls was made.
     */
    public void storePolledStatus(@Body String status, @Variable("subject") String executionId,
                                  @Variable("customerId") String customerId, @Variable("caseId") UUID caseId) {
        Optional<Inbox.Received> last = inbox.last(WidthMapping.PROVIDER, WidthMapping.EXECUTION_STATUS,
                executionId);
        if (last.isPresent() && last.get().body().equals(status)
                && !inputsChangedSince(last.get().receivedAt(), customerId, caseId)) {
            return;
        }
        inbox.storePolled(WidthMapping.PROVIDER, WidthMapping.EXECUTION_STATUS, executionId, null,
                "status:" + executionId + ":" + DedupKeys.sha256Hex(status.getBytes(StandardCharsets.UTF_8)) + ":"
                        + System.nanoTime(), status);
    }

    /** Stores a polled OCR result once it is there (an answer without one is "not yet"). */
    public void storeOcrData(@Body String answer, @Variable("subject") String executionId,
                             @Variable("ocrKey") String ocrKey) throws IOException {
        if (WidthProcess.ocrResult(json.readTree(answer == null ? "{}" : answer)) == null) {
            return;
        }
        inbox.storePolled(WidthMapping.PROVIDER, WidthMapping.OCR_DATA, executionId, null, ocrKey, answer);
    }

    /**
     * One OCR result per execution and OCR submission: the node's callbackKey and when the submission was answered
     * (a new identity document submitted to the same node awaits a result of its own).
     */
    static String ocrDedupKey(String executionId, String callbackKey, String submittedAt) {
        return "ocr:" + executionId + ":" + callbackKey + (submittedAt == null ? "" : ":" + submittedAt);
    }

    /** Whether the customer's data or the case's calls changed since that instant (or nothing says when). */
    private boolean inputsChangedSince(Instant since, String customerId, UUID caseId) {
        Optional<Instant> latest = Stream.of(customers.updatedAt(customerId), data.changedAt(customerId),
                        actions.lastDoneAt(caseId))
                .flatMap(Optional::stream)
                .max(Instant::compareTo);
        return latest.isEmpty() || !since.isAfter(latest.get());
    }
}
