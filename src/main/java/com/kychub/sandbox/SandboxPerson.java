package com.kychub.sandbox;

import java.util.List;

/**
 * The synthetic personal data of one sandbox customer, derived from their customer id: the demo hands it to the hub
 * (profile, WIDTH particulars), and the simulators report it back as a provider would (ARGOS's submission, Ondato's
 * identification document, WIDTH's OCR result). One source for all of them, so that {@link #values()} lists every
 * personal value a demo run puts through the hub, and a test can look for each in the logs. The values are made to
 * be distinctive: found in a log, none can be a coincidence.
 */
public record SandboxPerson(String firstName, String lastName, String dateOfBirth, String email,
                            String documentNumber, String street, String city) {

    private static final List<String> FIRST_NAMES = List.of("Amalthea", "Benedikta", "Cassiodor", "Dorothea",
            "Evander", "Florentyna", "Gideonne", "Hyacinthe", "Isadora", "Jerichow", "Kallisto", "Leontyne");
    private static final List<String> LAST_NAMES = List.of("Quillbrook", "Thistlewood", "Ravensholt", "Marchbanks",
            "Okonjowe", "Wexcombe", "Yarborow", "Fairwhistle");
    private static final List<String> STREETS = List.of("Larkspur Lane", "Juniper Row", "Wrenfield Close",
            "Mallowmere Road");

    public static SandboxPerson of(String customerId) {
        int seed = Math.floorMod(customerId.hashCode(), 1_000_000_007);
        return new SandboxPerson(
                FIRST_NAMES.get(seed % FIRST_NAMES.size()),
                LAST_NAMES.get(seed / 7 % LAST_NAMES.size()),
                "%d-%02d-%02d".formatted(1950 + seed % 50, 1 + seed / 50 % 12, 1 + seed / 600 % 28),
                customerId + "@sandbox.example",
                "SBX%08d".formatted(seed % 100_000_000),
                (1 + seed % 97) + " " + STREETS.get(seed / 11 % STREETS.size()),
                "Testville");
    }

    public String fullName() {
        return firstName + " " + lastName;
    }

    /** The address on one line, as WIDTH's particulars take it. */
    public String address() {
        return street + ", " + city;
    }

    /** Every personal value: each name apart and together, the date of birth, email, document number and address. */
    public List<String> values() {
        return List.of(firstName, lastName, fullName(), fullName().toUpperCase(), dateOfBirth, email, documentNumber,
                street, city);
    }
}
