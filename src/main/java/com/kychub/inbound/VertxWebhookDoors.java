package com.kychub.inbound;

import com.kychub.KycProperties;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code kyc.webhooks.engine=vertx}, the webhook doors (every platform-http route) are served by Camel's Vert.x
 * engine on a port of their own ({@code kyc.webhooks.vertx-port}) instead of Tomcat, Spring MVC's asynchronous
 * dispatch and the servlet filters. A candidate measured by {@code bench/ingest.sh} (CANDIDATES), off by default: on
 * that port the servlet filters' checks (the readiness 503, the size limit's 413 as a problem) are not made, and the
 * door alone checks the content type.
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
    public Vertx webhookVertx(@Value("${spring.task.execution.pool.core-size:64}") int workers) {
        return Vertx.vertx(new VertxOptions().setWorkerPoolSize(workers));
    }

    @Bean
    public CamelContextConfiguration vertxWebhookServer(Vertx vertx, KycProperties properties,
                                                        @Value("${kyc.webhooks.vertx-port}") int port,
                                                        @Value("${server.address:0.0.0.0}") String host) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
                configuration.setBindHost(host);
                configuration.setBindPort(port);
                configuration.setMaxBodySize(properties.inbox().maxBodySize().toBytes());
                VertxPlatformHttpServer server = new VertxPlatformHttpServer(configuration);
                server.setVertx(vertx);
                try {
                    context.addService(server);
                } catch (Exception e) {
                    throw new IllegalStateException("the Vert.x server for the webhooks did not start", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
            }
        };
    }
}
