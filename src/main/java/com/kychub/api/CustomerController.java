package com.kychub.api;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.Customers;
import com.kychub.canonical.OnboardingStarter;
import com.kychub.http.ErrorAnswer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What the fintech hands the hub: customers with their profile ({@code kyc}, provider-shaped: mainAddress,
 * nationality, occupation, ...), their documents, and the start of an onboarding at a provider. Personal data is
 * stored, never logged.
 */
@Tag(name = "Customers", description = "The fintech's customers: profile, documents, data, onboardings, erasure")
@RestController
@RequestMapping("/api/v1/customers")
public class CustomerController {

    static final String CUSTOMER_ID = "[A-Za-z0-9._:-]{1,100}";
    /**
     * What providers report is kept apart from the profile ({@code provider_report}) and never given by the fintech:
     * a {@code kyc} key naming a provider would pass for one of their records.
     */
    static final Set<String> PROVIDER_NAMES = Set.of("striga", "connectfi", "argos", "ondato", "width");

    static final Set<String> DOCUMENT_TYPES = Set.of("SOURCE_OF_FUNDS", "W9", "W8BEN", "BIOMETRIC_REPORT",
            "PROOF_OF_ADDRESS");

    private final Customers customers;
    private final CaseQueries cases;
    private final CanonicalStore store;
    private final Map<String, OnboardingStarter> starters;
    private final TransactionTemplate transaction;

    public CustomerController(Customers customers, CaseQueries cases, CanonicalStore store,
                              List<OnboardingStarter> starters, TransactionTemplate transaction) {
        this.customers = customers;
        this.cases = cases;
        this.store = store;
        this.transaction = transaction;
        this.starters = starters.stream().collect(Collectors.toMap(OnboardingStarter::provider, s -> s));
    }

    public record NewCustomer(
            @NotBlank @Pattern(regexp = CUSTOMER_ID, message = "must be 1 to 100 letters, digits or ._:-")
            String customerId,
            @Email @Size(max = 254) String email,
            JsonNode kyc) {
    }

    public record CustomerChange(@Email @Size(max = 254) String email, JsonNode kyc) {
    }

    public record NewDocument(
            @NotBlank String type,
            @NotBlank @Size(max = 200) @Pattern(regexp = "[^/\\\\\\x00-\\x1f]+", message = "must be a plain file name")
            String fileName,
            @NotBlank @Pattern(regexp = "[a-z]+/[a-z0-9.+-]+", message = "must be a media type") String contentType,
            @NotBlank String content) {
    }

    public record NewOnboarding(@NotBlank String provider) {
    }

    public record Created(String customerId) {
    }

    public record StoredDocument(long id, String customerId, String type, int size) {
    }

