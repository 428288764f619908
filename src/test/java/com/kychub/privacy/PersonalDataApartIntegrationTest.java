package com.kychub.privacy;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * What the fintech gave and what providers said are kept apart: a customer approved at ARGOS and then onboarded at
 * Connect Financial is sent the fintech's profile only, never a value ARGOS reported; and a fintech request that
 * names a provider's record is refused.
 */
class PersonalDataApartIntegrationTest extends HubIntegrationTest {

    private static final String CUSTOMER = "fintech-user-8841";
    private static final String SUBMISSION = "c5b6a1e2-8f3d-4b7a-9e21-6d4f0a7b3c19";

    /** What ARGOS reports about the applicant in fixtures/argos/approved.json. */
    private static final List<String> ARGOS_VALUES = List.of("minji.kim@example.com", "KIM MINJI", "1990-07-15",
            "203.0.113.45", "900715-2345678", "M70123456", "Software engineer", "loyalty-tier-gold", "KOR");

    @Test
    void aCustomerApprovedAtArgosIsOnboardedAtConnectfiWithTheFintechsProfileOnly() {
        assertThat(apiSend("POST", "/api/v1/customers", """
                {"customerId": "%s", "email": "minji@fintech.example",
                 "kyc": {"nationality": "US", "occupation": "11", "mainAddress": {"countryCode": "US"}}}"""
                .formatted(CUSTOMER)).statusCode()).isEqualTo(201);
        String approved = fixture("argos/approved.json");
        assertThat(post("/webhooks/argos", approved, Map.of("Content-Type", "application/json", "X-Signature",
                hmacHex(ARGOS_WEBHOOK_SECRET, approved.getBytes(StandardCharsets.UTF_8)))).statusCode())
                .isEqualTo(200);
        awaitCase("argos", SUBMISSION, "APPROVED", null);

        // ARGOS's report is kept, apart: the profile and the email are still the fintech's.
        assertThat(jdbc.queryForObject("select fields ->> 'fullName' from provider_report where provider = 'argos' "
                + "and provider_ref = ? and customer_id = ?", String.class, SUBMISSION, CUSTOMER))
                .isEqualTo("KIM MINJI");
        assertThat(readJson(jdbc.queryForObject("select personal_data::text from customer where customer_id = ?",
                String.class, CUSTOMER)).has("argos")).isFalse();
        assertThat(jdbc.queryForObject("select email from customer where customer_id = ?", String.class, CUSTOMER))
                .isEqualTo("minji@fintech.example");

        // Onboarded at Connect Financial, which asks for a profile field: created, then PATCHed.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/customers")).willReturn(okJson("{\"id\":\"cf-apart\"}")));
        PROVIDERS.stubFor(patch(urlEqualTo("/v1/customers/cf-apart")).willReturn(okJson("{\"id\":\"cf-apart\"}")));
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/v1/compliance/status/cf-apart")).willReturn(okJson("""
                {"isCompliant": false, "onboardingStatus": "PENDING", "nextAction": "UPDATE_PROFILE",
                 "checks": [{"type": "KYC_DATA_PRESENT", "passed": true, "required": true},
                            {"type": "TAX_COUNTRY", "passed": false, "required": true,
                             "suggestedAction": "UPDATE_PROFILE"}]}""")));
        assertThat(apiSend("POST", "/api/v1/customers/" + CUSTOMER + "/onboardings", "{\"provider\":\"connectfi\"}")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> !PROVIDERS.findAll(
                WireMock.patchRequestedFor(urlEqualTo("/v1/customers/cf-apart"))).isEmpty());

        List<LoggedRequest> sent = PROVIDERS.findAll(anyRequestedFor(urlPathMatching("/v1/(customers|compliance).*")));
        assertThat(sent).isNotEmpty();
        for (LoggedRequest request : sent) {
            assertThat(request.getBodyAsString()).doesNotContain(ARGOS_VALUES).doesNotContain("argos");
        }
        LoggedRequest created = PROVIDERS.findAll(postRequestedFor(urlEqualTo("/v1/customers"))).get(0);
        JsonNode body = readJson(created.getBodyAsString());
        assertThat(body.get("email").asText()).isEqualTo("minji@fintech.example");
        assertThat(body.at("/kyc/nationality").asText()).isEqualTo("US");
        assertThat(body.at("/kyc/occupation").asText()).isEqualTo("11");
    }

    @Test
    void aFintechRequestNamingAProvidersRecordIsRefused() {
        HttpResponse<String> created = apiSend("POST", "/api/v1/customers", """
                {"customerId": "c-names-argos", "kyc": {"argos": {"sub-1": {"fields": {"fullName": "X"}}}}}""");
        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(created.body()).contains("kyc.argos");
        assertThat(jdbc.queryForObject("select count(*) from customer", Integer.class)).isZero();

        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-apart\",\"kyc\":{\"nationality\":\"US\"}}")
                .statusCode()).isEqualTo(201);
        for (String provider : List.of("striga", "connectfi", "argos", "ondato", "width")) {
            HttpResponse<String> patched = apiSend("PATCH", "/api/v1/customers/c-apart",
                    "{\"kyc\":{\"" + provider + "\":{}}}");
            assertThat(patched.statusCode()).as(provider).isEqualTo(400);
            assertThat(patched.body()).contains("kyc." + provider);
        }
        assertThat(jdbc.queryForObject("select personal_data::text from customer where customer_id = 'c-apart'",
                String.class)).isEqualTo("{\"nationality\": \"US\"}");
        // The check is on the profile's own keys only: a field that merely holds a provider's name is the fintech's.
        assertThat(apiSend("PATCH", "/api/v1/customers/c-apart", "{\"kyc\":{\"occupation\":\"argos\"}}").statusCode())
                .isEqualTo(200);
    }
}
