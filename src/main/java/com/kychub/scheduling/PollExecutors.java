package com.kychub.scheduling;

import com.kychub.KycProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * The bounded pools the pollers ({@code poll-due-cases}) look at their claimed cases on, {@code poll-threads} at a
 * time, and reconciliation ({@code reconcile-sweep}) pulls on, {@code reconcile.threads} at a time, bound in
 * Camel's registry as {@code <provider>PollExecutor} and {@code <provider>ReconcileExecutor} (not Spring beans: an
 * Executor bean would replace Spring Boot's task executor). Camel owns them and shuts them down with the context.
 */
@Component
public class PollExecutors implements CamelContextConfiguration {

    private final KycProperties.Providers providers;

    public PollExecutors(KycProperties properties) {
        this.providers = properties.providers();
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        bind(camel, "connectfiPollExecutor", providers.connectfi().pollThreads());
        bind(camel, "widthPollExecutor", providers.width().pollThreads());
        bind(camel, "strigaReconcileExecutor", providers.striga().reconcile().threads());
        bind(camel, "argosReconcileExecutor", providers.argos().reconcile().threads());
        bind(camel, "ondatoReconcileExecutor", providers.ondato().reconcile().threads());
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }

    private void bind(CamelContext camel, String name, int threads) {
        camel.getRegistry().bind(name, camel.getExecutorServiceManager().newFixedThreadPool(this, name, threads));
    }
}
