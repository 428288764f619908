package com.kychub.inbound;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error handling of the routes the workers call ({@code process-errors}) and of the pollers ({@code poll-errors}).
 * <ul>
 * <li>process-errors: no error handler, so no in-memory redelivery and no log; the failure goes back to the inbox or
 * action worker, which retries it durably with back-off and logs it once, without the message.</li>
 * <li>poll-errors: one failed pull is logged in a line and skipped; the next tick tries again, the other cases of
 * the round go on. A pull the provider's open circuit refused is skipped quietly (the circuit logs once).</li>
 * </ul>
 */
@Component
public class ProcessingErrors extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
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
                    .log(LoggingLevel.WARN, "Poll ${routeId} failed for one case, trying again next time: "
                            + "${exception.class.simpleName}: ${exception.message}")
                .end();
    }
}
