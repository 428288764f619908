package com.kychub.canonical;

/** The hub cannot start anything at a provider whose settings are missing; the API answers 503 with the reason. */
public class ProviderNotConfiguredException extends RuntimeException {
    public ProviderNotConfiguredException(String reason) {
        super(reason);
    }
}
