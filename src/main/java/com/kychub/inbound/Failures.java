package com.kychub.inbound;

import java.time.Duration;

import com.fasterxml.jackson.core.JacksonException;
import com.kychub.canonical.Quote;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/** How the inbox and action workers judge a failure: permanent or worth retrying, and when to try again. */
public final class Failures {

    /** The longest error the hub writes to a log line or a {@code last_error}. */
    public static final int MAX_ERROR_LENGTH = 300;

    private Failures() {
    }

    /**
     * The reason a failure is permanent (the provider refused the request itself: with a 4xx other than 429, or in its
     * answer, {@link ProviderRefusedException}), or null when it is worth retrying (5xx, timeouts, connection failures,
     * the store).
     */
    public static String permanentReason(Throwable failure) {
        Throwable refusal = refusal(failure);
        if (refusal instanceof HttpOperationFailedException http) {
            return "the provider answered " + http.getStatusCode() + " to " + withoutQuery(http.getUri());
        }
        return refusal == null ? null : Quote.text(refusal.getMessage(), MAX_ERROR_LENGTH);
    }

    /**
     * The provider's error code of a permanent failure ({@link #permanentReason}), fit for a case's reasons:
     * {@code HTTP_<status>}, or the code the provider gave in its answer ({@code REFUSED} when it gave none); null
     * when the failure is worth retrying.
     */
    public static String refusalCode(Throwable failure) {
        Throwable refusal = refusal(failure);
        if (refusal instanceof HttpOperationFailedException http) {
            return "HTTP_" + http.getStatusCode();
        }
        if (refusal instanceof ProviderRefusedException refused) {
            return refused.code() == null ? "REFUSED" : refused.code();
        }
        return null;
    }

    private static Throwable refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProviderRefusedException) {
                return cause;
            }
            if (cause instanceof HttpOperationFailedException http && http.getStatusCode() >= 400
                    && http.getStatusCode() < 500 && http.getStatusCode() != 429) {
                return http;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /**
     * True when the call was not made because the provider's circuit breaker is open: the message waits without
     * spending one of its attempts, so a provider outage delays messages instead of killing them.
     */
    public static boolean isCircuitOpen(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CallNotPermittedException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * The failures that mean the store is down or unreachable (as opposed to refusing one statement): the webhook door
     * ({@link RouteErrors}) and the hub API answer them 503 and ask the caller to try again.
     */
    @SuppressWarnings("unchecked")
    public static final Class<? extends Throwable>[] STORE_OUTAGE = new Class[] {
            DataAccessResourceFailureException.class, TransientDataAccessException.class,
            RecoverableDataAccessException.class};

    public static boolean isStoreOutage(Throwable e) {
        for (Class<? extends Throwable> outage : STORE_OUTAGE) {
            if (outage.isInstance(e)) {
                return true;
            }
        }
        return false;
    }

    /** Exponential back-off: initial × 2^(attempt-1), at most max. */
    public static Duration backoff(int attempt, Duration initial, Duration max) {
        Duration next = initial.multipliedBy(1L << Math.min(Math.max(attempt, 1) - 1, 20));
        return next.compareTo(max) > 0 ? max : next;
    }

    /**
     * The failure as an operator needs it, without any message body (it may carry personal data): the root cause's
     * class and message, cleaned and bounded ({@link Quote#text}). Jackson's messages quote the input they could not
     * read, so only their class is named; an HTTP failure names its status and URL without the query (WIDTH's carries
     * the API key).
     */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name = root.getClass().getSimpleName();
        if (root instanceof JacksonException) {
            return name;
        }
        if (root instanceof HttpOperationFailedException http) {
            return name + ": HTTP " + http.getStatusCode() + " from " + withoutQuery(http.getUri());
        }
        return root.getMessage() == null ? name : name + ": " + Quote.text(root.getMessage(), MAX_ERROR_LENGTH);
    }

    private static String withoutQuery(String uri) {
        return Quote.text(uri.replaceAll("\\?.*", ""), MAX_ERROR_LENGTH);
    }
}
