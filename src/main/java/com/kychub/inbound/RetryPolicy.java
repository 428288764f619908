package com.kychub.inbound;

import java.time.Duration;

import com.kychub.KycProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What happens to an inbox message or a provider action whose processing failed for a reason that may pass (a
 * provider's 5xx or timeout, the store): the one retry policy of both workers. While the provider's circuit is open or
 * half-open ({@link ProviderCircuits}) the entry waits without spending an attempt, so an outage delays entries however
 * long it lasts and never kills them; otherwise it is retried with exponential back-off, and DEAD once
 * {@code max-attempts} are spent.
 */
@Component
public class RetryPolicy {

    public enum Outcome { POSTPONED, RETRYING, DEAD }

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

    private final TransactionTemplate transaction;
    private final ProviderCircuits circuits;
    private final KycProperties.Inbox settings;

    public RetryPolicy(TransactionTemplate transaction, ProviderCircuits circuits, KycProperties properties) {
        this.transaction = transaction;
        this.circuits = circuits;
        this.settings = properties.inbox();
    }

    /**
     * Settles a failed attempt in a transaction of its own (the attempt's own was rolled back) and logs it once,
     * without the entry's content.
     *
     * @param entry    the entry as operators read it in the log ("Inbox message 7 from striga")
     * @param attempts the attempts it had spent before this one
     */
    public Outcome afterFailure(DurableQueue queue, long id, String provider, int attempts, String entry,
                                RuntimeException failure) {
        return afterFailure(queue, id, provider, attempts, entry, failure, () -> { });
    }

    /**
     * As above; {@code whenDead} runs in the transaction that marks the entry DEAD, so that what the death changes
     * elsewhere (the case a dead provider action leaves waiting) commits with it or not at all.
     */
    public Outcome afterFailure(DurableQueue queue, long id, String provider, int attempts, String entry,
                                RuntimeException failure, Runnable whenDead) {
        String error = Failures.describe(failure);
        if (Failures.isCircuitOpen(failure) || circuits.isDown(provider)) {
            // Refused by the open circuit, or failed as one of the calls the half-open circuit lets through (or as the
            // one that opened it): the provider's outage, which costs the entry no attempt.
            transaction.executeWithoutResult(status -> queue.postpone(id, error, settings.initialBackoff()));
            log.debug("{} waits: the provider's circuit is open", entry);
            return Outcome.POSTPONED;
        }
        Duration backoff = Failures.backoff(attempts + 1, settings.initialBackoff(), settings.maxBackoff());
        boolean dead = Boolean.TRUE.equals(transaction.execute(status -> {
            boolean deadNow = queue.recordFailedAttempt(id, error, settings.maxAttempts(), backoff);
            if (deadNow) {
                whenDead.run();
            }
            return deadNow;
        }));
        if (dead) {
            log.error("{} is DEAD after {} attempts: {}", entry, attempts + 1, error);
            return Outcome.DEAD;
        }
        log.warn("{} failed (attempt {}), retrying in {}: {}", entry, attempts + 1, backoff, error);
        return Outcome.RETRYING;
    }
}
