package com.kychub.provider.connectfi;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.kychub.KycProperties;

/**
 * What the mapping of a compliance status needs besides the status itself: which case it belongs to, what the
 * hub holds for this customer (profile fields, documents), and what the hub is allowed to do on its own.
 *
 * @param heldProfileFields top-level fields of the customer's {@code kyc} object the hub holds
 *                          ({@code mainAddress}, {@code nationality}, {@code occupation}, ...)
 * @param heldDocuments     the newest document id of each type the hub holds (SOURCE_OF_FUNDS, W9, W8BEN, ...)
 * @param profileVersion    when the customer's profile (email, {@code kyc} object) last changed, in epoch
 *                          milliseconds: each profile field Connect Financial asks for is PATCHed once per version
 * @param carriedDetails    provider details of the case that a status answer does not repeat (the SDK link)
 * @param cause             the webhook event that made the hub pull this status, or null for a scheduled poll
 * @param causeStatus       that webhook's own {@code data.status} (CUSTOMER_KYC_FINISHED's verdict), or null
 */
public record ConnectfiContext(
        String providerRef,
        String customerId,
        String connectfiCustomerId,
        String onboardingId,
        Set<String> heldProfileFields,
        Map<String, Long> heldDocuments,
        long profileVersion,
        Map<String, Object> carriedDetails,
        String cause,
        String causeStatus,
        boolean external,
        KycProperties.Actions actions,
        Duration pollEvery) {
}
