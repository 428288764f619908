package com.kychub.inbound;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.Executor;

import com.kychub.KycProperties;
import com.kychub.http.ErrorAnswer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.task.TaskExecutionProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The webhook doors (every platform-http route) on a port of their own ({@code kyc.webhooks.vertx-port}), served by
 * Camel's Vert.x engine for platform-http instead of Tomcat, Spring MVC's asynchronous dispatch and the servlet
 * filters: about a third of the CPU per webhook ({@code bench/ingest.sh} CANDIDATES, see bench/README.md). With
 * {@code kyc.webhooks.engine=both}, the default, each door is also on the hub's port as before
 * ({@link BothDoors}), so that the URLs the providers were given there still work; with {@code vertx} it is on its
 * own port only. The door is the same route, so the same promises hold: authentication on the raw bytes, 2xx only
 * after the commit, 4xx for what is refused. What the servlet filters answer on the hub's port is answered here by
 * the router's error handlers, as problems too: 503 with Retry-After while the routes start, 404 for a path that is
 * no door, 405 for another method than POST, 413 over {@code kyc.inbox.max-body-size}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(VertxWebhookDoors.OwnPort.class)
public class VertxWebhookDoors {

    /** Unless the doors are on the hub's port only; the setting read as {@link WebhookDoorsProperties} binds it. */
    static final class OwnPort implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment())
                    .bind("kyc.webhooks.engine", WebhookDoorsProperties.Engine.class)
                    .map(engine -> engine != WebhookDoorsProperties.Engine.SERVLET)
                    .orElse(true);
        }
    }

    @Bean("platform-http-engine")
    public PlatformHttpEngine webhookDoorsEngine(WebhookDoorsProperties doors, CamelContext camel,
                                                 @Qualifier("applicationTaskExecutor") ThreadPoolTaskExecutor tasks,
                                                 @Value("${server.port:8080}") int hubPort) {
        VertxPlatformHttpEngine vertx = new VertxPlatformHttpEngine();
        if (doors.engine() == WebhookDoorsProperties.Engine.VERTX) {
            return vertx;
        }
        vertx.setCamelContext(camel);
        return new PlatformHttpEngine() {
            @Override
            public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
                return new BothDoors(endpoint, processor, tasks, vertx.createConsumer(endpoint, processor));
            }

            @Override
            public int getServerPort() {
                return hubPort;
            }
        };
    }

    /** As many blocking workers as Spring's task pool has threads: each webhook waits in one for its commit. */
    @Bean(destroyMethod = "close")
    public Vertx webhookVertx(TaskExecutionProperties taskExecution) {
        return Vertx.vertx(new VertxOptions().setWorkerPoolSize(taskExecution.getPool().getCoreSize()));
    }

    /** A bean, so that the engine finds in Camel's registry which port's router its consumers are on. */
    @Bean
    public VertxPlatformHttpServerConfiguration vertxWebhookServerConfiguration(
            KycProperties properties, WebhookDoorsProperties doors, @Value("${server.address:0.0.0.0}") String host) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(host);
        configuration.setBindPort(doors.vertxPort());
        configuration.setMaxBodySize(properties.inbox().maxBodySize().toBytes());
        return configuration;
    }

    @Bean
    public CamelContextConfiguration vertxWebhookServer(Vertx vertx, InboxMetrics metrics,
                                                        VertxPlatformHttpServerConfiguration configuration) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                // Camel's server only logs a failed bind, and goes on: the hub would run without the doors the
                // providers are sent to. A port another process holds stops the start here instead.
                refuseATakenPort(configuration.getBindHost(), configuration.getBindPort());
                WebhookServer server = new WebhookServer(configuration, camel, metrics);
                server.setVertx(vertx);
                try {
                    camel.addService(server);
                } catch (Exception e) {
                    throw new IllegalStateException("the Vert.x server for the webhooks did not start", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    /**
     * Camel's server, with the router's error handlers answering problems. A named class: Camel names the server's
     * thread pool after it.
     */
    private static final class WebhookServer extends VertxPlatformHttpServer {

        private final VertxPlatformHttpServerConfiguration configuration;
        private final CamelContext camel;
        private final InboxMetrics metrics;

        WebhookServer(VertxPlatformHttpServerConfiguration configuration, CamelContext camel, InboxMetrics metrics) {
            super(configuration);
            this.configuration = configuration;
            this.camel = camel;
            this.metrics = metrics;
        }

        @Override
        protected void startServer() throws Exception {
            super.startServer();
            // The server's main router (its request handler) decides 404, 405 and 413: a sub-router's error handlers
            // (the one Camel's routes are on) are not asked.
            if (getServer().requestHandler() instanceof Router main) {
                answerProblems(main, camel, metrics, configuration.getMaxBodySize());
            }
        }
    }

    /**
     * A door on both ports: platform-http's Spring MVC consumer on the hub's port (Camel's Spring Boot starter maps it
     * in Spring MVC, which takes only its own consumer class), starting and stopping the Vert.x consumer of the same
     * route with it. Both hand the request to the route's processor.
     */
    static final class BothDoors extends SpringBootPlatformHttpConsumer {

        private final PlatformHttpConsumer vertx;

        BothDoors(PlatformHttpEndpoint endpoint, Processor processor, Executor tasks, PlatformHttpConsumer vertx) {
            super(endpoint, processor, tasks);
            this.vertx = vertx;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            ServiceHelper.startService(vertx);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(vertx);
            super.doStop();
        }

        @Override
        protected void doSuspend() throws Exception {
            ServiceHelper.suspendService(vertx);
            super.doSuspend();
        }

        @Override
        protected void doResume() throws Exception {
            super.doResume();
            ServiceHelper.resumeService(vertx);
        }
    }

    /** Stops the start when the doors' port cannot be bound (a probe bound and closed at once, before Vert.x binds). */
    static void refuseATakenPort(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("the webhook doors' port " + host + ":" + port + " cannot be opened ("
                    + e.getMessage() + "): set KYC_WEBHOOKS_VERTX_PORT to a free port", e);
        }
    }

    private static void answerProblems(Router router, CamelContext camel, InboxMetrics metrics,
                                       long maxBytes) {
        // Routes start one by one after the server: until then a provider would get a 404, which it may take as final.
        router.errorHandler(404, request -> {
            if (!WebhookReadinessFilter.webhooksReady(camel)) {
                request.response().putHeader("Retry-After", WebhookReadinessFilter.RETRY_AFTER_SECONDS);
                problem(request, 503, WebhookReadinessFilter.STARTING);
            } else {
                problem(request, 404, "no webhook is received at this path");
            }
        });
        router.errorHandler(405, request -> problem(request, 405, "a webhook is delivered with POST"));
        router.errorHandler(413, request -> {
            metrics.rejectedWebhook(request.normalizedPath());
            problem(request, 413, RawBodyFilter.overTheLimit(maxBytes));
        });
        router.errorHandler(500, request -> problem(request, 500, "the message was not stored, deliver again later"));
    }

    private static void problem(RoutingContext request, int status, String detail) {
        request.response().setStatusCode(status).putHeader("Content-Type", ErrorAnswer.CONTENT_TYPE)
                .end(ErrorAnswer.json(ErrorAnswer.of(status, detail, request.normalizedPath())));
    }
}
