package com.kychub.canonical;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A call the hub will make to a provider for a case (start KYC, upload a document, ...), decided together with the
 * case change that calls for it and carried out after that change commits.
 *
 * @param kind    what the call does: one of the provider's action kinds (its Mapping's {@code Action} enum); the
 *                provider's {@code <provider>-act} route routes on it
 * @param name    what makes the action unique: its kind, what it is about and the datum it sends
 *                ({@code UPLOAD_DOCUMENT:W9:<document id>}, {@code PARTICULAR:<execution>:<node>:<version>}). An
 *                action of that name is planned once, whatever became of it: new data makes a new name.
 * @param payload the ids the call needs; never personal data, which is read at the moment of the call
 */
public record ProviderAction(Enum<?> kind, String name, Map<String, Object> payload) {

    public ProviderAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        payload = payload == null ? Map.of() : payload;
    }

    /** Where planned actions go: the action package's outbox, written in the transaction of the case change. */
    public interface Planner {
        void plan(String provider, UUID caseId, String customerId, ProviderAction action);
    }

    /** The action of that kind about {@code about} (none: one of its kind per customer). */
    public static ProviderAction of(Enum<?> kind, Map<String, Object> payload, Object... about) {
        String name = Stream.concat(Stream.of(kind.name()), Stream.of(about).map(String::valueOf))
                .collect(Collectors.joining(":"));
        return new ProviderAction(kind, name, payload);
    }
}
