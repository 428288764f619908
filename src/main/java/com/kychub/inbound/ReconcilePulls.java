package com.kychub.inbound;

import java.nio.charset.StandardCharsets;

import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * What becomes of a status pulled by reconciliation ({@code reconcile-sweep}): an answer that says something the store
 * does not goes into the inbox, where the provider's process route applies it as the truth (repaired); one the store
 * already says is dropped (unchanged); a pull that failed is counted (failed) and tried again at a later sweep. Counted
 * in {@code kyc.reconcile.pulls{provider, outcome}}.
 */
@Component
public class ReconcilePulls {

    public static final String METRIC = "kyc.reconcile.pulls";

    private final Inbox inbox;
    private final CanonicalStore store;
    private final MeterRegistry meters;

    public ReconcilePulls(Inbox inbox, CanonicalStore store, MeterRegistry meters) {
        this.inbox = inbox;
        this.store = store;
        this.meters = meters;
    }

    /**
     * @param says        what the answer means for the case, as the provider's mapping reads it
     * @param messageType what the inbox files the answer as (its process route routes on it)
     * @param subject     what the answer is about at the provider (a user, a submission, a verification)
     * @return whether the answer was stored
     */
    public boolean offer(CaseUpdate says, String messageType, String subject, String answer) {
        if (!store.wouldChange(says)) {
            count(says.provider(), "unchanged");
            return false;
        }
        inbox.storePolled(says.provider(), messageType, subject, null, "reconcile:" + messageType + ":" + subject
                + ":" + DedupKeys.sha256Hex(answer.getBytes(StandardCharsets.UTF_8)) + ":" + System.currentTimeMillis(),
                answer);
        count(says.provider(), "repaired");
        return true;
    }

    /**
     * An answer the provider's mapping cannot read (a status it does not know): never guessed, it goes into the inbox,
     * where it is kept FAILED for an operator to see; the same answer again is not stored twice.
     */
    public void unreadable(String provider, String messageType, String subject, String answer) {
        inbox.storePolled(provider, messageType, subject, null, "reconcile:" + messageType + ":" + subject + ":"
                + DedupKeys.sha256Hex(answer.getBytes(StandardCharsets.UTF_8)), answer);
        count(provider, "failed");
    }

    /** A pull that did not get an answer the hub could read (the provider down or refusing, its circuit open). */
    public void failed(@Variable("provider") String provider) {
        count(provider, "failed");
    }

    private void count(String provider, String outcome) {
        Counter.builder(METRIC).description("Status pulls of reconciliation, by what they found")
                .tag("provider", provider).tag("outcome", outcome).register(meters).increment();
    }
}
