package com.kychub.support;

import java.io.IOException;
import java.net.ServerSocket;

import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A hub of a test class's own with the sandbox profile: the simulated providers on the hub's own port, which is
 * chosen before the context starts (the sandbox's base URLs are built from {@code server.port}), on a store emptied
 * at start-up (the simulators forget their users when the hub stops, so an earlier run's cases would be pulled from
 * providers that no longer know them), closed after the class (a sandbox hub left running, with its simulators,
 * sweeps, pollers and deliveries, would load the machine for the rest of the suite). A subclass declares
 * {@code @SpringBootTest(webEnvironment = DEFINED_PORT, properties = ...)} with a database and Camel name of its own.
 */
@ActiveProfiles("sandbox")
@TestPropertySource(properties = {
        "kyc.db.embedded-data-directory=target/embedded-postgres",
        "spring.flyway.clean-disabled=false"})
@Import(SandboxHubTest.EmptyStore.class)
@DirtiesContext
public abstract class SandboxHubTest {

    /** The sandbox profile's operator key (application-sandbox.yml). */
    protected static final String OPERATOR_KEY = "sandbox-operator-key";

    /** The port the hub listens on, chosen free before the context starts. */
    protected static int port;

    @TestConfiguration
    static class EmptyStore {
        @Bean
        FlywayMigrationStrategy emptyStore() {
            return flyway -> {
                flyway.clean();
                flyway.migrate();
            };
        }
    }

    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        registry.add("server.port", () -> port);
    }
}
