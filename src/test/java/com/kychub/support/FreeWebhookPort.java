package com.kychub.support;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.util.TestSocketUtils;

/**
 * Gives every hub the tests start a free port for its webhook doors' own server (kyc.webhooks.vertx-port), as
 * {@code server.port=0} does for Tomcat: the test contexts are cached and run side by side, and would otherwise all
 * bind 8081. Through the variable application.yml reads, so that a test setting the property itself still decides.
 */
public class FreeWebhookPort implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("freeWebhookPort",
                Map.of("KYC_WEBHOOKS_VERTX_PORT", TestSocketUtils.findAvailableTcpPort())));
    }
}
