package com.kychub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Secrets from files: the hub's own configuration ({@code application.yml}, with its
 * {@code spring.config.import} of {@code KYC_SECRETS_DIR}) read by Spring Boot, as at start-up, against a directory
 * laid out as Docker (one file per secret) or Kubernetes (files linked through {@code ..data}) mounts secrets.
 */
class SecretsFromFilesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(KycProperties.class)
    static class Settings {
    }

    @TempDir
    Path secrets;

    @Test
    void aFileNamedLikeTheVariableSuppliesItWithoutItsTrailingNewline() throws IOException {
        Files.writeString(secrets.resolve("KYC_STRIGA_API_KEY"), "striga-key-from-a-file\n");
        Files.writeString(secrets.resolve("KYC_API_KEYS"), "first-key,second-key\r\n");
        Files.writeString(secrets.resolve("KYC_DB_PASSWORD"), "no newline at all");

        KycProperties settings = settings(secrets);

        assertThat(settings.providers().striga().apiKey()).isEqualTo("striga-key-from-a-file");
        assertThat(settings.api().keys()).containsExactly("first-key", "second-key");
        assertThat(settings.db().password()).isEqualTo("no newline at all");
        assertThat(settings.providers().width().apiSecret()).as("no file, no value").isNullOrEmpty();
    }

    /** A Kubernetes secret volume: each key a link to {@code ..data/<key>}, {@code ..data} a link to the version. */
    @Test
    void aKubernetesSecretVolumeSuppliesItsKeys() throws IOException {
        Path version = Files.createDirectory(secrets.resolve("..2026_12_06_14_00_00.123456789"));
        Files.writeString(version.resolve("KYC_WIDTH_API_SECRET"), "width-secret-from-kubernetes\n");
        Files.createSymbolicLink(secrets.resolve("..data"), version.getFileName());
        Files.createSymbolicLink(secrets.resolve("KYC_WIDTH_API_SECRET"), Path.of("..data/KYC_WIDTH_API_SECRET"));

        assertThat(settings(secrets).providers().width().apiSecret()).isEqualTo("width-secret-from-kubernetes");
    }

    @Test
    void aMissingDirectoryIsNoError() {
        assertThat(settings(secrets.resolve("absent")).providers().striga().apiKey()).isNullOrEmpty();
    }

    private static KycProperties settings(Path secretsDir) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Settings.class)
                .web(WebApplicationType.NONE).logStartupInfo(false)
                .run("--KYC_SECRETS_DIR=" + secretsDir)) {
            return context.getBean(KycProperties.class);
        }
    }
}
