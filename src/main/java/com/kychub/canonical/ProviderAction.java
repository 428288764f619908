package com.kychub.canonical;

import java.util.Map;

/**
 * A call the hub will make to a provider for a case (start KYC, upload a document, ...), decided together with the
 * case change that calls for it and carried out after that change commits.
 */
public record ProviderAction(String action, Map<String, Object> payload) {
    public ProviderAction {
        payload = payload == null ? Map.of() : payload;
    }
}
