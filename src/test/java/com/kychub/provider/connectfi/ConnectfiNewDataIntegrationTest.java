package com.kychub.provider.connectfi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * New data from the fintech reaches Connect Financial while it still asks for it: a second PATCH of a profile field,
 * a replacement document, each sent once per new datum and never twice for the same (the same PATCH or document
 * handed over again, the same status read again); a refused upload is not repeated, a new document is tried, and the
 * refused one replayed after it sends nothing.
 */
class ConnectfiNewDataIntegrationTest extends ConnectfiFlows {

    private static final String PROFILE = "/v1/customers/cf-nd";
    private static final String UPLOADS = "/compliance/upload-doc";
    private static final String ASKS_OCCUPATION = status(false, "PENDING", "UPDATE_PROFILE",
            "KYC_DATA_PRESENT:true:true", "OCCUPATION:false:true:UPDATE_PROFILE");
    private static final String ASKS_W9 = status(false, "PROCESSING", "UPLOAD_DOCUMENT",
            "SDK_VERIFICATION_COMPLETED:true:true", "DOC_FATCA:false:true:UPLOAD_DOCUMENT");

    private int deliveries;

    @Test
    void aSecondPatchOfAFieldStillAskedForIsSentOnceAndTheSamePatchNever() {
        PROVIDERS.stubFor(patch(urlEqualTo(PROFILE)).willReturn(okJson("{\"id\":\"cf-nd\"}")));
        customerAtConnectfi("c-nd", "{\"nationality\":\"US\"}", ASKS_OCCUPATION);
        JsonNode asked = awaitCase("customer:c-nd", "ACTION_REQUIRED", "UPDATE_PROFILE");
        assertThat(texts(asked.get("reasons"))).contains("MISSING_PROFILE_FIELD:occupation");

        // The fintech hands over the occupation: PATCHed, the case waits on Connect Financial.
        assertThat(patchProfile("c-nd", "{\"kyc\":{\"occupation\":\"11\"}}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> occupationsPatched().equals(List.of("11")));
        awaitCase("customer:c-nd", "IN_PROGRESS", "WAIT");

        // Connect Financial still asks for the occupation: a corrected one goes out, once, though the case reads the
        // same as before it (IN_PROGRESS / WAIT).
        assertThat(patchProfile("c-nd", "{\"kyc\":{\"occupation\":\"12\"}}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> occupationsPatched().equals(List.of("11", "12")));

        // The same occupation handed over again is no new datum; nor is the same status read again.
        assertThat(patchProfile("c-nd", "{\"kyc\":{\"occupation\":\"12\"}}").statusCode()).isEqualTo(200);
        statusReadAgain();
        settle();
        assertThat(occupationsPatched()).containsExactly("11", "12");
        JsonNode waiting = awaitCase("customer:c-nd", "IN_PROGRESS", "WAIT");
        assertThat(texts(waiting.get("reasons"))).containsExactly("OCCUPATION");
        assertThat(jdbc.queryForList("select state from provider_action where kind = 'UPDATE_PROFILE' order by id",
                String.class)).containsExactly("DONE", "DONE");
        // Named by the field and the profile's version (epoch milliseconds), never by the value.
        assertThat(jdbc.queryForList("select action from provider_action where kind = 'UPDATE_PROFILE'",
                String.class)).doesNotHaveDuplicates()
                .allMatch(name -> name.matches("UPDATE_PROFILE:occupation:\\d{13}"));
    }

    @Test
    void aProfileFieldAskedForLaterIsSentThoughTheProfileDidNotChange() {
        PROVIDERS.stubFor(patch(urlEqualTo(PROFILE)).willReturn(okJson("{\"id\":\"cf-nd\"}")));
        customerAtConnectfi("c-nd", "{\"nationality\":\"US\",\"occupation\":\"11\"}", ASKS_OCCUPATION);
        await().atMost(Duration.ofSeconds(20)).until(() -> occupationsPatched().equals(List.of("11")));

        // Connect Financial now asks for the tax country, which the hub held all along.
        stubStatus("cf-nd", status(false, "PENDING", "UPDATE_PROFILE", "KYC_DATA_PRESENT:true:true",
                "OCCUPATION:true:true", "TAX_COUNTRY:false:true:UPDATE_PROFILE"));
        statusReadAgain();
        await().atMost(Duration.ofSeconds(20)).until(() -> PROVIDERS.findAll(patchRequestedFor(urlEqualTo(PROFILE))
                .withRequestBody(matchingJsonPath("$.kyc.nationality", equalTo("US")))).size() == 1);
        statusReadAgain();
        settle();
        assertThat(PROVIDERS.findAll(patchRequestedFor(urlEqualTo(PROFILE)))).hasSize(2);
        assertThat(occupationsPatched()).containsExactly("11");
    }

    @Test
    void aReplacementDocumentIsUploadedOnceAndTheSameDocumentNever() {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo(UPLOADS)).willReturn(okJson("{\"status\":\"RECEIVED\"}")));
        customerAtConnectfi("c-nd", "{\"nationality\":\"US\"}", ASKS_W9);
        awaitCase("customer:c-nd", "ACTION_REQUIRED", "PROVIDE_DOCUMENT");

        HttpResponse<String> first = postW9("c-nd", "%PDF-w9-first");
        assertThat(first.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> uploadedW9s().equals(List.of("%PDF-w9-first")));
        awaitCase("customer:c-nd", "IN_PROGRESS", "WAIT");

        // The same file again (a retried upload) is the document held: 200, its id, nothing uploaded.
        HttpResponse<String> again = postW9("c-nd", "%PDF-w9-first");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(readJson(again.body()).get("id")).isEqualTo(readJson(first.body()).get("id"));

        // Connect Financial still asks for the W9: the replacement is uploaded, once.
        HttpResponse<String> replacement = postW9("c-nd", "%PDF-w9-second");
        assertThat(replacement.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                uploadedW9s().equals(List.of("%PDF-w9-first", "%PDF-w9-second")));
        statusReadAgain();
        settle();
        assertThat(uploadedW9s()).containsExactly("%PDF-w9-first", "%PDF-w9-second");
        assertThat(jdbc.queryForList("select action from provider_action where kind = 'UPLOAD_DOCUMENT' order by id",
                String.class)).containsExactly("UPLOAD_DOCUMENT:W9:" + readJson(first.body()).get("id").asText(),
                "UPLOAD_DOCUMENT:W9:" + readJson(replacement.body()).get("id").asText());
        assertThat(jdbc.queryForObject("select count(*) from customer_document where customer_id = 'c-nd'",
                Integer.class)).isEqualTo(2);
    }

    @Test
    void aRefusedUploadIsNotRepeatedButANewDocumentIsTried() {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo(UPLOADS)).willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":\"unreadable\"}")));
        customerAtConnectfi("c-nd", "{\"nationality\":\"US\"}", ASKS_W9);
        awaitCase("customer:c-nd", "ACTION_REQUIRED", "PROVIDE_DOCUMENT");
        assertThat(postW9("c-nd", "%PDF-w9-unreadable").statusCode()).isEqualTo(201);
        JsonNode held = awaitCase("customer:c-nd", "ACTION_REQUIRED", "CONTACT_SUPPORT");
        assertThat(texts(held.get("reasons"))).first().isEqualTo("ACTION_FAILED:UPLOAD_DOCUMENT:HTTP_422");

        // Connect Financial says the same again, twice: the refused upload is not made again.
        statusReadAgain();
        statusReadAgain();
        settle();
        assertThat(uploadedW9s()).containsExactly("%PDF-w9-unreadable");

        // A new document is new data: tried once, and taken.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo(UPLOADS)).willReturn(okJson("{\"status\":\"RECEIVED\"}")));
        assertThat(postW9("c-nd", "%PDF-w9-readable").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                uploadedW9s().equals(List.of("%PDF-w9-unreadable", "%PDF-w9-readable")));
        statusReadAgain();
        settle();
        assertThat(uploadedW9s()).containsExactly("%PDF-w9-unreadable", "%PDF-w9-readable");
        assertThat(jdbc.queryForList("select state from provider_action where kind = 'UPLOAD_DOCUMENT' order by id",
                String.class)).containsExactly("FAILED", "DONE");

        // The refused upload replayed now sends nothing: its document was replaced, and the replacement stays the last
        // one Connect Financial got.
        long refused = jdbc.queryForObject("select id from provider_action where state = 'FAILED'", Long.class);
        assertThat(operatorSend("POST", "/api/v1/ops/actions/" + refused + "/replay", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "DONE".equals(jdbc.queryForObject(
                "select state from provider_action where id = ?", String.class, refused)));
        settle();
        assertThat(uploadedW9s()).containsExactly("%PDF-w9-unreadable", "%PDF-w9-readable");

        // Connect Financial has the document: the case moves on, the refusal no longer its reason.
        stubStatus("cf-nd", status(false, "PROCESSING", "WAIT", "SDK_VERIFICATION_COMPLETED:true:true",
                "DOC_FATCA:true:true", "KYC_STATUS:false:true:WAIT"));
        statusReadAgain();
        JsonNode movedOn = awaitCase("customer:c-nd", "IN_REVIEW", "WAIT");
        assertThat(texts(movedOn.get("reasons"))).containsExactly("KYC_STATUS");
    }

    /**
     * A customer the hub creates at Connect Financial ({@code cf-nd}) with that {@code kyc} object; the status the
     * creation's answer pulls is {@code status}.
     */
    private void customerAtConnectfi(String customerId, String kyc, String status) {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/customers"))
                .withRequestBody(matchingJsonPath("$.externalId", equalTo(customerId)))
                .willReturn(okJson("{\"id\":\"cf-nd\"}")));
        stubStatus("cf-nd", status);
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"" + customerId + "\",\"kyc\":" + kyc + "}")
                .statusCode()).isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/" + customerId + "/onboardings", "{\"provider\":\"connectfi\"}")
                .statusCode()).isEqualTo(202);
    }

    private HttpResponse<String> patchProfile(String customerId, String body) {
        return apiSend("PATCH", "/api/v1/customers/" + customerId, body);
    }

    private HttpResponse<String> postW9(String customerId, String content) {
        return apiSend("POST", "/api/v1/customers/" + customerId + "/documents", "{\"type\":\"W9\",\"fileName\":"
                + "\"w9.pdf\",\"contentType\":\"application/pdf\",\"content\":\""
                + Base64.getEncoder().encodeToString(content.getBytes()) + "\"}");
    }

    /** The occupations Connect Financial was PATCHed with, in order. */
    private List<String> occupationsPatched() {
        return PROVIDERS.findAll(patchRequestedFor(urlEqualTo(PROFILE))).stream()
                .map(request -> readJson(request.getBodyAsString()).at("/kyc/occupation"))
                .filter(JsonNode::isTextual).map(JsonNode::asText).toList();
    }

    /** The W9 contents Connect Financial was sent, in order. */
    private List<String> uploadedW9s() {
        return PROVIDERS.findAll(postRequestedFor(urlEqualTo(UPLOADS))).stream()
                .map(request -> readJson(request.getBodyAsString()))
                .filter(body -> body.path("type").asText().equals("W9"))
                .map(body -> new String(Base64.getDecoder().decode(body.path("content").asText()))).toList();
    }

    /**
     * Connect Financial notifies a change (each delivery its own, or the inbox would drop it as a duplicate): the hub
     * pulls the status and applies it, as it would any time.
     */
    private void statusReadAgain() {
        int pulled = statusesStored();
        send("CUSTOMER_UPDATED", "cf-nd", null, "\"delivery\":" + (++deliveries));
        await().atMost(Duration.ofSeconds(20)).until(() -> statusesStored() > pulled);
    }

    private int statusesStored() {
        return jdbc.queryForObject("select count(*) from inbound_message where message_type = 'compliance-status'",
                Integer.class);
    }

    /** Waits until every message is processed and every call made: what the hub would do, it has done. */
    private void settle() {
        awaitInboxDrained();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from provider_action where state = 'PENDING'", Integer.class) == 0);
        awaitInboxDrained();
    }
}
