package com.kychub.canonical;

import java.time.Duration;
import java.time.Instant;

/**
 * What a list of cases is narrowed to; a null field does not narrow it. The hub API validates each before it gets here.
 *
 * @param search       a customer id or a provider reference, matched exactly
 * @param updatedSince changed at or after then
 * @param stalledFor   not finished and unchanged for at least that long (as the stalled-case gauge counts them)
 */
public record CaseFilter(CaseStatus status, NextAction nextAction, String provider, String customerId,
                         String providerRef, String search, Instant updatedSince, Duration stalledFor) {

    /** The cases stalled for at least that long, and no other filter. */
    public static CaseFilter stalled(Duration stalledFor) {
        return new CaseFilter(null, null, null, null, null, null, null, stalledFor);
    }

    /** The same filter without its status: counts per status take every status. */
    public CaseFilter anyStatus() {
        return new CaseFilter(null, nextAction, provider, customerId, providerRef, search, updatedSince, stalledFor);
    }
}
