package com.kychub.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.kychub.KycProperties;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.Quote;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.privacy.Erasure;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Processes the inbox: claims one due message at a time ({@code FOR UPDATE SKIP LOCKED}, so several hub instances
 * share the work), sends its body to the provider's {@code direct:<provider>-process} route, which maps it to a
 * {@link CaseUpdate}, and writes that into the canonical store and marks the message processed in the same
 * transaction. A crash anywhere before the commit leaves the message ACCEPTED, and it is processed again. A transient
 * failure is retried as {@link RetryPolicy} says; a message that cannot be mapped is kept FAILED.
 */
@Component
public class InboxWorker {

    private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);
    /** A message that waited for its provider (a pull) took long without using the CPU: the wait is capped. */
    private static final long MAX_GIVE_WAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Inbox inbox;
    private final CanonicalStore store;
    private final ProducerTemplate producer;
    private final TransactionTemplate transaction;
    private final InboxMetrics metrics;
    private final RetryPolicy retries;
    private final KycProperties.Inbox settings;
    private final Erasure erasure;
    private final InboxWriter writer;

    public InboxWorker(Inbox inbox, CanonicalStore store, ProducerTemplate producer, TransactionTemplate transaction,
                       InboxMetrics metrics, RetryPolicy retries, KycProperties properties, Erasure erasure,
                       InboxWriter writer) {
        this.inbox = inbox;
        this.writer = writer;
        this.erasure = erasure;
        this.retries = retries;
        this.store = store;
        this.producer = producer;
        this.transaction = transaction;
        this.metrics = metrics;
        this.settings = properties.inbox();
    }

    /** Processes due messages until none is left or a batch is done; returns how many it took. */
    public int drain(String provider) {
        int taken = 0;
        InboxPosition after = InboxPosition.START;
        while (taken < settings.batchSize()) {
            long started = System.nanoTime();
            InboundMessage message = processNext(provider, after);
            if (message == null) {
                break;
            }
            after = message.position();
            taken++;
            if (!giveWayToTheDoor(provider, System.nanoTime() - started)) {
                break;
            }
        }
        if (taken > 0) {
            log.debug("Inbox of {} took {} messages", provider, taken);
        }
        return taken;
    }

    /**
     * With {@code kyc.inbox.workers-give-way}, while the door is crowded ({@link InboxWriter#crowded}), waits as
     * long as the message took (at most {@link #MAX_GIVE_WAY_NANOS}): the workers then use at most about half of the
     * time they would, and the door gets the CPU, but they never stop. Answers false when interrupted (shutdown).
     */
    private boolean giveWayToTheDoor(String provider, long tookNanos) {
        if (!settings.workersGiveWay() || !writer.crowded()) {
            return true;
        }
        long wait = Math.min(tookNanos, MAX_GIVE_WAY_NANOS);
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
            metrics.gaveWay(provider, Duration.ofNanos(wait));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Processes the oldest due message after {@code after}, if any; returns it, or null when there is none. */
    private InboundMessage processNext(String provider, InboxPosition after) {
        try {
            return claimAndProcess(provider, after);
        } finally {
            // The timer thread takes the next one: no line of it may carry this one's ids.
            MessageLogContext.clear();
        }
    }

    private InboundMessage claimAndProcess(String provider, InboxPosition after) {
        AtomicReference<InboundMessage> claimed = new AtomicReference<>();
        try {
            transaction.executeWithoutResult(status -> {
                InboundMessage message = inbox.claimNext(provider, after);
                if (message == null) {
                    return;
                }
                claimed.set(message);
                MessageLogContext.message(message.provider(), message.id());
                try {
                    List<String> outcomes = new ArrayList<>();
                    UUID caseId = null;
                    for (CaseUpdate update : map(message)) {
                        CanonicalStore.Applied applied = store.apply(update, message.id());
                        outcomes.add(applied.outcome().name());
                        caseId = applied.caseId();
                        MessageLogContext.caseId(caseId);
                    }
                    // A message that changes no case (a webhook that only asks for a pull) is RECORDED.
                    inbox.markProcessed(message.id(), outcomes.isEmpty() ? "RECORDED" : String.join(",", outcomes),
                            caseId);
                    if (caseId != null) {
                        // A message about an erased customer (or case) commits redacted, with what it brought.
                        erasure.afterProcessed(caseId);
                    }
                    metrics.count(message.provider(), InboxMetrics.Outcome.PROCESSED);
                    log.debug("Inbox message {} from {} processed: {}", message.id(), message.provider(),
                            outcomes.isEmpty() ? "RECORDED" : String.join(",", outcomes));
                } catch (UnmappableMessageException e) {
                    // Mapping fails before anything is written, so the verdict commits alone; retrying cannot help.
                    // Bounded and cleaned once more: the message quotes provider values (each through Quote).
                    String reason = Quote.text(e.getMessage(), Failures.MAX_ERROR_LENGTH);
                    inbox.markFailed(message.id(), reason);
                    metrics.count(message.provider(), InboxMetrics.Outcome.FAILED);
                    log.warn("Inbox message {} from {} cannot be mapped and is kept as FAILED: {}",
                            message.id(), message.provider(), reason);
                }
            });
            return claimed.get();
        } catch (RuntimeException e) {
            InboundMessage message = claimed.get();
            if (message == null) {
                throw e;
            }
            RetryPolicy.Outcome outcome = retries.afterFailure(inbox, message.id(), message.provider(),
                    message.attempts(), "Inbox message " + message.id() + " from " + message.provider(), e);
            if (outcome == RetryPolicy.Outcome.DEAD) {
                metrics.count(message.provider(), InboxMetrics.Outcome.DEAD);
            }
            return message;
        }
    }

    /**
     * Sends the body to {@code direct:<provider>-process} with the variables {@code inboxMessageId},
     * {@code messageType} and {@code subject}; the route answers one {@link CaseUpdate}, a list of them, or nothing.
     */
    private List<CaseUpdate> map(InboundMessage message) {
        // block=false: a provider route that is not running fails fast into the back-off instead of holding
        // this thread and the row lock for the direct component's 30 s wait.
        Exchange answer = producer.send("direct:" + message.provider() + "-process?block=false", exchange -> {
            exchange.getIn().setBody(withoutByteOrderMark(message.body()));
            exchange.setVariable("inboxMessageId", message.id());
            exchange.setVariable("messageType", message.messageType());
            exchange.setVariable("subject", message.subject());
        });
        Exception failure = answer.getException();
        if (failure instanceof JsonProcessingException invalid) {
            // Jackson's message quotes the body, which may hold personal data: name the error only.
            throw new UnmappableMessageException("body does not match the provider's format ("
                    + invalid.getClass().getSimpleName() + ")");
        }
        String permanent = failure == null ? null : Failures.permanentReason(failure);
        if (permanent != null) {
            // The provider refused the request itself: sending it again cannot help.
            throw new UnmappableMessageException(permanent);
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new CamelExecutionException("processing failed", answer, failure);
        }
        Object body = answer.getMessage().getBody();
        if (body == null) {
            return List.of();
        }
        if (body instanceof CaseUpdate update) {
            return List.of(update);
        }
        if (body instanceof List<?> list && list.stream().allMatch(CaseUpdate.class::isInstance)) {
            return list.stream().map(CaseUpdate.class::cast).toList();
        }
        throw new IllegalStateException("direct:" + message.provider() + "-process answered a "
                + body.getClass().getSimpleName() + ", not a CaseUpdate");
    }

    /**
     * The door reads a body as bytes, where Jackson skips a UTF-8 byte order mark (RFC 8259 lets parsers ignore one,
     * and some senders write one); the stored text keeps it, byte for byte, and Jackson reading text would fail on it.
     */
    private static String withoutByteOrderMark(String body) {
        return body != null && body.startsWith("\uFEFF") ? body.substring(1) : body;
    }
}
