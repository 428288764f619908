package com.kychub.provider.width;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.canonical.CanonicalStore;
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
    private final CanonicalStore store;
    private final ObjectMapper json;
    private final KycProperties.Width settings;

    public WidthPoller(Inbox inbox, CanonicalStore store, ObjectMapper json, KycProperties properties) {
        this.inbox = inbox;
        this.store = store;
        this.json = json;
        this.settings = properties.providers().width();
    }

    /**
     * Puts one claimed case into the variables the poll steps read: {@code subject} (the execution; null for a case
     * WIDTH has not named yet, which there is nothing to poll for), {@code caseId}, {@code customerId},
     * {@code referenceId}, {@code ocrPending}, {@code callbackKey} and {@code inputsChangedAt} (an {@link Instant},
     * null when nothing the case depends on changed since it began). An execution awaiting a human's decision
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
        Timestamp inputsChangedAt = (Timestamp) dueCase.get("inputs_changed_at");
        exchange.setVariable("inputsChangedAt", inputsChangedAt == null ? null : inputsChangedAt.toInstant());
    }

    /**
     * Stores a polled execution status, unless it says exactly what the last one said and nothing happened since
     * that may change what the hub does with it: the customer handed over data, one of the case's calls was answered
     * (the case's {@code inputs_changed_at}, which the claim read with the case: a poll that finds nothing new makes
     * one read, the inbox's last status).
     */
    public void storePolledStatus(@Body String status, @Variable("subject") String executionId,
                                  @Variable("inputsChangedAt") Instant inputsChangedAt) {
        Optional<Inbox.Received> last = inbox.last(WidthMapping.PROVIDER, WidthMapping.EXECUTION_STATUS,
                executionId);
        if (last.isPresent() && last.get().body().equals(status)
                && (inputsChangedAt == null || last.get().receivedAt().isAfter(inputsChangedAt))) {
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
}
