package com.kychub.scheduling;

import java.util.concurrent.ExecutorService;

import com.kychub.KycProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * The bounded pools the pollers look at their claimed cases on, {@code poll-threads} at a time, and reconciliation
 * ({@code reconcile-sweep}) pulls on, {@code reconcile.threads} at a time, bound in Camel's registry as
 * {@code <provider>PollExecutor} and {@code <provider>ReconcileExecutor} (not Spring beans: an Executor bean would
 * replace Spring Boot's task executor). Camel owns them and shuts them down with the context. WIDTH's continuous
 * poller ({@code width-poll-executions}) hands its cases to its pool through {@code widthPollLoop} ({@link PollLoop});
 * Connect Financial's Quartz rounds ({@code poll-due-cases}) split over theirs.
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
        KycProperties.Width width = providers.width();
        camel.getRegistry().bind("widthPollLoop", new PollLoop(camel,
                bind(camel, "widthPollExecutor", width.pollThreads()), "direct:width-poll-execution",
                width.pollThreads(), width.pollBatch(), width.requestsPerSecond(), width.pollTickMillis()));
        bind(camel, "strigaReconcileExecutor", providers.striga().reconcile().threads());
        bind(camel, "argosReconcileExecutor", providers.argos().reconcile().threads());
        bind(camel, "ondatoReconcileExecutor", providers.ondato().reconcile().threads());
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }

    private ExecutorService bind(CamelContext camel, String name, int threads) {
        ExecutorService pool = camel.getExecutorServiceManager().newFixedThreadPool(this, name, threads);
        camel.getRegistry().bind(name, pool);
        return pool;
    }
}