    @Operation(summary = "Creates a customer with its profile")
    @ApiResponse(responseCode = "409", description = "the customer exists")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Created create(@Valid @RequestBody NewCustomer customer) {
        validateKyc(customer.kyc());
        if (!customers.create(customer.customerId(), customer.email(), customer.kyc())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "customer " + customer.customerId() + " exists");
        }
        return new Created(customer.customerId());
    }

    /**
     * Merges the change into the profile. A change that says only what the hub holds is no new data: nothing is
     * written, so the profile keeps its version and no provider is sent the same data again.
     */
    @Operation(summary = "Merges a change into the customer's profile")
    @ApiResponse(responseCode = "200", description = "the profile, changed or already holding the change")
    @ApiResponse(responseCode = "409", description = "the customer's personal data was erased")
    @PatchMapping("/{customerId}")
    public Created update(@PathVariable String customerId, @Valid @RequestBody CustomerChange change) {
        validateKyc(change.kyc());
        notErased(existing(customerId));
        if (!changes(customerId, change)) {
            return new Created(customerId);
        }
        // Providers waiting for this data get it at their next status look; with the change or not at all.
        transaction.executeWithoutResult(status -> {
            if (!customers.update(customerId, change.email(), change.kyc())) {
                throw ErrorAnswer.notFound("no customer " + customerId);
            }
            store.pollSoonForCustomer(customerId);
        });
        return new Created(customerId);
    }

    /**
     * Stores a document. One identical to the newest of its type (same content, file name and media type), a retried
     * upload, is no new document: the answer is the held one, 200 instead of 201, and no provider gets it twice.
     */
    @Operation(summary = "Stores a document of the customer")
    @ApiResponse(responseCode = "201", description = "stored")
    @ApiResponse(responseCode = "200", description = "the same as the newest of its type: nothing new")
    @ApiResponse(responseCode = "409", description = "the customer's personal data was erased")
    @PostMapping("/{customerId}/documents")
    public ResponseEntity<StoredDocument> addDocument(@PathVariable String customerId,
                                                      @Valid @RequestBody NewDocument document) {
        notErased(existing(customerId));
        if (!DOCUMENT_TYPES.contains(document.type())) {
            throw ErrorAnswer.badRequest("'type' must be one of " + DOCUMENT_TYPES.stream().sorted().toList());
        }
        byte[] content;
        try {
            content = Base64.getDecoder().decode(document.content());
        } catch (IllegalArgumentException e) {
            throw ErrorAnswer.badRequest("'content' must be base64");
        }
        if (content.length == 0) {
            throw ErrorAnswer.badRequest("'content' is empty");
        }
        Optional<Customers.Document> newest = customers.latestDocument(customerId, document.type());
        if (newest.isPresent() && sameDocument(newest.get(), document, content)) {
            return ResponseEntity.ok(new StoredDocument(newest.get().id(), customerId, document.type(),
                    content.length));
        }
        long id = transaction.execute(status -> {
            long added = customers.addDocument(customerId, document.type(), document.fileName(),
                    document.contentType(), content);
            store.pollSoonForCustomer(customerId);
            return added;
        });
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new StoredDocument(id, customerId, document.type(), content.length));
    }

    @Operation(summary = "Starts the customer's verification at a provider")
    @ApiResponse(responseCode = "409", description = "the customer's personal data was erased")
    @PostMapping("/{customerId}/onboardings")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public CaseView startOnboarding(@PathVariable String customerId, @Valid @RequestBody NewOnboarding onboarding) {
        notErased(existing(customerId));
        OnboardingStarter starter = starters.get(onboarding.provider());
        if (starter == null) {
            throw ErrorAnswer.badRequest("'provider' must be one of " + starters.keySet().stream().sorted().toList());
        }
        UUID caseId = starter.start(customerId);
        return cases.findCase(caseId).orElseThrow();
    }

    private String existing(String customerId) {
        if (!customerId.matches(CUSTOMER_ID)) {
            throw ErrorAnswer.badRequest("'customerId' must be 1 to 100 letters, digits or ._:-");
        }
        if (!customers.exists(customerId)) {
            throw ErrorAnswer.notFound("no customer " + customerId);
        }
        return customerId;
    }

    /**
     * An erased customer stays erased: its id cannot be given data again (which later messages about it would mix
     * with the erased past). The fintech creates a new customer instead.
     */
    private void notErased(String customerId) {
        if (customers.erased(customerId)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "customer " + customerId
                    + "'s personal data was erased: create a new customer");
        }
    }

    /** Whether the change holds an email or a {@code kyc} field the customer does not have yet (as the merge does). */
    private boolean changes(String customerId, CustomerChange change) {
        if (change.email() != null && !change.email().equals(customers.email(customerId).orElse(null))) {
            return true;
        }
        if (change.kyc() == null || change.kyc().isNull()) {
            return false;
        }
        ObjectNode held = customers.kyc(customerId);
        ObjectNode merged = held.deepCopy();
        merged.setAll((ObjectNode) change.kyc());
        return !merged.equals(held);
    }

    private static boolean sameDocument(Customers.Document held, NewDocument document, byte[] content) {
        return held.fileName().equals(document.fileName()) && held.contentType().equals(document.contentType())
                && Arrays.equals(held.content(), content);
    }

    /** The profile goes to providers as it is: its shape is checked where the docs fix it. */
    private static void validateKyc(JsonNode kyc) {
        if (kyc == null || kyc.isNull()) {
            return;
        }
        if (!kyc.isObject()) {
            throw ErrorAnswer.badRequest("'kyc' must be an object");
        }
        if (kyc.size() > 100) {
            throw ErrorAnswer.badRequest("'kyc' has too many fields");
        }
        for (String provider : PROVIDER_NAMES) {
            if (kyc.has(provider)) {
                throw ErrorAnswer.badRequest("'kyc." + provider + "' names a provider: what providers report is kept "
                        + "apart from the profile and cannot be given");
            }
        }
        JsonNode address = kyc.get("mainAddress");
        if (address != null && !address.isNull()) {
            if (!address.isObject()) {
                throw ErrorAnswer.badRequest("'kyc.mainAddress' must be an object");
            }
            JsonNode country = address.get("countryCode");
            if (country != null && !(country.isTextual() && country.asText().matches("[A-Z]{2}"))) {
                throw ErrorAnswer.badRequest("'kyc.mainAddress.countryCode' must be an ISO 3166 alpha-2 code");
            }
        }
        JsonNode nationality = kyc.get("nationality");
        if (nationality != null && !nationality.isNull()
                && !(nationality.isTextual() && nationality.asText().matches("[A-Z]{2,3}"))) {
            throw ErrorAnswer.badRequest("'kyc.nationality' must be an ISO 3166 country code");
        }
        JsonNode occupation = kyc.get("occupation");
        if (occupation != null && !occupation.isNull()
                && !(occupation.isTextual() && !occupation.asText().isBlank() && occupation.asText().length() <= 50)) {
            throw ErrorAnswer.badRequest("'kyc.occupation' must be a code of at most 50 characters");
        }
    }
}
