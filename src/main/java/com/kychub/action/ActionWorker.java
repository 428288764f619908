package com.kychub.action;

import java.util.concurrent.atomic.AtomicReference;

import com.kychub.KycProperties;
import com.kychub.canonical.CanonicalStore;
import com.kychub.inbound.Failures;
import com.kychub.inbound.Inbox;
import com.kychub.inbound.MessageLogContext;
import com.kychub.inbound.RetryPolicy;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries out provider actions: claims one due action ({@code FOR UPDATE SKIP LOCKED}), sends its payload to the
 * provider's {@code direct:<provider>-act} route, which calls the provider and answers the provider's reply, then
 * stores that reply in the inbox (channel POLL, type from the route's {@code answerType} variable) and marks the
 * action DONE in one transaction. The reply reaches the canonical store the way a webhook does.
 * A 4xx reply marks the action FAILED; other faults are retried as {@link RetryPolicy} says, then DEAD. A FAILED or
 * DEAD action holds its case at ACTION_REQUIRED / CONTACT_SUPPORT ({@link CanonicalStore#holdForAction}) in the same
 * transaction, so that no case waits silently on a call that will not happen; the action succeeding on a replay lets
 * the case move on at the provider's next message.
 */
@Component
public class ActionWorker {

    private static final Logger log = LoggerFactory.getLogger(ActionWorker.class);
    /** An action kind is one of the providers' enum names; cut anyway, so that a reason stays a short code. */
    private static final int MAX_KIND = 60;

    private final ProviderActions actions;
    private final CanonicalStore store;
    private final Inbox inbox;
    private final ProducerTemplate producer;
    private final TransactionTemplate transaction;
    private final RetryPolicy retries;
    private final KycProperties.Inbox settings;

    public ActionWorker(ProviderActions actions, CanonicalStore store, Inbox inbox, ProducerTemplate producer,
                        TransactionTemplate transaction, RetryPolicy retries, KycProperties properties) {
        this.actions = actions;
        this.store = store;
        this.retries = retries;
        this.inbox = inbox;
        this.producer = producer;
        this.transaction = transaction;
        this.settings = properties.inbox();
    }

    public int drain(String provider) {
        int taken = 0;
        while (taken < settings.batchSize() && executeNext(provider)) {
            taken++;
        }
        return taken;
    }

    public boolean executeNext(String provider) {
        try {
            return claimAndExecute(provider);
        } finally {
            // The timer thread takes the next one: no line of it may carry this one's ids.
            MessageLogContext.clear();
        }
    }

    private boolean claimAndExecute(String provider) {
        AtomicReference<PendingAction> claimed = new AtomicReference<>();
        try {
            return Boolean.TRUE.equals(transaction.execute(status -> {
                PendingAction action = actions.claimNext(provider);
                if (action == null) {
                    return false;
                }
                claimed.set(action);
                MessageLogContext.action(action.provider(), action.id());
                MessageLogContext.caseId(action.caseId());
                Exchange answer = producer.send("direct:" + action.provider() + "-act?block=false", exchange -> {
                    exchange.getIn().setBody(action.payload());
                    exchange.setVariable("actionKind", action.kind());
                    exchange.setVariable("action", action.action());
                    exchange.setVariable("actionId", action.id());
                    exchange.setVariable("customerId", action.customerId());
                    exchange.setVariable("caseId", action.caseId());
                });
                Exception failure = answer.getException();
                if (failure != null) {
                    String permanent = Failures.permanentReason(failure);
                    if (permanent == null) {
                        throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
                    }
                    actions.markFailed(action.id(), permanent);
                    inputsChanged(action);
                    hold(action, CanonicalStore.ACTION_FAILED, failedReason(action.kind(),
                            Failures.refusalCode(failure)));
                    log.warn("Action {} {} of {} was refused and is FAILED: {}", action.id(), action.action(),
                            action.provider(), permanent);
                    return true;
                }
                String reply = answer.getMessage().getBody(String.class);
                String answerType = answer.getVariable("answerType", String.class);
                if (reply != null && answerType != null) {
                    String subject = answer.getVariable("subject", action.customerId(), String.class);
                    inbox.storePolled(action.provider(), answerType, subject, null, "action:" + action.id(), reply);
                }
                actions.markDone(action.id());
                inputsChanged(action);
                if (action.caseId() != null) {
                    store.releaseHold(action.caseId(), action.id());
                }
                return true;
            }));
        } catch (RuntimeException e) {
            PendingAction action = claimed.get();
            if (action == null) {
                throw e;
            }
            retries.afterFailure(actions, action.id(), action.provider(), action.attempts(),
                    "Action " + action.id() + " " + action.action() + " of " + action.provider(), e,
                    () -> hold(action, CanonicalStore.ACTION_DEAD, deadReason(action.kind())));
            return true;
        }
    }

    /**
     * {@code ACTION_FAILED:<kind>:<code>} ({@code HTTP_422}, or the code the provider's answer gave): what the call
     * was and how the provider refused it, nothing more.
     */
    static String failedReason(String kind, String refusalCode) {
        return "ACTION_FAILED:" + bounded(kind) + ":" + bounded(refusalCode);
    }

    /** {@code ACTION_DEAD:<kind>}: the call ran out of attempts (the last error is on the action). */
    static String deadReason(String kind) {
        return "ACTION_DEAD:" + bounded(kind);
    }

    /** The case's poller passes the provider's next status on again, even unchanged: the call's outcome may count. */
    private void inputsChanged(PendingAction action) {
        if (action.caseId() != null) {
            store.inputsChanged(action.caseId());
        }
    }

    private void hold(PendingAction action, String eventType, String reason) {
        if (action.caseId() != null) {
            store.holdForAction(action.caseId(), action.id(), eventType, reason);
        }
    }

    private static String bounded(String kind) {
        return kind.length() <= MAX_KIND ? kind : kind.substring(0, MAX_KIND);
    }
}
