package com.kychub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import com.kychub.provider.argos.ArgosEncryption;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's pieces on their own: outcome words, ARGOS's encryption as the hub reads it, webhook auth headers, and
 * a webhook's headers computed over the very bytes it sends.
 */
class SandboxPartsTest {

    @Test
    void outcomesAreReadFromAWordInTheCustomer() {
        assertThat(Outcome.of("demo-striga-reject-final-1a2b3c")).isEqualTo(Outcome.REJECT_FINAL);
        assertThat(Outcome.of("demo-cf-reject_final")).isEqualTo(Outcome.REJECT_FINAL);
        assertThat(Outcome.of("Demo-Reject-1")).isEqualTo(Outcome.REJECT);
        assertThat(Outcome.of(null, "someone-expire@example.com")).isEqualTo(Outcome.EXPIRE);
        assertThat(Outcome.of("user-error")).isEqualTo(Outcome.ERROR);
        assertThat(Outcome.of("ada", null)).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void argosBodiesEncryptedByTheSandboxDecryptWithTheHubsKey() throws Exception {
        String plain = "{\"webhook_trigger\":\"submit\",\"submission_id\":\"s-1\"}";
        String sealed = SandboxArgos.encryptEcb(plain.getBytes(StandardCharsets.UTF_8), "sandbox-argos-api-key");
        byte[] opened = new ArgosEncryption(ArgosEncryption.Mode.AES_256_ECB, "sandbox-argos-api-key").decrypt(sealed);
        assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo(plain);
    }

    /** Signatures computed outside the hub: {@code openssl dgst -sha256 -hmac s} over {@code {"a":1}}. */
    @Test
    void webhookAuthHeadersFollowTheConfiguredScheme() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(Sandbox.authenticate(new KycProperties.WebhookAuth("hmac-sha256", "X-Signature", "hex", "s"), body))
                .isEqualTo(Map.of("X-Signature", "37beaf650f70b40ec9706929c2e9d835cbd63729988f48781e6383a147215f07"));
        assertThat(Sandbox.authenticate(new KycProperties.WebhookAuth("bearer", "X-Signature", "hex", "s"), body))
                .isEqualTo(Map.of("Authorization", "Bearer s"));
        assertThat(Sandbox.authenticate(new KycProperties.WebhookAuth("none", "X-Signature", "hex", null), body))
                .isEmpty();
        assertThat(Sandbox.authenticate(new KycProperties.WebhookAuth("hmac-sha256", "X-Sig", "base64", "s"), body))
                .isEqualTo(Map.of("X-Sig", "N76vZQ9wtA7JcGkpwunYNcvWNymYj0h4HmODoUchXwc="));
    }

    /**
     * The signature covers the very bytes sent: {@code openssl dgst -sha256 -hmac k} over
     * {@code {"userId":"u-1","status":"APPROVED"}}, the signer written here with javax.crypto, not the hub's code.
     */
    @Test
    void aWebhookIsAuthenticatedOverTheBytesItSends() {
        ObjectNode body = new ObjectMapper().createObjectNode().put("userId", "u-1").put("status", "APPROVED");
        Sandbox.Delivery delivery = Sandbox.webhook("striga", "/webhooks/striga/kyc", body,
                bytes -> Map.of("signature", hmacSha256Hex("k", bytes)));
        assertThat(new String(delivery.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"userId\":\"u-1\",\"status\":\"APPROVED\"}");
        assertThat(delivery.headers())
                .isEqualTo(Map.of("signature", "644ddb60e93c913d7a4ddfabca6c15d017bce1f0bd93575b28c7a7450d65cd1b"));
        assertThat(delivery.provider()).isEqualTo("striga");
        assertThat(delivery.path()).isEqualTo("/webhooks/striga/kyc");
    }

    private static String hmacSha256Hex(String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
