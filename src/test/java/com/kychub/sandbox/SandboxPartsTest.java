package com.kychub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import com.kychub.inbound.HmacSignatures;
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

    @Test
    void webhookAuthHeadersFollowTheConfiguredScheme() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(Sandbox.authenticate(new KycProperties.WebhookAuth("hmac-sha256", "X-Signature", "hex", "s"), body))
                .isEqualTo(Map.of("X-Signature", HmacSignatures.hexHmacSha256("s", body)));
        assertThat(Sandbox.authenticate(new KycProperties.WebhookAuth("bearer", "X-Signature", "hex", "s"), body))
                .isEqualTo(Map.of("Authorization", "Bearer s"));
        assertThat(Sandbox.authenticate(new KycProperties.WebhookAuth("none", "X-Signature", "hex", null), body))
                .isEmpty();
        assertThat(Sandbox.authenticate(new KycProperties.WebhookAuth("hmac-sha256", "X-Sig", "base64", "s"), body)
                .get("X-Sig")).isEqualTo(java.util.Base64.getEncoder().encodeToString(HmacSignatures.hmacSha256("s", body)));
    }

    @Test
    void aWebhookIsAuthenticatedOverTheBytesItSends() {
        ObjectNode body = new ObjectMapper().createObjectNode().put("userId", "u-1").put("status", "APPROVED");
        Sandbox.Delivery delivery = Sandbox.webhook("striga", "/webhooks/striga/kyc", body,
                bytes -> Map.of("signature", HmacSignatures.hexHmacSha256("k", bytes)));
        assertThat(new String(delivery.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"userId\":\"u-1\",\"status\":\"APPROVED\"}");
        assertThat(delivery.headers())
                .isEqualTo(Map.of("signature", HmacSignatures.hexHmacSha256("k", delivery.body())));
        assertThat(delivery.provider()).isEqualTo("striga");
        assertThat(delivery.path()).isEqualTo("/webhooks/striga/kyc");
    }
}
