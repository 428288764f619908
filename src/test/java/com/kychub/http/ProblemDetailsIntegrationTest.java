package com.kychub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Every answerer of the hub answers its errors as RFC 9457 problem details: the API's controllers, the security layer,
 * the servlet filters, the webhook door and Tomcat itself.
 */
class ProblemDetailsIntegrationTest extends HubIntegrationTest {

    @Test
    void theApi() {
        HttpResponse<String> answer = api("/api/v1/cases/00000000-0000-0000-0000-000000000000");

        assertProblem(answer, 404, "Not Found", "/api/v1/cases/00000000-0000-0000-0000-000000000000");
        assertThat(readJson(answer.body()).path("detail").asText()).startsWith("no case");
    }

    @Test
    void theSecurityLayer() {
        HttpResponse<String> none = get("/api/v1/cases", Map.of());
        HttpResponse<String> wrongScope = api("/api/v1/ops/inbox");

        assertProblem(none, 401, "Unauthorized", "/api/v1/cases");
        assertThat(readJson(none.body()).path("detail").asText()).isEqualTo("missing or invalid API key");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertProblem(wrongScope, 403, "Forbidden", "/api/v1/ops/inbox");
        assertThat(readJson(wrongScope.body()).path("detail").asText())
                .isEqualTo("this API key's scope does not include this endpoint");
    }

    @Test
    void theFilters() {
        HttpResponse<String> form = post("/webhooks/striga/kyc", "a=1",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        HttpResponse<String> oversize = post("/webhooks/striga/kyc", "{\"a\":\"" + "x".repeat(70_000) + "\"}",
                Map.of("Content-Type", "application/json"));

        assertProblem(form, 415, "Unsupported Media Type", "/webhooks/striga/kyc");
        assertThat(readJson(form.body()).path("detail").asText()).isEqualTo("Content-Type must be application/json");
        assertProblem(oversize, 413, "Payload Too Large", "/webhooks/striga/kyc");
        assertThat(readJson(oversize.body()).path("detail").asText()).contains("over the limit");
    }

    @Test
    void theWebhookDoor() {
        HttpResponse<String> forged = post("/webhooks/striga/kyc", "{\"userId\":\"u-1\",\"status\":\"APPROVED\"}",
                Map.of("Content-Type", "application/json", "signature", "00"));

        assertProblem(forged, 401, "Unauthorized", "/webhooks/striga/kyc");
        assertThat(readJson(forged.body()).path("detail").asText()).isEqualTo("invalid signature");
    }

    @Test
    void tomcat() throws IOException {
        // An encoded slash: Tomcat refuses it before any filter runs.
        HttpResponse<String> encodedSlash = api("/api/v1/cases/%2F/events");
        assertProblem(encodedSlash, 400, "Bad Request", "/api/v1/cases/%2F/events");

        // A header line without a colon: Tomcat refuses the request before any filter runs.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/cases HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            assertThat(head).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json");
            JsonNode problem = readJson(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
            assertThat(problem.path("status").asInt()).isEqualTo(400);
            assertThat(problem.path("title").asText()).isEqualTo("Bad Request");
            assertThat(problem.path("detail").asText()).isNotBlank();
        }
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String title, String instance) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = readJson(answer.body());
        assertThat(problem.path("type").asText()).isEqualTo("about:blank");
        assertThat(problem.path("title").asText()).isEqualTo(title);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("instance").asText()).isEqualTo(instance);
    }
}
