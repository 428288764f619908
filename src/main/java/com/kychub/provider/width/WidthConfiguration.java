package com.kychub.provider.width;

import com.kychub.KycProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * The bounded pool the WIDTH poller polls executions on, {@code poll-threads} at a time, bound in Camel's registry
 * as {@code widthPollExecutor} (not a Spring bean: an Executor bean would replace Spring Boot's task executor).
 * Camel owns it and shuts it down with the context.
 */
@Component
public class WidthConfiguration implements CamelContextConfiguration {

    private final KycProperties.Width settings;

    public WidthConfiguration(KycProperties properties) {
        this.settings = properties.providers().width();
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getRegistry().bind("widthPollExecutor",
                camel.getExecutorServiceManager().newFixedThreadPool(this, "width-poll", settings.pollThreads()));
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }
}
