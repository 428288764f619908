package com.kychub.provider.connectfi;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * Which of the hub's customers Connect Financial's customer is, whichever the hub processes first: the answer to its
 * {@code POST /v1/customers} (which names Connect Financial's id for the customer the request's {@code externalId}
 * named) or the CUSTOMER_CREATED webhook (which names Connect Financial's id only). Processed first, the webhook links
 * the id to a customer of that name, as for a customer created without the hub; the answer then moves the link, and
 * the hub customer's own case carries on from the one made under the wrong link, which is closed, not deleted.
 */
class ConnectfiCustomerLinkIntegrationTest extends ConnectfiFlows {

    private static final String KYC = """
            {"customerId": "%s", "email": "ada@example.com",
             "kyc": {"firstName": "Ada", "lastName": "Example", "nationality": "US", "occupation": "11",
                     "mainAddress": {"street1": "123 Main St", "zip": "10001", "countryCode": "US"}}}""";

    @Test
    void theAnswerProcessedFirstLinksTheCustomerAndTheLateWebhookChangesNothing() {
        connectfiCreates("cf-a", "onb-a");
        JsonNode opened = startOnboarding("c-a");

        // The answer links cf-a to c-a, and the status pulled right after it starts the KYC for that customer.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/compliance/kyc"))
                        .withRequestBody(equalToJson("{\"customerId\":\"cf-a\"}"))));
        JsonNode started = awaitCase("onb-a", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(started.get("id")).isEqualTo(opened.get("id"));
        assertThat(links("cf-a")).containsExactly(Map.of("customer_id", "c-a", "current_ref", "onb-a"));

        stubStatus("cf-a", sdkRequired());
        send("CUSTOMER_CREATED", "cf-a", null);
        awaitInboxDrained();

        JsonNode after = awaitCase("onb-a", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(after.get("id")).isEqualTo(opened.get("id"));
        assertThat(after.get("customerId").asText()).isEqualTo("c-a");
        assertThat(after.at("/providerDetails/sdk/link").asText()).isEqualTo("https://sdk.connect.example/onb-a");
        assertThat(links("cf-a")).containsExactly(Map.of("customer_id", "c-a", "current_ref", "onb-a"));
        assertThat(apiJson("/api/v1/cases?provider=connectfi").get("items")).hasSize(1);
        assertThat(customerExists("cf-a")).isFalse();
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/customers")));
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/compliance/kyc")));
        PROVIDERS.verify(0, getRequestedFor(urlEqualTo("/v1/compliance/status/c-a")));
    }

    /**
     * The webhook is processed before the answer (the hub's call is held back here): cf-w is linked to a customer
     * named cf-w, whose case plans the start. The answer moves the link to c-w, the planned start with it (made once,
     * for c-w), closes cf-w's case and carries c-w's own case on.
     */
    @Test
    void aWebhookProcessedBeforeTheAnswerLinksWronglyAndTheAnswerCorrectsTheLinkKeepingBothTrails() throws Exception {
        connectfiCreates("cf-w", "onb-w");
        JsonNode opened;
        JsonNode wrong;
        camel.getRouteController().stopRoute("actions-execute-connectfi");
        try {
            opened = startOnboarding("c-w");
            send("CUSTOMER_CREATED", "cf-w", null);
            wrong = awaitCase("customer:cf-w", "IN_PROGRESS", "WAIT");
            assertThat(wrong.get("customerId").asText()).isEqualTo("cf-w");
            assertThat(links("cf-w")).containsExactly(mapOf("customer_id", "cf-w", "current_ref", null));
        } finally {
            camel.getRouteController().startRoute("actions-execute-connectfi");
        }

        JsonNode started = awaitCase("onb-w", kycCase -> kycCase.at("/providerDetails/sdk/link").asText("")
                .equals("https://sdk.connect.example/onb-w"));
        awaitInboxDrained();
        assertThat(started.get("id")).isEqualTo(opened.get("id"));
        assertThat(started.get("customerId").asText()).isEqualTo("c-w");
        assertThat(links("cf-w")).containsExactly(Map.of("customer_id", "c-w", "current_ref", "onb-w"));
        assertThat(jdbc.queryForList("select customer_id from provider_action where action = 'START_KYC'",
                String.class)).containsExactly("c-w");

        JsonNode closed = awaitCase("customer:cf-w", "CANCELLED", "NONE");
        assertThat(closed.get("id")).isEqualTo(wrong.get("id"));
        assertThat(closed.get("customerId").asText()).isEqualTo("cf-w");
        assertThat(texts(closed.get("reasons"))).containsExactly("RELINKED");
        assertThat(closed.at("/providerDetails/relinkedTo").asText()).isEqualTo("c-w");
        assertThat(events(closed)).extracting(event -> event.get("type").asText() + "/"
                        + event.get("providerEvent").asText() + "/" + event.get("toStatus").asText())
                .containsExactly("CASE_OPENED/CUSTOMER_CREATED/IN_PROGRESS", "STATUS_CHANGED/CUSTOMER_CREATED/CANCELLED");
        List<JsonNode> trail = events(started);
        assertThat(trail.get(0).get("type").asText()).isEqualTo("CASE_OPENED");
        assertThat(trail.get(0).get("providerEvent").asText()).isEqualTo("ONBOARDING_REQUESTED");
        assertThat(trail).extracting(event -> event.get("providerEvent").asText())
                .contains("CUSTOMER_CREATED", "KYC_STARTED");

        // The flow goes on for c-w alone.
        stubStatus("cf-w", sdkRequired());
        send("CUSTOMER_KYC_SDK_FLOW_REQUIRED", "cf-w", "onb-w");
        JsonNode sdk = awaitCase("onb-w", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(sdk.at("/providerDetails/sdk/link").asText()).isEqualTo("https://sdk.connect.example/onb-w");
        JsonNode customer = apiJson("/api/v1/customers/c-w/kyc");
        assertThat(customer.get("cases")).hasSize(1);
        assertThat(customer.get("overallStatus").asText()).isEqualTo("ACTION_REQUIRED");
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/customers"))
                .withRequestBody(matchingJsonPath("$.externalId", equalTo("c-w"))));
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/compliance/kyc")));
        PROVIDERS.verify(0, getRequestedFor(urlPathMatching("/v1/compliance/status/c-.*")));
        // The case may have read COMPLETE_VERIFICATION already (the start's answer) before the webhook's pull is done.
        awaitInboxDrained();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where state <> 'PROCESSED'",
                Integer.class)).isZero();
    }

    /**
     * Worse: under the wrong link the hub already started the KYC (the answer to the customer's creation is held back
     * here), so the onboarding and its SDK link are on cf-s's case. The answer gives them to c-s's own case.
     */
    @Test
    void anOnboardingStartedUnderTheWrongLinkMovesToTheRightCustomersCase() throws Exception {
        connectfiCreates("cf-s", "onb-s");
        JsonNode opened;
        camel.getRouteController().stopRoute("actions-execute-connectfi");
        try {
            opened = startOnboarding("c-s");
            send("CUSTOMER_CREATED", "cf-s", null);
            awaitCase("customer:cf-s", "IN_PROGRESS", "WAIT");
            jdbc.update("update provider_action set next_attempt_at = now() + interval '1 hour' "
                    + "where action = 'CREATE_CUSTOMER'");
        } finally {
            camel.getRouteController().startRoute("actions-execute-connectfi");
        }
        JsonNode wrong = awaitCase("onb-s", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(wrong.get("customerId").asText()).isEqualTo("cf-s");
        assertThat(links("cf-s")).containsExactly(Map.of("customer_id", "cf-s", "current_ref", "onb-s"));

        stubStatus("cf-s", sdkRequired());
        jdbc.update("update provider_action set next_attempt_at = now() where action = 'CREATE_CUSTOMER'");

        JsonNode moved = awaitCase("onb-s", kycCase -> kycCase.get("customerId").asText().equals("c-s"));
        awaitInboxDrained();
        moved = awaitCase("onb-s", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(moved.get("id")).isEqualTo(opened.get("id"));
        assertThat(moved.at("/providerDetails/sdk/link").asText()).isEqualTo("https://sdk.connect.example/onb-s");
        assertThat(moved.at("/providerDetails/nextAction").asText()).isEqualTo("COMPLETE_SDK_FLOW");
        assertThat(checks("onb-s").at("/KYC_STARTED/passed").asBoolean()).isTrue();
        assertThat(links("cf-s")).containsExactly(Map.of("customer_id", "c-s", "current_ref", "onb-s"));

        // cf-s's case keeps its trail and the reference it was opened with.
        JsonNode closed = awaitCase("customer:cf-s", "CANCELLED", "NONE");
        assertThat(closed.get("id")).isEqualTo(wrong.get("id"));
        assertThat(closed.at("/providerDetails/relinkedTo").asText()).isEqualTo("c-s");
        assertThat(events(closed)).extracting(event -> event.get("providerEvent").asText() + "/"
                        + event.get("toStatus").asText())
                .containsExactly("CUSTOMER_CREATED/IN_PROGRESS", "KYC_STARTED/ACTION_REQUIRED",
                        "CUSTOMER_CREATED/CANCELLED");
        List<JsonNode> trail = events(moved);
        assertThat(trail.get(0).get("providerEvent").asText()).isEqualTo("ONBOARDING_REQUESTED");
        assertThat(trail).extracting(event -> event.get("providerEvent").asText()).contains("CUSTOMER_CREATED");
        assertThat(apiJson("/api/v1/customers/c-s/kyc").get("cases")).hasSize(1);
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/customers")));
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/compliance/kyc")));
    }

    /** Connect Financial creates the customer as {@code connectfiCustomerId}, who has KYC data, and starts their KYC. */
    private static void connectfiCreates(String connectfiCustomerId, String onboardingId) {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/customers"))
                .willReturn(okJson("{\"id\":\"" + connectfiCustomerId + "\"}")));
        stubStatus(connectfiCustomerId, status(false, "PENDING", "START_KYC", "KYC_DATA_PRESENT:true:true",
                "KYC_STARTED:false:true:START_KYC"));
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/compliance/kyc")).willReturn(okJson(
                "{\"onboarding\":{\"id\":\"" + onboardingId + "\",\"status\":\"PROCESSING\"},"
                        + "\"sdk\":{\"link\":\"https://sdk.connect.example/" + onboardingId
                        + "\",\"qrCode\":\"data:image/png;base64,AA\"}}")));
    }

    private static String sdkRequired() {
        return status(false, "PROCESSING", "COMPLETE_SDK_FLOW", "KYC_DATA_PRESENT:true:true", "KYC_STARTED:true:true",
                "SDK_VERIFICATION_COMPLETED:false:true:COMPLETE_SDK_FLOW");
    }

    /** The fintech hands over the customer with their data and starts the onboarding: the case it is answered. */
    private JsonNode startOnboarding(String customerId) {
        assertThat(apiSend("POST", "/api/v1/customers", KYC.formatted(customerId)).statusCode()).isEqualTo(201);
        var started = apiSend("POST", "/api/v1/customers/" + customerId + "/onboardings", "{\"provider\":\"connectfi\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        JsonNode opened = readJson(started.body());
        assertThat(opened.get("providerRef").asText()).isEqualTo("customer:" + customerId);
        return opened;
    }

    /** Every link of the Connect Financial customer: one, always. */
    private List<Map<String, Object>> links(String connectfiCustomerId) {
        return jdbc.queryForList("""
                select customer_id, current_ref from provider_customer
                where provider = 'connectfi' and provider_customer_id = ?""", connectfiCustomerId);
    }

    private boolean customerExists(String customerId) {
        return jdbc.queryForObject("select count(*) from customer where customer_id = ?", Integer.class,
                customerId) > 0;
    }

    private List<JsonNode> events(JsonNode kycCase) {
        List<JsonNode> events = new java.util.ArrayList<>();
        apiJson("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items").forEach(events::add);
        return events;
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
