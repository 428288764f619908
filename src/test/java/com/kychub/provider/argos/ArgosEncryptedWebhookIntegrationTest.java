package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * ARGOS with its encryption option on (AES-256-ECB keyed with the SHA-256 of the API key) and webhook-auth scheme
 * {@code none}: a body that decrypts is the proof it comes from ARGOS. A hub of its own, on a database of its own,
 * since the encryption mode is one setting for the whole hub.
 */
@TestPropertySource(properties = {
        "kyc.db.local-database=${kyc.test.database:kyc_hub_test}_argos_ecb",
        "kyc.providers.argos.encryption=aes-256-ecb",
        "kyc.providers.argos.webhook-auth.scheme=none"})
class ArgosEncryptedWebhookIntegrationTest extends ArgosHubTest {

    @Override
    HttpResponse<String> postArgos(String body) {
        return postRaw(envelope(encrypt(body, ARGOS_API_KEY)));
    }

    private HttpResponse<String> postRaw(String body) {
        return post(PATH, body, Map.of("Content-Type", "application/json"));
    }

    @Test
    void anEncryptedWebhookIsStoredAsReceivedAndProcessedDecrypted() {
        String envelope = envelope(encrypt(argosFixture("approved.json", "sub-enc"), ARGOS_API_KEY));
        long id = accepted(postRaw(envelope));

        JsonNode kycCase = awaitCase("sub-enc", "APPROVED");
        assertThat(kycCase.get("customerId").asText()).isEqualTo(USER);
        assertThat(jdbc.queryForObject("select body from inbound_message where id = ?", String.class, id))
                .isEqualTo(envelope);
        assertThat(personalData(USER).at("/argos/sub-enc/fields/fullName").asText()).isEqualTo("KIM MINJI");
        assertThat(jdbc.queryForObject("select database_name from (select current_database() as database_name) d",
                String.class)).endsWith("_argos_ecb");
    }

    @Test
    void aBodyThatIsPlainOrDoesNotDecryptIsRefusedWith400AndNotStored() {
        String approved = argosFixture("approved.json", "sub-refused");
        Map<HttpResponse<String>, String> answers = Map.of(
                postRaw(approved), "ARGOS encryption is on (aes-256-ecb): the body must be {\"data\": \"<base64>\"}",
                postRaw(envelope(encrypt(approved, "not-the-api-key"))),
                "'data' does not decrypt with the configured ARGOS key (aes-256-ecb)",
                postRaw("{\"data\":\"%%% not base64 %%%\"}"), "'data' is not base64",
                postRaw(envelope(encrypt("no JSON here", ARGOS_API_KEY))), "'data' does not decrypt to a JSON object");

        answers.forEach((answer, reason) -> {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(readJson(answer.body()).get("detail").asText()).isEqualTo(reason);
        });
        assertThat(count("select count(*) from inbound_message")).isZero();
    }

    @Test
    void theSameWebhookEncryptedAgainOrReformattedIsADuplicate() {
        String approved = argosFixture("approved.json", "sub-enc-dup");
        long first = accepted(postArgos(approved));
        HttpResponse<String> again = postArgos(approved);
        HttpResponse<String> reformatted = postArgos(readJson(approved).toString());

        assertThat(readJson(again.body()).get("status").asText()).isEqualTo("duplicate");
        assertThat(readJson(reformatted.body()).get("status").asText()).isEqualTo("duplicate");
        assertThat(readJson(reformatted.body()).get("id").asLong()).isEqualTo(first);
        awaitCase("sub-enc-dup", "APPROVED");
        assertThat(count("select count(*) from inbound_message")).isEqualTo(1);
    }

    @Test
    void deleteErasesThePersonalDataInsideEncryptedBodiesToo() {
        postArgos(argosFixture("approved.json", "sub-enc-erase"));
        awaitCase("sub-enc-erase", "APPROVED");
        postArgos(argosFixture("aml.json", "sub-enc-erase"));
        awaitCase("sub-enc-erase", "IN_REVIEW");
        assertThat(decryptedBodies()).anySatisfy(body -> assertThat(body).contains("KIM MINJI"));

        long delete = accepted(postArgos(argosFixture("delete.json", "sub-enc-erase")));
        awaitState(delete, "PROCESSED");

        assertThat(decryptedBodies()).hasSize(3)
                .allSatisfy(body -> assertThat(body).doesNotContain(PERSONAL_VALUES));
        assertThat(storeText()).allSatisfy(row -> assertThat(row).doesNotContain(PERSONAL_VALUES));
        assertThat(caseOf("sub-enc-erase").get("status").asText()).isEqualTo("IN_REVIEW");
    }

    /** Every stored body as the JSON it carries: decrypted here, independently of the hub, when encrypted. */
    private List<String> decryptedBodies() {
        return jdbc.queryForList("select body from inbound_message order by id", String.class).stream()
                .map(body -> {
                    JsonNode tree = readJson(body);
                    return tree.path("data").isTextual() && !tree.has("webhook_trigger")
                            ? decrypt(tree.get("data").asText(), ARGOS_API_KEY) : body;
                })
                .toList();
    }

    private static String envelope(String base64) {
        return "{\"data\":\"" + base64 + "\"}";
    }

    static String encrypt(String plain, String apiKey) {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key(apiKey));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String decrypt(String base64, String apiKey) {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, key(apiKey));
            return new String(cipher.doFinal(Base64.getDecoder().decode(base64)), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SecretKeySpec key(String apiKey) throws Exception {
        return new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)),
                "AES");
    }
}
