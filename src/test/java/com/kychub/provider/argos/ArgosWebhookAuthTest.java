package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.WebhookRejectedException;
import org.junit.jupiter.api.Test;

/** The door checks of ARGOS webhooks: authentication, decryption, shape and the dedup key. */
class ArgosWebhookAuthTest {

    private static final String ENCRYPTED = "{\"data\":\"" + ArgosEncryptionTest.ECB_WITH_API_KEY + "\"}";

    private final ArgosWebhookAuth plain = webhook("hmac-sha256", "none");
    private final ArgosWebhookAuth encrypted = webhook("none", "aes-256-ecb");

    @Test
    void aPlainWebhookIsValidatedAndKeyedByItsCompactForm() {
        String reformatted = ArgosEncryptionTest.PLAIN.replace(",", ",\n  ");
        assertThat(plain.dedupKey(bytes(ArgosEncryptionTest.PLAIN))).startsWith("sha256:")
                .isEqualTo(plain.dedupKey(bytes(reformatted)));
        assertThat(plain.dedupKey(bytes(ArgosEncryptionTest.PLAIN.replace("approved", "rejected"))))
                .isNotEqualTo(plain.dedupKey(bytes(ArgosEncryptionTest.PLAIN)));
    }

    @Test
    void anEncryptedWebhookIsKeyedByWhatItDecryptsTo() {
        assertThat(encrypted.dedupKey(bytes(ENCRYPTED))).isEqualTo(plain.dedupKey(bytes(ArgosEncryptionTest.PLAIN)));
        assertThat(opener(encrypted).open(ENCRYPTED)).isEqualTo(ArgosEncryptionTest.PLAIN);
        assertThat(opener(encrypted).contentKey(opener(encrypted).open(ENCRYPTED)))
                .isEqualTo(encrypted.dedupKey(bytes(ENCRYPTED)));
    }

    @Test
    void withEncryptionOnAPlainOrUndecryptableBodyIsABadRequest() {
        assertThatThrownBy(() -> encrypted.dedupKey(bytes(ArgosEncryptionTest.PLAIN)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("ARGOS encryption is on (aes-256-ecb): the body must be {\"data\": \"<base64>\"}");
        assertThatThrownBy(() -> encrypted.dedupKey(bytes("{\"data\":\"" + ArgosEncryptionTest.ECB_WITH_SECRET_KEY
                + "\"}"))).hasMessage("'data' does not decrypt with the configured ARGOS key (aes-256-ecb)");
        assertThatThrownBy(() -> encrypted.dedupKey(bytes("{\"data\":\"%%%\"}"))).hasMessage("'data' is not base64");
    }

    @Test
    void aDecryptedBodyTheStoreCannotKeepIsABadRequest() throws Exception {
        // The door's NUL and surrogate check (found by FuzzIntegrationTest) holds for what an encrypted body hides too.
        javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/ECB/PKCS5Padding");
        aes.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes(ArgosEncryptionTest.API_KEY)), "AES"));
        String hidden = ArgosEncryptionTest.PLAIN.replace("sub-enc-1", "sub-enc-1\\u0000");
        String body = "{\"data\":\"" + java.util.Base64.getEncoder().encodeToString(aes.doFinal(bytes(hidden))) + "\"}";

        assertThatThrownBy(() -> encrypted.dedupKey(bytes(body)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("not storable text");
    }

    @Test
    void withEncryptionOffAnEncryptedBodyIsABadRequest() {
        assertThatThrownBy(() -> plain.dedupKey(bytes(ENCRYPTED)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("encryption is off");
    }

    @Test
    void theUpdatedTriggersDataObjectIsNotMistakenForAnEncryptedBody() {
        String updated = "{\"webhook_trigger\":\"updated\",\"submission_id\":\"s-1\",\"data\":{\"update\":[]}}";
        assertThat(plain.dedupKey(bytes(updated))).startsWith("sha256:");
        assertThat(opener(encrypted).open(updated)).isEqualTo(updated);
    }

    @Test
    void aBodyThatIsNotAnArgosWebhookIsABadRequest() {
        assertThatThrownBy(() -> plain.dedupKey(bytes("[1]"))).hasMessage("the body is not a JSON object");
        assertThatThrownBy(() -> plain.dedupKey(bytes("{\"submission_id\":\"s-1\"}")))
                .hasMessageContaining("'webhook_trigger' is required");
        assertThatThrownBy(() -> plain.dedupKey(bytes("{\"webhook_trigger\":\"approved\"}")))
                .hasMessage("'submission_id' is required");
        assertThatThrownBy(() -> plain.dedupKey(bytes(
                "{\"webhook_trigger\":\"approved\",\"submission_id\":\"s-1\",\"kyc_result\":[1]}")))
                .hasMessageContaining("not an ARGOS webhook");
        // A trigger the doc does not describe is kept whatever it carries: the worker records or flags it.
        assertThat(plain.dedupKey(bytes("{\"webhook_trigger\":\"something_new\"}"))).startsWith("sha256:");
    }

    @Test
    void theChosenSchemeAuthenticatesTheRawBody() {
        byte[] body = bytes(ArgosEncryptionTest.PLAIN);
        // openssl dgst -sha256 -hmac argos-webhook-secret over PLAIN: computed outside the hub.
        String signature = "124dff1878e2ad3e98395ef49d94bc463ea30a0f845cf83f4a151ffd9140471c";

        assertThatCode(() -> plain.authenticate(body, Map.of("x-signature", signature))).doesNotThrowAnyException();
        String wrong = signature.substring(0, 63) + (signature.endsWith("0") ? "1" : "0");
        assertThatThrownBy(() -> plain.authenticate(body, Map.of("x-signature", wrong)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> plain.authenticate(body, Map.of()))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(plain.webhookRouteId()).isEqualTo("argos-webhook");
        assertThat(plain.isConfigured()).isTrue();
        assertThat(webhook("", "none").isConfigured()).isFalse();
    }

    @Test
    void aStoredBodyThatNoLongerDecryptsIsUnmappable() {
        ArgosWebhookAuth otherKey = new ArgosWebhookAuth(properties("none", "aes-256-ecb", "rotated-key"),
                new ObjectMapper());
        assertThatThrownBy(() -> opener(otherKey).open(ENCRYPTED)).isInstanceOf(UnmappableMessageException.class);
        assertThatThrownBy(() -> opener(plain).open(ENCRYPTED)).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("encryption is none");
    }

    /** What argos-process opens stored bodies with: only the door's decryption and JSON are needed here. */
    private static ArgosProcess opener(ArgosWebhookAuth auth) {
        return new ArgosProcess(null, null, null, null, null, auth, new ObjectMapper());
    }

    private static ArgosWebhookAuth webhook(String scheme, String encryption) {
        return new ArgosWebhookAuth(properties(scheme, encryption, ArgosEncryptionTest.API_KEY), new ObjectMapper());
    }

    private static KycProperties properties(String scheme, String encryption, String apiKey) {
        KycProperties.WebhookAuth auth = new KycProperties.WebhookAuth(scheme, "X-Signature", "hex",
                "argos-webhook-secret");
        return new KycProperties(null, null, null, new KycProperties.Providers(null, null,
                new KycProperties.Argos(auth, encryption, apiKey, null, null, 10, 30, 5, 50, null), null, null));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
