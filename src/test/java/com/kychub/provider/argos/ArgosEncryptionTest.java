package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import com.kychub.KycProperties;
import org.junit.jupiter.api.Test;

/**
 * ARGOS's encryption option against vectors computed outside the hub. ECB (ARGOS's documented mode):
 * <pre>printf %s "$PLAIN" | openssl enc -aes-256-ecb -nosalt \
 *     -K $(printf %s test-argos-api-key | sha256sum | cut -d' ' -f1) | base64 -w0</pre>
 * GCM (layout assumed by the hub: IV ‖ ciphertext ‖ tag), with Python's {@code cryptography}:
 * <pre>AESGCM(sha256(b"test-argos-api-key").digest()).encrypt(bytes.fromhex("000102030405060708090a0b"), plain, None)
 * and base64 of the IV followed by that output.</pre>
 */
class ArgosEncryptionTest {

    static final String API_KEY = "test-argos-api-key";
    static final String SECRET_KEY = "test-argos-secret-key";
    static final String PLAIN = "{\"webhook_trigger\":\"approved\",\"submission_id\":\"sub-enc-1\","
            + "\"kyc_result\":{\"status\":\"approved\",\"updated_at\":\"2024-03-04 09:30:02\"}}";
    static final String ECB_WITH_API_KEY = "tDFVafoKqaKtVm+GLhHg3WOqU35BaO+SuOwYXkxdHyccH4I3WdjGpL0rX4SMaC+W3FG8gtXNMLnc"
            + "Sm9QFjulaVqYJhNTuOyZZA5Xobo0jGpEUbFuV85VA2Y8RPugrCUA2h/kfO63YZkuVLdg4gLRfgc0HxFdcH6hpSbXLkMeqNUBAtgk/843JY"
            + "HnS2fZbkZU";
    static final String ECB_WITH_SECRET_KEY = "a2ErCxCz1BIX//QYK6be00F79Fui0bphOdoP53+fAYYWxvsBkIByWsmXvrwge3z8lGzML3Qm"
            + "UtnbuLpDBYCWzBxAWE1LMlY++asZLhYIbnZk7VANpksiHNRBYli/JDYuKkoXSYdhSyM7kqAAGe/qxm2p9dnIruGioklUsn7py6b++hFpMJ"
            + "y7XdZ8tgPUhGCy";
    static final String GCM_WITH_API_KEY = "AAECAwQFBgcICQoLZlcRvDmPOSFUIzoBSTGvyzxcYmh68HQdG5tBttjEim4Ct7iKecoqvTWD168l"
            + "KhafzT43RPVcqRh+7FIN7RQ7xfFTLTZTeQbICwYpjimJeC6djgA+G2wpe4yILNCro7nyi8EEsB/t3Ex+uD77sPUV8Fo8CunKXMP9KaT90R"
            + "d1xXVKfnThj/x/nLGrVdNI839r";

    private final ArgosEncryption ecb = new ArgosEncryption(ArgosEncryption.Mode.AES_256_ECB, API_KEY);
    private final ArgosEncryption gcm = new ArgosEncryption(ArgosEncryption.Mode.AES_256_GCM, API_KEY);

    @Test
    void ecbWithTheSha256OfTheApiKeyDecryptsOpensslsOutput() throws Exception {
        assertThat(new String(ecb.decrypt(ECB_WITH_API_KEY), StandardCharsets.UTF_8)).isEqualTo(PLAIN);
    }

    @Test
    void gcmWithIvCiphertextTagDecryptsPythonsOutput() throws Exception {
        assertThat(new String(gcm.decrypt(GCM_WITH_API_KEY), StandardCharsets.UTF_8)).isEqualTo(PLAIN);
    }

    @Test
    void base64SplitOverLinesIsTheSameBody() throws Exception {
        String wrapped = ECB_WITH_API_KEY.substring(0, 76) + "\r\n" + ECB_WITH_API_KEY.substring(76);
        assertThat(new String(ecb.decrypt(wrapped), StandardCharsets.UTF_8)).isEqualTo(PLAIN);
    }

    @Test
    void theSecretKeyWinsOverTheApiKeyWhenSet() throws Exception {
        ArgosEncryption withSecret = ArgosWebhookAuth.encryption(new KycProperties.Argos(null, "aes-256-ecb",
                API_KEY, SECRET_KEY, null, 10, 30, 5, 50, null));
        ArgosEncryption withApiKeyOnly = ArgosWebhookAuth.encryption(new KycProperties.Argos(null,
                "AES-256-ECB", API_KEY, "", null, 10, 30, 5, 50, null));

        assertThat(new String(withSecret.decrypt(ECB_WITH_SECRET_KEY), StandardCharsets.UTF_8)).isEqualTo(PLAIN);
        assertThatThrownBy(() -> withSecret.decrypt(ECB_WITH_API_KEY))
                .isInstanceOf(ArgosEncryption.UndecryptableException.class);
        assertThat(new String(withApiKeyOnly.decrypt(ECB_WITH_API_KEY), StandardCharsets.UTF_8)).isEqualTo(PLAIN);
    }

    @Test
    void theWrongKeyOrModeOrADamagedBodyDoesNotDecrypt() {
        ArgosEncryption otherKey = new ArgosEncryption(ArgosEncryption.Mode.AES_256_ECB, "another-key");
        assertThatThrownBy(() -> otherKey.decrypt(ECB_WITH_API_KEY))
                .isInstanceOf(ArgosEncryption.UndecryptableException.class)
                .hasMessage("'data' does not decrypt with the configured ARGOS key (aes-256-ecb)");
        assertThatThrownBy(() -> gcm.decrypt(ECB_WITH_API_KEY))
                .isInstanceOf(ArgosEncryption.UndecryptableException.class);
        String tampered = GCM_WITH_API_KEY.substring(0, 40) + (GCM_WITH_API_KEY.charAt(40) == 'A' ? 'B' : 'A')
                + GCM_WITH_API_KEY.substring(41);
        assertThatThrownBy(() -> gcm.decrypt(tampered)).isInstanceOf(ArgosEncryption.UndecryptableException.class);
        assertThatThrownBy(() -> ecb.decrypt("not base64!")).hasMessage("'data' is not base64");
        assertThatThrownBy(() -> ecb.decrypt("AAAA")).isInstanceOf(ArgosEncryption.UndecryptableException.class);
        assertThatThrownBy(() -> gcm.decrypt("AAAA")).hasMessageContaining("too short");
    }

    @Test
    void modesAreNamedAsConfiguredAndEncryptionNeedsAKey() {
        assertThat(ArgosEncryption.parse("none")).isEqualTo(ArgosEncryption.Mode.NONE);
        assertThat(ArgosEncryption.parse("")).isEqualTo(ArgosEncryption.Mode.NONE);
        assertThat(ArgosEncryption.parse("aes-256-gcm")).isEqualTo(ArgosEncryption.Mode.AES_256_GCM);
        assertThatThrownBy(() -> ArgosEncryption.parse("aes-128-cbc")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("none, aes-256-ecb or aes-256-gcm");
        assertThatThrownBy(() -> ArgosWebhookAuth.encryption(new KycProperties.Argos(null, "aes-256-ecb",
                null, null, null, 10, 30, 5, 50, null))).isInstanceOf(IllegalStateException.class).hasMessageContaining("KYC_ARGOS_API_KEY");
    }
}
