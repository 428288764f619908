package com.kychub.inbound;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Error handling of every webhook route ({@code routeConfigurationId: webhook-errors}): a refused message gets
 * its 4xx and reason and is never redelivered; a store outage gets 503 so the provider retries; nothing else
 * leaks a stack trace to the caller.
 */
@Component
public class WebhookErrors extends RouteConfigurationBuilder {

    private final WebhookDoor door;

    public WebhookErrors(WebhookDoor door) {
        this.door = door;
    }

    @Override
    public void configuration() {
        routeConfiguration("webhook-errors")
                .onException(WebhookRejectedException.class)
                    .handled(true)
                    .bean(door, "refuse")
                .end()
                // The store is down: the types Failures.isStoreOutage names.
                .onException(DataAccessResourceFailureException.class, TransientDataAccessException.class,
                        RecoverableDataAccessException.class)
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
    }
}
