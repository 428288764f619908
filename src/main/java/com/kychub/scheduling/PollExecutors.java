package com.kychub.scheduling;

import com.kychub.KycProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * The bounded pools the pollers ({@code poll-due-cases}) look at their claimed cases on, {@code poll-threads} at a
 * time, bound in Camel's registry as {@code <provider>PollExecutor} (not Spring beans: an Executor bean would replace
 * Spring Boot's task executor). Camel owns them and shuts them down with the context.
 */
@Component
public class PollExecutors implements CamelContextConfiguration {

    private final KycProperties.Providers providers;

    public PollExecutors(KycProperties properties) {
        this.providers = properties.providers();
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        bind(camel, "connectfi", providers.connectfi().pollThreads());
        bind(camel, "width", providers.width().pollThreads());
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }

    private void bind(CamelContext camel, String provider, int threads) {
        camel.getRegistry().bind(provider + "PollExecutor",
                camel.getExecutorServiceManager().newFixedThreadPool(this, provider + "-poll", threads));
    }
}
