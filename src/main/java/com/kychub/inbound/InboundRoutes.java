package com.kychub.inbound;

import com.kychub.KycProperties;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code inbox-process}: drains the inbox into the canonical store, for every provider. (The door of the inbox is
 * {@link WebhookDoor}, called from each provider's webhook route.)
 */
@Component
public class InboundRoutes extends RouteBuilder {

    private final KycProperties.Inbox settings;
    private final InboxWorker worker;

    public InboundRoutes(KycProperties properties, InboxWorker worker) {
        this.settings = properties.inbox();
        this.worker = worker;
    }

    @Override
    public void configure() {
        // A plain timer, not Quartz: every instance drains the inbox, and SKIP LOCKED shares the rows between them.
        from("timer:inbox-process?delay=0&period=" + settings.pollPeriod().toMillis())
                .routeId("inbox-process")
                .autoStartup(settings.processingEnabled())
                .bean(worker, "drain");
    }
}
