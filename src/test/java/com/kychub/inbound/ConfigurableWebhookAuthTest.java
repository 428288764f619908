package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.kychub.KycProperties;
import org.junit.jupiter.api.Test;

/** Signatures below were computed with {@code openssl dgst -sha256 -hmac s3cret} over {@code {"a":1}}. */
class ConfigurableWebhookAuthTest {

    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "5910e62016ef5034272c926c27071992a465c2335cecf41851bda071577f4f6d";
    private static final String HEX = "7a0a0e4b0e6cf1b5e5b0e0b7c6b5e1cc9f9a0f1f6cb0f0b8ad3bd0b79b40ae3c";

    @Test
    void hmacHexInTheConfiguredHeaderWithOrWithoutItsPrefix() {
        String signature = hex();
        var auth = authenticator("hmac-sha256", "X-Hub-Signature", "hex", "s3cret");

        assertThatCode(() -> auth.authenticate(BODY, Map.of("x-hub-signature", signature))).doesNotThrowAnyException();
        assertThatCode(() -> auth.authenticate(BODY, Map.of("x-hub-signature", "sha256=" + signature)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> auth.authenticate(BODY, Map.of("x-hub-signature", HEX)))
                .hasMessage("invalid signature");
        assertThatThrownBy(() -> auth.authenticate(BODY, Map.of())).hasMessage("missing x-hub-signature header");
    }

    @Test
    void hmacBase64() {
        String signature = java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(hex()));
        var auth = authenticator("hmac-sha256", "X-Signature", "base64", "s3cret");

        assertThatCode(() -> auth.authenticate(BODY, Map.of("x-signature", signature))).doesNotThrowAnyException();
        assertThatThrownBy(() -> auth.authenticate(BODY, Map.of("x-signature", hex())))
                .isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void bearerToken() {
        var auth = authenticator("bearer", "X-Signature", "hex", "s3cret");

        assertThatCode(() -> auth.authenticate(BODY, Map.of("authorization", "Bearer s3cret")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> auth.authenticate(BODY, Map.of("authorization", "Bearer s3cre")))
                .hasMessage("missing or invalid bearer token");
        assertThatThrownBy(() -> auth.authenticate(BODY, Map.of())).isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void noneMustBeChosenExplicitlyAndNoSchemeMeansNotConfigured() {
        assertThat(authenticator("none", "X-Signature", "hex", null).isConfigured()).isTrue();
        var unset = authenticator(null, "X-Signature", "hex", null);
        assertThat(unset.isConfigured()).isFalse();
        assertThatThrownBy(() -> unset.authenticate(BODY, Map.of()))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aSchemeWithoutASecretOrAnUnknownSchemeRefusesToStart() {
        assertThatThrownBy(() -> authenticator("hmac-sha256", "X-Signature", "hex", ""))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("KYC_TEST_WEBHOOK_SECRET");
        assertThatThrownBy(() -> authenticator("md5", "X-Signature", "hex", "s"))
                .hasMessageContaining("hmac-sha256, bearer or none");
    }

    private static String hex() {
        return SIGNATURE;
    }

    private static ConfigurableWebhookAuth authenticator(String scheme, String header, String encoding,
                                                                  String secret) {
        return new ConfigurableWebhookAuth("test",
                new KycProperties.WebhookAuth(scheme, header, encoding, secret));
    }
}
