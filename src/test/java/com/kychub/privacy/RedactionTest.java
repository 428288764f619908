package com.kychub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The one redaction rule: what the provider's table names is kept, every other text or number is redacted. */
class RedactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TABLE = Redaction.table(List.of("id", "status", "details", "createdUtc"));

    @Test
    void keepsNamedValuesAndTheShapeAndRedactsEveryOtherValue() throws Exception {
        JsonNode tree = JSON.readTree("""
                {"Id": "idv-1", "status": "Rejected", "details": ["DOC_EXPIRED", "BLURRY"], "isCrossChecked": false,
                 "CreatedUtc": "2024-05-06T07:08:09Z", "age": 41, "note": null,
                 "document": {"firstName": "Ada", "documentNumber": "X1234567", "status": "Valid"},
                 "comments": ["free text naming Ada Lovelace"]}""");
        List<String> removed = new ArrayList<>();

        assertThat(Redaction.redact(tree, TABLE, removed)).isTrue();

        assertThat(tree).isEqualTo(JSON.readTree("""
                {"Id": "idv-1", "status": "Rejected", "details": ["DOC_EXPIRED", "BLURRY"], "isCrossChecked": false,
                 "CreatedUtc": "2024-05-06T07:08:09Z", "age": "[redacted]", "note": null,
                 "document": {"firstName": "[redacted]", "documentNumber": "[redacted]", "status": "Valid"},
                 "comments": ["[redacted]"]}"""));
        assertThat(removed).containsExactlyInAnyOrder("41", "Ada", "X1234567", "free text naming Ada Lovelace");
        // Redacting again changes nothing.
        assertThat(Redaction.redact(tree, TABLE, new ArrayList<>())).isFalse();
    }

    @Test
    void headersKeepOnlyTheHarmlessOnes() {
        assertThat(Redaction.headers(Map.of("content-type", "application/json", "x-signature", "abc",
                "x-forwarded-for", "203.0.113.45")))
                .containsEntry("content-type", "application/json")
                .containsEntry("x-signature", Redaction.MARK)
                .containsEntry("x-forwarded-for", Redaction.MARK);
    }
}
