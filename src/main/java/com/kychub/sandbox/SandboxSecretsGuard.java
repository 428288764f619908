package com.kychub.sandbox;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedResource;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The sandbox profile refuses to start when a provider secret is set from outside the hub's own packaged
 * configuration: in the environment, a secret file ({@code spring.config.import=optional:configtree:...}), a system
 * property, the command line or {@code ./config/application.yml}. The sandbox's secrets are public demo values and its
 * providers are the hub's simulators, so a real secret there means someone points the sandbox at real providers.
 * The refusal names each setting, never its value. Runs once the configuration is read and logging is set up, before
 * anything starts (listed in {@code META-INF/spring.factories}).
 */
public class SandboxSecretsGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** A provider secret: its setting, and the environment variable {@code application.yml} reads it from. */
    record Secret(String setting, String variable) {
    }

    /** The API keys, API secrets, webhook secrets and passwords of the five providers, and Ondato's OAuth2 secret. */
    static final List<Secret> PROVIDER_SECRETS = List.of(
            new Secret("kyc.providers.striga.api-key", "KYC_STRIGA_API_KEY"),
            new Secret("kyc.providers.striga.api-secret", "KYC_STRIGA_API_SECRET"),
            new Secret("kyc.providers.connectfi.api-key", "KYC_CONNECTFI_API_KEY"),
            new Secret("kyc.providers.connectfi.webhook-auth.secret", "KYC_CONNECTFI_WEBHOOK_SECRET"),
            new Secret("kyc.providers.argos.api-key", "KYC_ARGOS_API_KEY"),
            new Secret("kyc.providers.argos.secret-key", "KYC_ARGOS_SECRET_KEY"),
            new Secret("kyc.providers.argos.webhook-auth.secret", "KYC_ARGOS_WEBHOOK_SECRET"),
            new Secret("kyc.providers.ondato.api-auth.api-key", "KYC_ONDATO_API_KEY"),
            new Secret("kyc.providers.ondato.api-auth.client-secret", "KYC_ONDATO_CLIENT_SECRET"),
            new Secret("kyc.providers.ondato.webhook-password", "KYC_ONDATO_WEBHOOK_PASSWORD"),
            new Secret("kyc.providers.width.api-key", "KYC_WIDTH_API_KEY"),
            new Secret("kyc.providers.width.api-secret", "KYC_WIDTH_API_SECRET"));

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        if (!environment.acceptsProfiles(Profiles.of("sandbox"))) {
            return;
        }
        List<String> found = new ArrayList<>();
        for (Secret secret : PROVIDER_SECRETS) {
            // The variable wherever it is set (an environment variable, a secret file of that name, ...): even where
            // application-sandbox.yml outranks it, it says real credentials are about.
            if (hasText(environment.getProperty(secret.variable()))) {
                found.add(secret.variable());
                continue;
            }
            ConfigurationProperty setting = effective(environment, secret.setting());
            if (setting != null && hasText(String.valueOf(setting.getValue())) && !packaged(setting.getOrigin())) {
                found.add(setting.getOrigin() == null ? secret.setting()
                        : secret.setting() + " (" + setting.getOrigin() + ")");
            }
        }
        if (!found.isEmpty()) {
            throw new RealSecretsException(found);
        }
    }

    /** The setting as the hub will bind it: from the first source that has it under any of its relaxed names. */
    private static ConfigurationProperty effective(ConfigurableEnvironment environment, String setting) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(setting);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return property;
            }
        }
        return null;
    }

    /** Read from the hub's own application.yml or application-sandbox.yml, on the class path. */
    private static boolean packaged(Origin origin) {
        Origin read = origin instanceof PropertySourceOrigin source && source.getOrigin() != null
                ? source.getOrigin() : origin;
        if (!(read instanceof TextResourceOrigin text)) {
            return false;
        }
        Resource resource = text.getResource() instanceof OriginTrackedResource tracked
                ? tracked.getResource() : text.getResource();
        return resource instanceof ClassPathResource;
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** Once the configuration is read and logging is set up: the refusal is logged as Spring Boot logs a failure. */
    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    /** The refusal, naming the settings found; {@link SandboxSecretsFailureAnalyzer} says what to do. */
    public static class RealSecretsException extends IllegalStateException {

        RealSecretsException(List<String> settings) {
            super("The sandbox profile refuses to start: provider secrets are set outside its own configuration: "
                    + String.join(", ", settings) + ". The sandbox's provider secrets are public and its providers "
                    + "are the hub's simulators; a real secret here means real providers are configured.");
        }
    }
}
