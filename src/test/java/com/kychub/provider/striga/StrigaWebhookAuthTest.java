package com.kychub.provider.striga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.inbound.WebhookRejectedException;
import org.junit.jupiter.api.Test;

/**
 * Striga's signature and body checks. The expected signatures were computed outside the hub with
 * {@code openssl dgst -sha256 -hmac test-striga-key}.
 */
class StrigaWebhookAuthTest {

    private static final String KEY = "test-striga-key";
    /** HMAC of fixtures/striga/rejected.json exactly as stored (pretty-printed, trailing newline). */
    private static final String RAW_SIGNATURE = "497aa8910376e84864ef73b07366a72d6d6593d28ee1d5ab22b0cdf5bb2e42a3";
    /** HMAC of the same payload as JavaScript's JSON.stringify writes it (compact, key order kept). */
    private static final String STRINGIFY_SIGNATURE = "ecb24897cb15450e111d5da0d397848bdc1aebfcaac2e405e99708636a7b5d65";

    private final StrigaWebhookAuth webhook = webhook(KEY, true);

    @Test
    void aSignatureOverTheRawBodyIsAccepted() throws IOException {
        assertThatCode(() -> webhook.authenticate(fixture(), Map.of("signature", RAW_SIGNATURE)))
                .doesNotThrowAnyException();
    }

    @Test
    void aSignatureOverJsonStringifyIsAcceptedForAReformattedBody() throws IOException {
        assertThatCode(() -> webhook.authenticate(fixture(), Map.of("signature", STRINGIFY_SIGNATURE)))
                .doesNotThrowAnyException();
    }

    @Test
    void upperCaseHexIsTheSameSignature() throws IOException {
        assertThatCode(() -> webhook.authenticate(fixture(), Map.of("signature", RAW_SIGNATURE.toUpperCase())))
                .doesNotThrowAnyException();
    }

    @Test
    void aWrongSignatureIsRefusedWith401() throws IOException {
        String wrong = RAW_SIGNATURE.substring(0, 63) + "0";
        assertThatThrownBy(() -> webhook.authenticate(fixture(), Map.of("signature", wrong)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aSignatureWithAnotherKeyIsRefused() throws IOException {
        StrigaWebhookAuth otherKey = webhook("another-key", true);
        assertThatThrownBy(() -> otherKey.authenticate(fixture(), Map.of("signature", RAW_SIGNATURE)))
                .isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void aTamperedBodyIsRefused() throws IOException {
        byte[] tampered = new String(fixture(), StandardCharsets.UTF_8).replace("REJECTED", "APPROVED")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> webhook.authenticate(tampered, Map.of("signature", RAW_SIGNATURE)))
                .isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void aMissingOrNonHexSignatureIsRefused() throws IOException {
        byte[] body = fixture();
        assertThatThrownBy(() -> webhook.authenticate(body, Map.of())).hasMessage("missing signature header");
        assertThatThrownBy(() -> webhook.authenticate(body, Map.of("signature", "not-hex")))
                .hasMessage("invalid signature");
    }

    @Test
    void withoutAnApiKeyEveryWebhookIsRefused() throws IOException {
        StrigaWebhookAuth unconfigured = webhook(null, true);
        assertThatThrownBy(() -> unconfigured.authenticate(fixture(), Map.of("signature", RAW_SIGNATURE)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void theDedupKeyIgnoresFormattingButNotContent() throws IOException {
        String compact = new ObjectMapper().readTree(fixture()).toString();
        assertThat(webhook.dedupKey(fixture())).isEqualTo(webhook.dedupKey(compact.getBytes(StandardCharsets.UTF_8)));
        assertThat(webhook.dedupKey(compact.replace("REJECTED", "APPROVED").getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(webhook.dedupKey(fixture()));
    }

    @Test
    void aBodyWithoutUserIdOrStatusIsABadRequest() {
        assertThatThrownBy(() -> webhook.dedupKey("{\"status\":\"APPROVED\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("userId");
        assertThatThrownBy(() -> webhook.dedupKey("{\"userId\":\"u\",\"status\":7}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("status");
        assertThatThrownBy(() -> webhook.dedupKey("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the body is not a JSON object");
        assertThatThrownBy(() -> webhook.dedupKey("{\"userId\":".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the body is not a JSON object");
        assertThatThrownBy(() -> webhook.dedupKey(
                "{\"userId\":\"u\",\"status\":\"APPROVED\",\"details\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a Striga KYC webhook");
    }

    @Test
    void detailsThatAreNotAllStringsAreABadRequest() {
        // Found by FuzzIntegrationTest: a null label reached the mapping, failed it, and the message went DEAD.
        for (String details : new String[] {"[\"A\",null]", "[1,\"two\"]", "[true]"}) {
            assertThatThrownBy(() -> webhook.dedupKey(("{\"userId\":\"u\",\"status\":\"REJECTED\",\"details\":"
                    + details + "}").getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessage("'details' must be an array of strings");
        }
        assertThatCode(() -> webhook.dedupKey("{\"userId\":\"u\",\"status\":\"REJECTED\",\"details\":null}"
                .getBytes(StandardCharsets.UTF_8))).doesNotThrowAnyException();
    }

    private static StrigaWebhookAuth webhook(String apiKey, boolean authentication) {
        return new StrigaWebhookAuth(new KycProperties(null, null, null,
                new KycProperties.Providers(new KycProperties.Striga(apiKey, authentication, null, null, 10, 30, 5, 50, null), null, null, null, null)),
                new ObjectMapper());
    }

    private byte[] fixture() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/striga/rejected.json")) {
            return in.readAllBytes();
        }
    }
}
