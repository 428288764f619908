package com.kychub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import org.junit.jupiter.api.Test;

/**
 * The Ondato simulator's IDV API on its own: the verification the hub creates names the client's reference as it was
 * sent, and is Pending until the customer opens the IDV URL, as Ondato's IDV status table says.
 */
class SandboxOndatoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxOndato ondato = new SandboxOndato(
            new Sandbox(null, new KycProperties(null, null, null, null), null, JSON));

    @Test
    void theVerificationEchoesTheExternalReferenceIdItWasCreatedWith() throws Exception {
        var created = ondato.create(JSON.readTree("{\"setupId\":\"s-1\",\"externalReferenceId\":\"c-42\"}"));
        assertThat(created.getStatusCode().value()).isEqualTo(201);

        JsonNode verification = ondato.verification(created.getBody().get("id")).getBody();
        assertThat(verification.get("externalReferenceId").asText()).isEqualTo("c-42");
        assertThat(verification.get("setupId").asText()).isEqualTo("s-1");
        assertThat(verification.get("status").asText()).isEqualTo("Pending");
        assertThat(verification.at("/step/kycIdentification").isMissingNode()).isTrue();
    }

    @Test
    void aVerificationWithoutAReferenceHasNoneAndABadOneIsRefused() throws Exception {
        var created = ondato.create(JSON.readTree("{\"setupId\":\"s-1\"}"));
        assertThat(ondato.verification(created.getBody().get("id")).getBody().has("externalReferenceId")).isFalse();

        assertThat(ondato.create(JSON.readTree("{\"setupId\":\"s-1\",\"externalReferenceId\":{\"id\":1}}"))
                .getStatusCode().value()).isEqualTo(400);
        assertThat(ondato.create(JSON.readTree("{\"externalReferenceId\":\"c-42\"}")).getStatusCode().value())
                .isEqualTo(400);
    }
}
