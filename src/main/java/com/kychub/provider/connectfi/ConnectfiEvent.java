package com.kychub.provider.connectfi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A Connect Financial webhook (provider doc 001, "Webhook Payload"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectfiEvent(String eventType, Data data) {

    /** {@code previousOnboardingId} only on CUSTOMER_KYC_RESTARTED; {@code status} on CUSTOMER_KYC_FINISHED. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Data(String customerId, String status, String onboardingId, String previousOnboardingId) {
    }
}
