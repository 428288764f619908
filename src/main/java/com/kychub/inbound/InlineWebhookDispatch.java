package com.kychub.inbound;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code kyc.webhooks.dispatch=inline}, platform-http runs a webhook's route on the Tomcat thread that read it,
 * instead of handing it to Spring's task pool while that thread waits (Camel's default): one hand-off fewer per
 * webhook. A candidate measured by {@code bench/ingest.sh} (CANDIDATES), off by default.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kyc.webhooks.dispatch", havingValue = "inline")
public class InlineWebhookDispatch {

    @Bean("platform-http-engine")
    public PlatformHttpEngine inlinePlatformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }
}
