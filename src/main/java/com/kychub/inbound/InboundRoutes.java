package com.kychub.inbound;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.kychub.KycProperties;
import com.kychub.action.ActionWorker;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.stereotype.Component;

/**
 * The workers of every provider that has a {@code <provider>-process} route: {@code inbox-process-<provider>} drains
 * the provider's inbox messages into the canonical store and {@code actions-execute-<provider>} carries out the
 * provider actions case changes call for. One pair per provider, so a slow or failing provider never holds up the
 * others. (The door of the inbox is {@link WebhookDoor}, called from each provider's webhook route.)
 */
@Component
public class InboundRoutes implements CamelContextConfiguration {

    private static final Pattern PROCESS_ROUTE = Pattern.compile("([a-z0-9]+)-process");

    private final KycProperties.Inbox settings;
    private final InboxWorker worker;
    private final ActionWorker actions;
    private final StoreOutageLog outages;

    public InboundRoutes(KycProperties properties, InboxWorker worker, ActionWorker actions, StoreOutageLog outages) {
        this.settings = properties.inbox();
        this.worker = worker;
        this.actions = actions;
        this.outages = outages;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        List<String> providers = ((ModelCamelContext) camel).getRouteDefinitions().stream()
                .map(RouteDefinition::getRouteId)
                .map(PROCESS_ROUTE::matcher)
                .filter(Matcher::matches)
                .map(match -> match.group(1))
                .sorted()
                .toList();
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    long period = settings.pollPeriod().toMillis();
                    for (String provider : providers) {
                        // Plain timers, not Quartz: every instance drains, and SKIP LOCKED shares the rows out.
                        from("timer:inbox-process-" + provider + "?delay=0&period=" + period)
                                .routeId("inbox-process-" + provider)
                                .autoStartup(settings.processingEnabled())
                                .onException(DataAccessException.class, TransactionException.class)
                                    .handled(true)
                                    .bean(outages, "lost(${routeId}, ${exception})")
                                .end()
                                .bean(worker, "drain('" + provider + "')")
                                .bean(outages, "reached(${routeId})");
                        from("timer:actions-execute-" + provider + "?delay=0&period=" + period)
                                .routeId("actions-execute-" + provider)
                                .autoStartup(settings.processingEnabled())
                                .onException(DataAccessException.class, TransactionException.class)
                                    .handled(true)
                                    .bean(outages, "lost(${routeId}, ${exception})")
                                .end()
                                .bean(actions, "drain('" + provider + "')")
                                .bean(outages, "reached(${routeId})");
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the inbox workers", e);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }
}
