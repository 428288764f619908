package com.kychub.provider.ondato;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.inbound.WebhookRejectedException;
import org.junit.jupiter.api.Test;

/** The envelope in both spellings, the HTTP Basic check and the door's validation. */
class OndatoEnvelopeTest {

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void theEnvelopeIsReadInCamelCase() throws Exception {
        OndatoEnvelope webhook = json.readValue("""
                {"id":"e-1","applicationId":"app","createdUtc":"2024-05-06T07:08:09Z","deliveredUtc":null,
                 "isDelivered":false,"payload":{"identityVerificationId":"idv-1"},"type":"KycIdentification.Approved",
                 "somethingNew":1}""", OndatoEnvelope.class);
        assertThat(webhook.id()).isEqualTo("e-1");
        assertThat(webhook.type()).isEqualTo("KycIdentification.Approved");
        assertThat(webhook.isDelivered()).isFalse();
        assertThat(OndatoEnvelope.text(webhook.payload(), "identityVerificationId")).isEqualTo("idv-1");
    }

    @Test
    void theEnvelopeIsReadInTheOlderPascalCase() throws Exception {
        OndatoEnvelope webhook = json.readValue("""
                {"Id":"e-2","ApplicationId":"app","CreatedUtc":"2023-01-01T00:00:00Z","IsDelivered":true,
                 "Payload":{"IdentityVerificationId":"idv-2","Id":"kyc-2"},"Type":"KycIdentification.Created"}""",
                OndatoEnvelope.class);
        assertThat(webhook.id()).isEqualTo("e-2");
        assertThat(webhook.applicationId()).isEqualTo("app");
        assertThat(webhook.isDelivered()).isTrue();
        assertThat(webhook.type()).isEqualTo("KycIdentification.Created");
        assertThat(OndatoEnvelope.text(webhook.payload(), "identityVerificationId")).isEqualTo("idv-2");
        assertThat(OndatoEnvelope.text(webhook.payload(), "id")).isEqualTo("kyc-2");
    }

    @Test
    void httpBasicCredentialsAreChecked() {
        OndatoWebhookAuth intake = intake("ondato", "s3cret");
        assertThatCode(() -> intake.authenticate(basic("ondato:s3cret"))).doesNotThrowAnyException();
        assertThatCode(() -> intake.authenticate(Map.of("authorization", "basic " + encode("ondato:s3cret"))))
                .doesNotThrowAnyException();
        for (Map<String, String> wrong : new Map[] {basic("ondato:s3cre"), basic("ondato:s3cret2"),
                basic("Ondato:s3cret"), basic("ondato"), Map.of("authorization", "Basic %%%"),
                Map.of("authorization", "Bearer s3cret"), Map.of()}) {
            assertThatThrownBy(() -> intake.authenticate(wrong)).isInstanceOf(WebhookRejectedException.class)
                    .extracting(e -> ((WebhookRejectedException) e).status()).isEqualTo(401);
        }
    }

    @Test
    void withoutConfiguredCredentialsEveryWebhookIsRefused() {
        assertThatThrownBy(() -> intake(null, null).authenticate(basic("a:b")))
                .hasMessageContaining("not configured");
        assertThatThrownBy(() -> intake("ondato", "").authenticate(basic("ondato:")))
                .hasMessageContaining("not configured");
    }

    @Test
    void theDedupKeyIsTheEnvelopeIdInEitherSpelling() {
        OndatoWebhookAuth intake = intake("u", "p");
        assertThat(intake.dedupKey(bytes("{\"id\":\"e-1\",\"type\":\"X\",\"payload\":{}}"))).isEqualTo("id:e-1");
        assertThat(intake.dedupKey(bytes("{\"Id\":\"e-1\",\"Type\":\"X\",\"Payload\":{}}"))).isEqualTo("id:e-1");
        assertThatThrownBy(() -> intake.dedupKey(bytes("{\"type\":\"X\",\"payload\":{}}"))).hasMessageContaining("'id'");
        assertThatThrownBy(() -> intake.dedupKey(bytes("{\"id\":1,\"type\":\"X\",\"payload\":{}}")))
                .hasMessageContaining("'id'");
        assertThatThrownBy(() -> intake.dedupKey(bytes("{\"id\":\"e\",\"payload\":{}}"))).hasMessageContaining("'type'");
        assertThatThrownBy(() -> intake.dedupKey(bytes("{\"id\":\"e\",\"type\":\"X\",\"payload\":[]}")))
                .hasMessageContaining("'payload'");
        assertThatThrownBy(() -> intake.dedupKey(bytes("{\"id\":"))).hasMessage("the body is not a JSON object");
    }

    private OndatoWebhookAuth intake(String user, String password) {
        KycProperties.Ondato ondato = new KycProperties.Ondato("http://idv", "http://kyc", "setup",
                "https://idv.ondato.com/?id={id}", null, user, password, 10, 30, 5, 50, null);
        return new OndatoWebhookAuth(new KycProperties(null, null, null,
                new KycProperties.Providers(null, null, null, ondato, null)), json);
    }

    private static Map<String, String> basic(String credentials) {
        return Map.of("authorization", "Basic " + encode(credentials));
    }

    private static String encode(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
