package com.kychub.canonical;

import java.util.UUID;

/**
 * Starts a customer's onboarding at one provider for {@code POST /api/v1/customers/{id}/onboardings}: each provider
 * that can be started by the hub has one.
 */
public interface OnboardingStarter {

    String provider();

    /** Opens (or finds) the customer's case at the provider and sets the first provider calls going. */
    UUID start(String customerId);
}
