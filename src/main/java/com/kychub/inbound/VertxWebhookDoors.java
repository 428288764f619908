package com.kychub.inbound;

import com.kychub.KycProperties;
import com.kychub.http.ErrorAnswer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskExecutionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code kyc.webhooks.engine=vertx}, the webhook doors (every platform-http route) are served by Camel's Vert.x
 * engine for platform-http on a port of their own ({@code kyc.webhooks.vertx-port}), instead of Tomcat, Spring MVC's
 * asynchronous dispatch and the servlet filters: about a third of the CPU per webhook ({@code bench/ingest.sh}
 * CANDIDATES, see bench/README.md). The door is the same route, so the same promises hold: authentication on the raw
 * bytes, 2xx only after the commit, 4xx for what is refused. What the servlet filters answer on the API's port is
 * answered here by the router's error handlers, as problems too: 503 with Retry-After while the routes start, 404
 * for a path that is no door, 405 for another method than POST, 413 over {@code kyc.inbox.max-body-size}.
 * Off by default: it moves the webhook URLs the providers were given to another port.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kyc.webhooks.engine", havingValue = "vertx")
public class VertxWebhookDoors {

    @Bean("platform-http-engine")
    public PlatformHttpEngine vertxPlatformHttpEngine() {
        return new VertxPlatformHttpEngine();
    }

    /** As many blocking workers as Spring's task pool has threads: each webhook waits in one for its commit. */
    @Bean(destroyMethod = "close")
    public Vertx webhookVertx(TaskExecutionProperties taskExecution) {
        return Vertx.vertx(new VertxOptions().setWorkerPoolSize(taskExecution.getPool().getCoreSize()));
    }

    /** A bean, so that the engine finds in Camel's registry which port's router its consumers are on. */
    @Bean
    public VertxPlatformHttpServerConfiguration vertxWebhookServerConfiguration(
            KycProperties properties, @Value("${kyc.webhooks.vertx-port}") int port,
            @Value("${server.address:0.0.0.0}") String host) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(host);
        configuration.setBindPort(port);
        configuration.setMaxBodySize(properties.inbox().maxBodySize().toBytes());
        return configuration;
    }

    @Bean
    public CamelContextConfiguration vertxWebhookServer(Vertx vertx, InboxMetrics metrics,
                                                        VertxPlatformHttpServerConfiguration configuration) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
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
