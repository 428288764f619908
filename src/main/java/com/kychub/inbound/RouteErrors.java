package com.kychub.inbound;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The error handling of every route, declared once per kind of route; each route names its kind with
 * {@code routeConfigurationId}:
 * <ul>
 * <li>webhook-errors (the webhook routes): a refused message gets its 4xx and reason and is never redelivered; a
 * store outage gets 503 so the provider delivers again; nothing else leaks a stack trace to the caller.</li>
 * <li>worker-errors (the inbox and action workers): a worker that cannot reach the store says so once
 * ({@link StoreOutageLog}) and tries again at its next tick.</li>
 * <li>process-errors (the routes the workers call): no error handler, so no in-memory redelivery and no log; the
 * failure goes back to the inbox or action worker, which retries it durably with back-off and logs it once, without
 * the message.</li>
 * <li>poll-errors (the pollers): one failed pull is logged in a line and skipped; the next tick tries again, the
 * other cases of the round go on. A pull the provider's open circuit refused is skipped quietly (the circuit logs
 * once).</li>
 * <li>reconcile-errors (the routes pulling one case's status for reconciliation): as poll-errors, each failed pull
 * also counted in {@code kyc.reconcile.pulls{outcome=failed}} ({@link ReconcilePulls}).</li>
 * </ul>
 */
@Component
public class RouteErrors extends RouteConfigurationBuilder {

    /**
     * The caught failure as {@link Failures#describe} puts it, in the variable {@code failure}: an exception's own
     * message may quote a provider's answer, unbounded.
     */
    private static final Processor DESCRIBE_FAILURE = exchange -> {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.setVariable("failure", caught == null ? "unknown failure" : Failures.describe(caught));
    };

    private final WebhookDoor door;
    private final StoreOutageLog outages;
    private final ReconcilePulls reconcilePulls;

    public RouteErrors(WebhookDoor door, StoreOutageLog outages, ReconcilePulls reconcilePulls) {
        this.door = door;
        this.outages = outages;
        this.reconcilePulls = reconcilePulls;
    }

    @Override
    public void configuration() {
        routeConfiguration("webhook-errors")
                .onException(WebhookRejectedException.class)
                    .handled(true)
                    .bean(door, "refuse")
                .end()
                .onException(Failures.STORE_OUTAGE)
                    .handled(true)
                    .log(LoggingLevel.WARN, "Webhook ${variable.provider} answered 503: "
                            + "${exception.class.simpleName}")
                    .bean(door, "unavailable")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "Webhook ${variable.provider} failed: "
                            + "${exception.class.simpleName}")
                    .bean(door, "failed")
                .end();

        routeConfiguration("worker-errors")
                .onException(DataAccessException.class, TransactionException.class)
                    .handled(true)
                    .bean(outages, "lost(${routeId}, ${exception})")
                .end();

        // The default error handler logs an exhausted failure even with logExhausted(false); none at all is what is
        // meant here: the exception goes straight back to the worker.
        routeConfiguration("process-errors")
                .errorHandler(noErrorHandler());

        routeConfiguration("poll-errors")
                // The breaker logs when it opens; one line per skipped case would flood the log at every tick.
                .onException(CallNotPermittedException.class)
                    .handled(true)
                    .log(LoggingLevel.DEBUG, "Poll ${routeId} skipped one case: the provider's circuit is open")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(DESCRIBE_FAILURE)
                    .log(LoggingLevel.WARN, "Poll ${routeId} failed for one case, trying again next time: "
                            + "${variable.failure}")
                .end();

        routeConfiguration("reconcile-errors")
                .onException(CallNotPermittedException.class)
                    .handled(true)
                    .bean(reconcilePulls, "failed")
                    .log(LoggingLevel.DEBUG, "Reconcile ${routeId} skipped one case: the provider's circuit is open")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .bean(reconcilePulls, "failed")
                    .process(DESCRIBE_FAILURE)
                    .log(LoggingLevel.WARN, "Reconcile ${routeId} failed for one case, trying again after "
                            + "reconcile.after: ${variable.failure}")
                .end();
    }
}
