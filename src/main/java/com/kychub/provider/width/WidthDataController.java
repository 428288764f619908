package com.kychub.provider.width;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.Customers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What the fintech hands the hub for WIDTH's workflow nodes: {@code POST /api/v1/customers/{id}/data/{kind}}
 * ({@code particulars}, {@code identity-document}, {@code liveness}, {@code documents}, {@code forms}) and the OTP
 * code the customer received ({@code POST /api/v1/customers/{id}/otp}). Each kind is checked, stored as personal
 * data ({@link WidthData}), never logged, and the customer's waiting executions are polled at once so the submission
 * goes out: data handed over again while WIDTH still waits on its node is submitted again, once per new version. And
 * the customer's request for a new OTP ({@code POST /api/v1/customers/{id}/otp/resend}).
 */
@Tag(name = "Customers", description = "The fintech's customers: profile, documents, data, onboardings, erasure")
@RestController
@RequestMapping("/api/v1/customers/{customerId}")
public class WidthDataController {

    private static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2,3}");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,59}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 -]{5,19}");
    private static final Pattern OTP = Pattern.compile("[0-9]{4,10}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    public record Stored(String customerId, String kind) {
    }

    public record OtpCode(String code) {
    }

    /** A new OTP asked of WIDTH for the customer's case (its id), sent at the case's next status look. */
    public record OtpResend(String customerId, UUID caseId) {
    }

    private final Customers customers;
    private final WidthData data;
    private final CanonicalStore store;
    private final CaseQueries cases;
    private final ObjectMapper json;

    public WidthDataController(Customers customers, WidthData data, CanonicalStore store, CaseQueries cases,
                               ObjectMapper json) {
        this.customers = customers;
        this.data = data;
        this.store = store;
        this.cases = cases;
        this.json = json;
    }

    /**
     * Stores one kind of data: 201 when it is new, 200 when it is what the hub holds already (nothing is sent again).
     */
    @Operation(summary = "Hands over one kind of data for WIDTH's workflow")
    @ApiResponse(responseCode = "201", description = "stored")
    @ApiResponse(responseCode = "200", description = "what the hub holds already: nothing new")
    @ApiResponse(responseCode = "409", description = "the customer's personal data was erased")
    @PostMapping("/data/{kind}")
    public ResponseEntity<Stored> handOver(@PathVariable String customerId, @PathVariable String kind,
                                           @RequestBody(required = false) JsonNode body) {
        existing(customerId);
        if (body == null || body.isNull()) {
            throw bad("a JSON body is required");
        }
        switch (kind) {
            case "particulars" -> particulars(body);
            case "identity-document" -> identityDocument(body);
            case "liveness" -> liveness(body);
            case "documents" -> documents(body);
            case "forms" -> forms(body);
            default -> throw bad("'kind' must be one of " + WidthData.KINDS);
        }
        if (!data.put(customerId, kind, body)) {
            return ResponseEntity.ok(new Stored(customerId, kind));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(new Stored(customerId, kind));
    }

    @Operation(summary = "Hands over the OTP the customer received")
    @ApiResponse(responseCode = "409", description = "the customer's personal data was erased")
    @PostMapping("/otp")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Stored otp(@PathVariable String customerId, @RequestBody(required = false) OtpCode otp) {
        existing(customerId);
        if (otp == null || otp.code() == null || !OTP.matcher(otp.code()).matches()) {
            throw bad("'code' must be 4 to 10 digits");
        }
        data.put(customerId, "otp", json.createObjectNode().put("code", otp.code()));
        return new Stored(customerId, "otp");
    }

    /**
     * The customer did not get the OTP (or it expired): the hub asks WIDTH to send a new one
     * ({@code workflow.kyc.otp.send} again: doc 000 has no resend method) at the case's next status look, while
     * WIDTH still waits on the OTP node. A code the customer handed over before the new OTP is not verified any more.
     * 404: no such customer; 409: no case of theirs waits on an OTP the hub sends.
     */
    @Operation(summary = "Asks WIDTH to send a new OTP")
    @ApiResponse(responseCode = "409",
            description = "no WIDTH case of the customer waits for an OTP, or its personal data was erased")
    @PostMapping("/otp/resend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public OtpResend resendOtp(@PathVariable String customerId) {
        existing(customerId);
        CaseView waiting = cases.openCase(WidthMapping.PROVIDER, customerId).flatMap(cases::findCase)
                .filter(found -> WidthNodes.waitsForOtp(found.providerDetails()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.CONFLICT, "no WIDTH case of customer "
                        + customerId + " waits for an OTP"));
        data.requestOtpResend(customerId);
        store.pollSoon(WidthMapping.PROVIDER, waiting.providerRef());
        return new OtpResend(customerId, waiting.id());
    }

    static void particulars(JsonNode body) {
        object(body, "particulars", 30);
        text(body, "name", true, 200, null);
        text(body, "dateOfBirth", true, 10, DATE);
        text(body, "nationality", true, 3, COUNTRY);
        text(body, "sex", false, 20, CODE);
        text(body, "countryOfResidence", false, 3, COUNTRY);
        text(body, "address", false, 500, null);
        text(body, "phone", false, 20, PHONE);
    }

    static void identityDocument(JsonNode body) {
        object(body, "identity-document", 10);
        text(body, "frontImage", true, 2000, null);
        text(body, "backImage", false, 2000, null);
        text(body, "documentType", true, 60, CODE);
        text(body, "region", true, 3, COUNTRY);
    }

    static void liveness(JsonNode body) {
        object(body, "liveness", 10);
        text(body, "provider", false, 50, CODE);
        text(body, "status", true, 20, CODE);
        if (!body.path("scores").isObject()) {
            throw bad("'scores' must be an object");
        }
        if (!body.path("images").isObject() || body.path("images").isEmpty()) {
            throw bad("'images' must be a non-empty object");
        }
    }

    static void documents(JsonNode body) {
        if (!body.isArray() || body.isEmpty() || body.size() > 20) {
            throw bad("documents must be an array of 1 to 20 documents");
        }
        Set<String> types = new HashSet<>();
        for (JsonNode document : body) {
            object(document, "each document", 10);
            text(document, "docType", true, 60, CODE);
            if (!types.add(document.get("docType").asText())) {
                throw bad("'docType' " + document.get("docType").asText() + " appears twice");
            }
            if (!document.path("doc").isObject() || document.path("doc").isEmpty()) {
                throw bad("'doc' must be a non-empty object (front/back with url, filename, content_type, size)");
            }
            if (document.has("isRequired") && !document.get("isRequired").isBoolean()) {
                throw bad("'isRequired' must be true or false");
            }
            if (document.has("extraData") && !document.get("extraData").isObject()) {
                throw bad("'extraData' must be an object");
            }
        }
    }

    static void forms(JsonNode body) {
        if (!body.isArray() || body.isEmpty() || body.size() > 20) {
            throw bad("forms must be an array of 1 to 20 forms");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode form : body) {
            object(form, "each form", 5);
            text(form, "formId", true, 100, ID);
            if (!ids.add(form.get("formId").asText())) {
                throw bad("'formId' " + form.get("formId").asText() + " appears twice");
            }
            if (!form.path("formData").isObject()) {
                throw bad("'formData' must be an object");
            }
        }
    }

    private static void object(JsonNode body, String what, int maxFields) {
        if (!body.isObject()) {
            throw bad(what + " must be a JSON object");
        }
        if (body.size() > maxFields) {
            throw bad(what + " has too many fields");
        }
    }

    /** Checks a text field; the reason names the field and the rule, never the value. */
    private static void text(JsonNode body, String field, boolean required, int maxLength, Pattern pattern) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw bad("'" + field + "' is required");
            }
            return;
        }
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > maxLength) {
            throw bad("'" + field + "' must be a text of at most " + maxLength + " characters");
        }
        if (pattern != null && !pattern.matcher(value.asText()).matches()) {
            throw bad("'" + field + "' must match " + pattern.pattern());
        }
    }

    private void existing(String customerId) {
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            throw bad("'customerId' must be 1 to 100 letters, digits or ._:-");
        }
        if (!customers.exists(customerId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no customer " + customerId);
        }
        if (customers.erased(customerId)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "customer " + customerId
                    + "'s personal data was erased: create a new customer");
        }
    }

    private static ResponseStatusException bad(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }
}
