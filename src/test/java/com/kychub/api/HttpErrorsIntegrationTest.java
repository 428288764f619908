package com.kychub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Errors answered outside the hub's own handlers, found by {@code FuzzIntegrationTest}: each one used to come back
 * without the hub's error shape, now a problem (Spring Boot's JSON without a reason, Tomcat's HTML page,
 * or no body at all), and some as 500.
 */
class HttpErrorsIntegrationTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aPathOrMethodNoHandlerTakesGetsTheErrorShape() {
        assertError(send("GET", "/webhooks/striga/kyc", Map.of()), 405, "GET is not supported here");
        assertError(send("POST", "/webhooks/nothing", Map.of("Content-Type", "application/json")), 404,
                "there is no endpoint at this path");
        assertError(send("DELETE", "/api/v1/cases", Map.of("Authorization", "Bearer " + API_KEY)), 405,
                "DELETE is not supported here");
        // What the caller accepts does not matter: an error is JSON.
        assertError(send("GET", "/api/v1/cases/c-1/nothing", Map.of("Authorization", "Bearer " + API_KEY,
                "Accept", "text/html")), 404, "there is no endpoint at this path");
    }

    @Test
    void whatTomcatRefusesBeforeTheHubGetsTheErrorShape() {
        assertError(send("GET", "/api/v1/cases/%2F/events", Map.of("Authorization", "Bearer " + API_KEY)), 400, null);
        assertError(send("GET", "/api/v1/customers/%C0%AF/kyc", Map.of()), 400, null);
        assertError(send("TRACE", "/webhooks/striga/kyc", Map.of()), 405, "TRACE method is not allowed");
        assertError(send("GET", "/api/v1/cases", Map.of("X-Big", "a".repeat(20_000))), 400, null);
    }

    @Test
    void anAcceptHeaderThatCannotBeReadStillGetsAJsonError() {
        assertError(send("GET", "/api/v1/cases", Map.of("Authorization", "Bearer " + API_KEY, "Accept", "garbage")),
                406, null);
    }

    @Test
    void textTheStoreCannotKeepIsABadRequestNotA500() {
        assertError(apiSend("POST", "/api/v1/customers",
                "{\"customerId\":\"c-nul\",\"kyc\":{\"mainAddress\":{\"city\":\"Berlin\\u0000\"}}}"), 400,
                "the body escapes U+0000 or an unpaired surrogate (\\ud800-\\udfff), which is not storable text");
        assertError(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-sur\",\"kyc\":{\"x\":\"\\ud800\"}}"),
                400, null);
        assertError(api("/api/v1/cases?providerRef=a%00b"), 400, "'providerRef' is not valid");
        assertError(send("POST", "/api/v1/ops/inbox/replay?provider=x%00", Map.of("Authorization",
                "Bearer " + OPERATOR_API_KEY)), 400, "'provider' is not valid");
        assertThat(jdbc.queryForObject("select count(*) from customer", Integer.class)).isZero();
    }

    private static void assertError(HttpResponse<String> answer, int status, String reason) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = readJson(answer.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
        if (reason != null) {
            assertThat(body.path("detail").asText()).isEqualTo(reason);
        }
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
