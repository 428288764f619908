package com.kychub.provider.striga;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Striga's {@code KYCStatusWebhook} (provider doc 004), posted to {@code <webhookUrl>/kyc}. The tier fields and
 * {@code ts} come from newer payloads; anything else Striga adds is ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StrigaEvent(
        String userId,
        String status,
        List<String> details,
        RejectionComments rejectionComments,
        Boolean rejectionFinal,
        JsonNode currentTier,
        JsonNode tier0,
        JsonNode tier1,
        JsonNode tier2,
        JsonNode tier3,
        JsonNode ts) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RejectionComments(String userComment, String autoComment) {
    }
}
