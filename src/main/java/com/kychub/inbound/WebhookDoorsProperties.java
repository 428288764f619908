package com.kychub.inbound;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the webhook doors (every platform-http route) are served, under {@code kyc.webhooks.*}: {@code engine}
 * ({@code KYC_WEBHOOKS_ENGINE}) and the doors' own port, {@code vertx-port} ({@code KYC_WEBHOOKS_VERTX_PORT}). Bound
 * here, so that a misspelt engine stops the start with the values it may take, instead of serving the doors elsewhere.
 */
@ConfigurationProperties(prefix = "kyc.webhooks")
public record WebhookDoorsProperties(@DefaultValue("both") Engine engine, @DefaultValue("8081") int vertxPort) {

    public enum Engine {
        /** On the hub's port only: Tomcat, the servlet filters, Spring MVC's asynchronous dispatch to platform-http. */
        SERVLET,
        /** On their own port only ({@code vertx-port}): Camel's Vert.x engine for platform-http. */
        VERTX,
        /** On both: the doors' own port for the providers, and the hub's port for the URLs they were given before. */
        BOTH
    }
}
