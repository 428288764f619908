package com.kychub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.kychub.KycHubApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The sandbox profile, whose provider secrets are public, refuses to start when a provider secret comes from outside
 * the hub's own configuration (an environment variable, under the name application.yml reads or the setting's own, or
 * a secret file), naming the setting and never its value. Each start stops right after the check: no database, no
 * Camel.
 */
class SandboxSecretsGuardTest {

    private static final String REAL = "real-provider-secret-value";

    @Test
    void theSandboxStartsWithItsOwnPublicSecrets() {
        assertThat(start(Map.of(), "--spring.profiles.active=sandbox")).isInstanceOf(PastTheGuard.class);
    }

    @Test
    void aProviderSecretInTheEnvironmentStopsTheSandboxAndIsNamed() {
        Throwable refused = start(Map.of("KYC_STRIGA_API_KEY", REAL, "KYC_ONDATO_WEBHOOK_PASSWORD", REAL),
                "--spring.profiles.active=sandbox");

        assertThat(refused).isInstanceOf(SandboxSecretsGuard.RealSecretsException.class)
                .hasMessageContaining("KYC_STRIGA_API_KEY").hasMessageContaining("KYC_ONDATO_WEBHOOK_PASSWORD")
                .hasMessageContaining("public").hasMessageNotContaining(REAL);
    }

    @Test
    void aSettingSetInTheEnvironmentUnderItsOwnNameCountsToo() {
        Throwable refused = start(Map.of("KYC_PROVIDERS_WIDTH_APISECRET", REAL), "--spring.profiles.active=sandbox");

        assertThat(refused).isInstanceOf(SandboxSecretsGuard.RealSecretsException.class)
                .hasMessageContaining("kyc.providers.width.api-secret").hasMessageNotContaining(REAL);
    }

    @Test
    void aSecretFileStopsTheSandbox(@TempDir Path secrets) throws IOException {
        Files.writeString(secrets.resolve("KYC_ONDATO_CLIENT_SECRET"), REAL);
        Files.writeString(secrets.resolve("kyc.providers.argos.secret-key"), REAL);

        Throwable refused = start(Map.of(), "--spring.profiles.active=sandbox",
                "--spring.config.import=optional:configtree:" + secrets + "/");

        assertThat(refused).isInstanceOf(SandboxSecretsGuard.RealSecretsException.class)
                .hasMessageContaining("KYC_ONDATO_CLIENT_SECRET").hasMessageContaining("kyc.providers.argos.secret-key")
                .hasMessageNotContaining(REAL);
    }

    @Test
    void withoutTheSandboxProfileProviderSecretsAreWhatTheyAreFor() {
        assertThat(start(Map.of("KYC_STRIGA_API_KEY", REAL, "KYC_PROVIDERS_WIDTH_APISECRET", REAL)))
                .isInstanceOf(PastTheGuard.class);
    }

    /** Thrown once the context exists, after the guard: the hub itself need not start. */
    private static final class PastTheGuard extends RuntimeException {
    }

    /** Starts the hub with these environment variables (and none of the machine's), and answers why it stopped. */
    private static Throwable start(Map<String, Object> environmentVariables, String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        environmentVariables));
        SpringApplication application = new SpringApplication(KycHubApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setEnvironment(environment);
        application.addListeners(new ApplicationListener<ApplicationContextInitializedEvent>() {
            @Override
            public void onApplicationEvent(ApplicationContextInitializedEvent event) {
                throw new PastTheGuard();
            }
        });
        return catchThrowable(() -> application.run(args));
    }
}
