package com.kychub.provider.connectfi;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer of {@code GET /v1/compliance/status/:customerId} (provider doc 001, "Response Structure").
 * {@code summary} is kept as sent: the doc's own examples have counts that do not add up to the checks listed, so
 * the hub reads the checks and never the summary.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectfiStatus(
        @JsonProperty("isCompliant") Boolean isCompliant,
        String onboardingStatus,
        String nextAction,
        List<Check> checks,
        JsonNode summary) {

    /** {@code suggestedAction} is absent on passed checks. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Check(String type, Boolean passed, Boolean required, String suggestedAction) {
    }
}
