package com.kychub.privacy;

import com.kychub.http.ErrorAnswer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code DELETE /api/v1/customers/{id}/personal-data}: erases everything personal the hub holds about the customer
 * ({@link Erasure}) and answers the receipt, rows touched per table. Idempotent: erasing again answers zeros (or what
 * a message processed since brought). Operator scope.
 */
@Tag(name = "Customers", description = "The fintech's customers: profile, documents, data, onboardings, erasure")
@RestController
public class ErasureController {

    private static final String CUSTOMER_ID = "[A-Za-z0-9._:-]{1,100}";

    private final Erasure erasure;

    public ErasureController(Erasure erasure) {
        this.erasure = erasure;
    }

    @Operation(summary = "Erases the customer's personal data, the audit chain kept")
    @DeleteMapping("/api/v1/customers/{customerId}/personal-data")
    public Erasure.Receipt erase(@PathVariable String customerId) {
        if (!customerId.matches(CUSTOMER_ID)) {
            throw ErrorAnswer.badRequest("'customerId' must be 1 to 100 letters, digits or ._:-");
        }
        return erasure.eraseCustomer(customerId)
                .orElseThrow(() -> ErrorAnswer.notFound("no customer " + customerId));
    }
}
