package com.kychub.action;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * A provider call that will not happen does not leave its case waiting silently: a Connect Financial upload refused
 * with 422 (FAILED) and a start of KYC answered 500 until its attempts ran out (DEAD) each move the case to
 * ACTION_REQUIRED / CONTACT_SUPPORT with a reason naming the call and the error, and an audit event; the provider
 * saying the same again leaves the case so; operators list and replay the actions ({@code /api/v1/ops/actions}), and a
 * replayed call that succeeds lets the case move on at the provider's next status.
 */
class FailedActionsIntegrationTest extends HubIntegrationTest {

    private static final String UPLOADS = "/compliance/upload-doc";
    private static final String START_KYC = "/v1/compliance/kyc";

    @Test
    void anUploadRefusedWith422IsFailedAndTheCaseAsksForSupportUntilTheReplayedUploadLetsItMoveOn() {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo(UPLOADS)).willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":\"unreadable document of Ada Example\"}")));
        connectfiCustomer("c-up", "cf-up", true, status("UPLOAD_DOCUMENT", "DOC_FATCA:false:UPLOAD_DOCUMENT"));

        JsonNode held = awaitCase("connectfi", "customer:c-up", "ACTION_REQUIRED", "CONTACT_SUPPORT");
        assertThat(texts(held.get("reasons"))).containsExactly("ACTION_FAILED:UPLOAD_DOCUMENT:HTTP_422", "DOC_FATCA");
        JsonNode event = lastEvent(held);
        assertThat(event.get("type").asText()).isEqualTo("ACTION_FAILED");
        assertThat(event.get("fromStatus").asText()).isEqualTo("IN_PROGRESS");
        assertThat(event.get("fromNextAction").asText()).isEqualTo("WAIT");
        assertThat(event.get("toStatus").asText()).isEqualTo("ACTION_REQUIRED");
        assertThat(event.get("toNextAction").asText()).isEqualTo("CONTACT_SUPPORT");

        JsonNode failed = operatorJson("/api/v1/ops/actions?state=FAILED&provider=connectfi").get("items");
        assertThat(failed).hasSize(1);
        JsonNode action = failed.get(0);
        // The case's timeline names the call behind the event.
        assertThat(event.get("actionId").asLong()).isEqualTo(action.get("id").asLong());
        assertThat(event.get("id").asLong()).isPositive();
        assertThat(event.has("inboundMessageId")).isFalse();
        assertThat(action.get("kind").asText()).isEqualTo("UPLOAD_DOCUMENT");
        assertThat(action.get("name").asText()).startsWith("UPLOAD_DOCUMENT:W9:");
        assertThat(action.get("caseId").asText()).isEqualTo(held.get("id").asText());
        assertThat(action.get("customerId").asText()).isEqualTo("c-up");
        assertThat(action.get("attempts").asInt()).isEqualTo(1);
        assertThat(action.get("lastError").asText()).contains("422").doesNotContain("Ada");
        assertThat(action.get("createdAt").isTextual()).isTrue();
        assertThat(action.get("doneAt").isTextual()).isTrue();
        assertThat(action.has("payload")).isFalse();

        // Connect Financial says again what it said before the upload (a webhook pulls the same status): the case
        // still asks for support, and the refused upload is not planned again behind the operators' backs.
        assertThat(postConnectfi("{\"eventType\":\"CUSTOMER_UPDATED\",\"data\":{\"customerId\":\"cf-up\"}}")
                .statusCode()).isEqualTo(200);
        awaitInboxDrained();
        JsonNode stillHeld = awaitCase("connectfi", "customer:c-up", "ACTION_REQUIRED", "CONTACT_SUPPORT");
        assertThat(texts(stillHeld.get("reasons"))).first().isEqualTo("ACTION_FAILED:UPLOAD_DOCUMENT:HTTP_422");
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo(UPLOADS)))).hasSize(1);

        // Connect Financial takes the document now: the replayed upload is made once and is DONE.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo(UPLOADS)).willReturn(okJson("{\"status\":\"RECEIVED\"}")));
        HttpResponse<String> replay = operatorSend("POST", "/api/v1/ops/actions/" + action.get("id").asText() + "/replay",
                "");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(readJson(replay.body()).get("state").asText()).isEqualTo("PENDING");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                operatorJson("/api/v1/ops/actions?state=DONE&provider=connectfi").get("items")
                        .findValuesAsText("kind")
                        .contains("UPLOAD_DOCUMENT"));
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo(UPLOADS)))).hasSize(2);
        assertThat(operatorJson("/api/v1/ops/actions?state=FAILED").get("items")).isEmpty();

        // Connect Financial's next status moves the case on.
        stubStatus("cf-up", status("WAIT", "DOC_FATCA:true:WAIT"));
        pollNow();
        JsonNode movedOn = awaitCase("connectfi", "customer:c-up", "IN_REVIEW", "WAIT");
        assertThat(texts(movedOn.get("reasons"))).doesNotContain("ACTION_FAILED:UPLOAD_DOCUMENT:HTTP_422");
        assertThat(lastEvent(movedOn).get("fromNextAction").asText()).isEqualTo("CONTACT_SUPPORT");

        // A DONE action is not replayed.
        HttpResponse<String> again = operatorSend("POST", "/api/v1/ops/actions/" + action.get("id").asText() + "/replay",
                "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(readJson(again.body()).get("title").asText()).isEqualTo("Conflict");
        assertThat(readJson(again.body()).get("detail").asText()).contains("DONE");
    }

    @Test
    void aStartOfKycAnswered500UntilItsAttemptsRunOutIsDeadAndTheCaseAsksForSupportUntilItIsReplayed() {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo(START_KYC)).willReturn(aResponse().withStatus(500)));
        connectfiCustomer("c-dead", "cf-dead", false, status("START_KYC", "KYC_STARTED:false:START_KYC"));

        // max-attempts is 3 in the tests.
        JsonNode held = awaitCase("connectfi", "customer:c-dead", "ACTION_REQUIRED", "CONTACT_SUPPORT");
        assertThat(texts(held.get("reasons"))).containsExactly("ACTION_DEAD:START_KYC", "KYC_STARTED");
        JsonNode event = lastEvent(held);
        assertThat(event.get("type").asText()).isEqualTo("ACTION_DEAD");
        assertThat(event.get("fromStatus").asText()).isEqualTo("IN_PROGRESS");
        assertThat(event.get("toStatus").asText()).isEqualTo("ACTION_REQUIRED");
        assertThat(event.get("toNextAction").asText()).isEqualTo("CONTACT_SUPPORT");
        JsonNode dead = operatorJson("/api/v1/ops/actions?state=DEAD").get("items");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("kind").asText()).isEqualTo("START_KYC");
        assertThat(dead.get(0).get("attempts").asInt()).isEqualTo(3);
        assertThat(dead.get(0).get("lastError").asText()).contains("500");
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo(START_KYC)))).hasSize(3);

        // Connect Financial is back: every FAILED and DEAD action of the provider is replayed, and the answer of the
        // start (an onboarding with its SDK link) moves the case on.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo(START_KYC)).willReturn(okJson("{\"onboarding\":{\"id\":\"onb-dead\","
                + "\"status\":\"PROCESSING\"},\"sdk\":{\"link\":\"https://sdk.connect.example/onb-dead\"}}")));
        assertThat(operatorJson("/api/v1/ops/actions?provider=width").get("items")).isEmpty();
        // A dry run first: it counts what would be replayed, and changes nothing.
        HttpResponse<String> dryRun = operatorSend("POST", "/api/v1/ops/actions/replay?provider=connectfi&dryRun=true",
                "");
        assertThat(dryRun.statusCode()).isEqualTo(200);
        assertThat(readJson(dryRun.body()).get("provider").asText()).isEqualTo("connectfi");
        assertThat(readJson(dryRun.body()).get("dryRun").asBoolean()).isTrue();
        assertThat(readJson(dryRun.body()).get("count").asInt()).isEqualTo(1);
        assertThat(operatorJson("/api/v1/ops/actions?state=DEAD").get("items")).hasSize(1);
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo(START_KYC)))).hasSize(3);
        HttpResponse<String> replayed = operatorSend("POST", "/api/v1/ops/actions/replay?provider=connectfi", "");
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(readJson(replayed.body()).get("dryRun").asBoolean()).isFalse();
        assertThat(readJson(replayed.body()).get("count").asInt()).isEqualTo(1);
        JsonNode movedOn = awaitCase("connectfi", "onb-dead", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(movedOn.get("id").asText()).isEqualTo(held.get("id").asText());
        assertThat(texts(movedOn.get("reasons"))).doesNotContain("ACTION_DEAD:START_KYC");
        assertThat(operatorJson("/api/v1/ops/actions?state=DONE").get("items").findValuesAsText("kind"))
                .contains("START_KYC");
        assertThat(readJson(operatorSend("POST", "/api/v1/ops/actions/replay?provider=connectfi", "").body())
                .get("count").asInt())
                .isZero();
    }

    @Test
    void theActionsApiRefusesWhatItCannotServe() {
        HttpResponse<String> badState = operatorApi("/api/v1/ops/actions?state=BROKEN");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(readJson(badState.body()).get("title").asText()).isEqualTo("Bad Request");
        assertThat(readJson(badState.body()).get("detail").asText()).contains("'state'");
        assertThat(operatorApi("/api/v1/ops/actions?limit=0").statusCode()).isEqualTo(400);
        assertThat(operatorSend("POST", "/api/v1/ops/actions/987654/replay", "").statusCode()).isEqualTo(404);
        assertThat(operatorSend("POST", "/api/v1/ops/actions/replay", "").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/ops/actions", Map.of()).statusCode()).isEqualTo(401);
        assertThat(operatorJson("/api/v1/ops/actions").get("items")).isEmpty();
    }

    /**
     * A customer the hub creates at Connect Financial (answered {@code connectfiCustomerId}), with a W9 when
     * {@code withW9}; once linked, the poller pulls {@code status}, which decides the next call.
     */
    private void connectfiCustomer(String customerId, String connectfiCustomerId, boolean withW9, String status) {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/customers"))
                .withRequestBody(matchingJsonPath("$.externalId", equalTo(customerId)))
                .willReturn(okJson("{\"id\":\"" + connectfiCustomerId + "\"}")));
        stubStatus(connectfiCustomerId, status);
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"" + customerId + "\"}").statusCode())
                .isEqualTo(201);
        if (withW9) {
            assertThat(apiSend("POST", "/api/v1/customers/" + customerId + "/documents", "{\"type\":\"W9\","
                    + "\"fileName\":\"w9.pdf\",\"contentType\":\"application/pdf\",\"content\":\""
                    + Base64.getEncoder().encodeToString("%PDF-w9".getBytes()) + "\"}").statusCode()).isEqualTo(201);
        }
        assertThat(apiSend("POST", "/api/v1/customers/" + customerId + "/onboardings", "{\"provider\":\"connectfi\"}")
                .statusCode()).isEqualTo(202);
    }

    /** Connect Financial's status with one check, given as "TYPE:passed:suggestedAction". */
    private static String status(String nextAction, String check) {
        String[] parts = check.split(":");
        return "{\"isCompliant\":false,\"onboardingStatus\":\"PROCESSING\",\"nextAction\":\"" + nextAction + "\","
                + "\"checks\":[{\"type\":\"" + parts[0] + "\",\"passed\":" + parts[1] + ",\"required\":true,"
                + "\"suggestedAction\":\"" + parts[2] + "\"}]}";
    }

    private static void stubStatus(String connectfiCustomerId, String body) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/v1/compliance/status/" + connectfiCustomerId))
                .willReturn(okJson(body)));
    }

    private JsonNode lastEvent(JsonNode kycCase) {
        JsonNode events = apiJson("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items");
        return events.get(events.size() - 1);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
