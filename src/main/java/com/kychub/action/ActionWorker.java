package com.kychub.action;

import java.util.concurrent.atomic.AtomicReference;

import com.kychub.KycProperties;
import com.kychub.inbound.Failures;
import com.kychub.inbound.Inbox;
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
 * A 4xx reply marks the action FAILED; other faults are retried as {@link RetryPolicy} says.
 */
@Component
public class ActionWorker {

    private static final Logger log = LoggerFactory.getLogger(ActionWorker.class);

    private final ProviderActions actions;
    private final Inbox inbox;
    private final ProducerTemplate producer;
    private final TransactionTemplate transaction;
    private final RetryPolicy retries;
    private final KycProperties.Inbox settings;

    public ActionWorker(ProviderActions actions, Inbox inbox, ProducerTemplate producer,
                        TransactionTemplate transaction, RetryPolicy retries, KycProperties properties) {
        this.actions = actions;
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
        AtomicReference<PendingAction> claimed = new AtomicReference<>();
        try {
            return Boolean.TRUE.equals(transaction.execute(status -> {
                PendingAction action = actions.claimNext(provider);
                if (action == null) {
                    return false;
                }
                claimed.set(action);
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
                return true;
            }));
        } catch (RuntimeException e) {
            PendingAction action = claimed.get();
            if (action == null) {
                throw e;
            }
            retries.afterFailure(actions, action.id(), action.provider(), action.attempts(),
                    "Action " + action.id() + " " + action.action() + " of " + action.provider(), e);
            return true;
        }
    }
}
