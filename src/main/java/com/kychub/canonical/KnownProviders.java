package com.kychub.canonical;

import java.util.List;

/**
 * The ids of the providers the hub speaks to, as they stand in the store ({@code kyc_case.provider}, the inbox, the
 * actions), the metrics' tags and the API: one list for every room that walks them all.
 */
public final class KnownProviders {

    /** In alphabetical order, the order the API lists them in. */
    public static final List<String> IDS = List.of("argos", "connectfi", "ondato", "striga", "width");

    private KnownProviders() {
    }
}
