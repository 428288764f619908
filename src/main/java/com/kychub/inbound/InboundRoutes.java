package com.kychub.inbound;

import com.kychub.KycProperties;
import com.kychub.action.ActionWorker;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code inbox-process} drains the inbox into the canonical store, and {@code actions-execute} carries out the
 * provider actions case changes call for, for every provider. (The door of the inbox is {@link WebhookDoor}, called
 * from each provider's webhook route.)
 */
@Component
public class InboundRoutes extends RouteBuilder {

    private final KycProperties.Inbox settings;
    private final InboxWorker worker;
    private final ActionWorker actions;

    public InboundRoutes(KycProperties properties, InboxWorker worker, ActionWorker actions) {
        this.settings = properties.inbox();
        this.worker = worker;
        this.actions = actions;
    }

    @Override
    public void configure() {
        // A plain timer, not Quartz: every instance drains the inbox, and SKIP LOCKED shares the rows between them.
        from("timer:inbox-process?delay=0&period=" + settings.pollPeriod().toMillis())
                .routeId("inbox-process")
                .autoStartup(settings.processingEnabled())
                .bean(worker, "drain");

        // Provider calls decided by case changes (provider_action), carried out after those changes commit.
        from("timer:actions-execute?delay=0&period=" + settings.pollPeriod().toMillis())
                .routeId("actions-execute")
                .autoStartup(settings.processingEnabled())
                .bean(actions, "drain");
    }
}
