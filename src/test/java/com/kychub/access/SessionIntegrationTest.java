package com.kychub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The console's session: an operator key signs in once and the HttpOnly, SameSite=Strict cookie then stands for it;
 * a change made with the cookie needs the session's CSRF token; a wrong key and an integration key are refused with
 * 401; bearer requests stay stateless (no cookie answered, no token needed); signing out ends the session.
 */
class SessionIntegrationTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void anOperatorKeySignsInAndTheCookieStandsForItWithTheCsrfTokenOnEveryChange() {
        postStriga("{\"userId\":\"u-session\",\"status\":\"APPROVED\"}");
        awaitInboxDrained();

        HttpResponse<String> signedIn = send("POST", "/api/v1/session", "{\"key\":\"" + OPERATOR_API_KEY + "\"}",
                Map.of());
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(readJson(signedIn.body()).get("scope").asText()).isEqualTo("operator");
        String token = readJson(signedIn.body()).get("csrfToken").asText();
        assertThat(token).isNotBlank();
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("KYC_HUB_SESSION=").contains("HttpOnly").containsIgnoringCase(
                "SameSite=Strict");
        Map<String, String> cookie = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));

        // The cookie reads what the operator key reads.
        assertThat(send("GET", "/api/v1/ops/inbox?provider=striga", null, cookie).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/cases?provider=striga", null, cookie).statusCode()).isEqualTo(200);
        HttpResponse<String> current = send("GET", "/api/v1/session", null, cookie);
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(readJson(current.body()).get("csrfToken").asText()).isEqualTo(token);

        // A change with the cookie and without the token is refused, and changes nothing.
        HttpResponse<String> noToken = send("POST", "/api/v1/ops/inbox/replay?provider=striga", "", cookie);
        assertProblem(noToken, 403, "X-CSRF-TOKEN");
        HttpResponse<String> wrongToken = send("POST", "/api/v1/ops/inbox/replay?provider=striga", "",
                Map.of("Cookie", cookie.get("Cookie"), "X-CSRF-TOKEN", token + "x"));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/ops/inbox/replay?provider=striga", "",
                Map.of("Cookie", cookie.get("Cookie"), "X-CSRF-TOKEN", token)).statusCode()).isEqualTo(200);

        // Signing out needs the token too, then the cookie is worth nothing.
        assertThat(send("DELETE", "/api/v1/session", null, cookie).statusCode()).isEqualTo(403);
        HttpResponse<String> signedOut = send("DELETE", "/api/v1/session", null,
                Map.of("Cookie", cookie.get("Cookie"), "X-CSRF-TOKEN", token));
        assertThat(signedOut.statusCode()).isEqualTo(204);
        assertThat(signedOut.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("KYC_HUB_SESSION=;")
                .contains("Max-Age=0");
        assertThat(send("GET", "/api/v1/session", null, cookie).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/ops/inbox", null, cookie).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/ops/inbox/replay?provider=striga", "",
                Map.of("Cookie", cookie.get("Cookie"), "X-CSRF-TOKEN", token)).statusCode()).isEqualTo(401);
    }

    @Test
    void signingInAgainStartsANewSessionAndTheOldIdIsWorthNothing() {
        String first = sessionCookie(send("POST", "/api/v1/session", "{\"key\":\"" + OPERATOR_API_KEY + "\"}",
                Map.of()));
        HttpResponse<String> again = send("POST", "/api/v1/session", "{\"key\":\"" + OPERATOR_API_KEY + "\"}",
                Map.of("Cookie", first));
        String second = sessionCookie(again);

        assertThat(second).isNotEqualTo(first);
        assertThat(send("GET", "/api/v1/session", null, Map.of("Cookie", first)).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/session", null, Map.of("Cookie", second)).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongKeyAndAnIntegrationKeyAreRefusedWith401AndNoSession() {
        for (String key : List.of("not-a-key", API_KEY, "")) {
            HttpResponse<String> refused = send("POST", "/api/v1/session", "{\"key\":\"" + key + "\"}", Map.of());
            assertProblem(refused, 401, "operator key");
            assertThat(refused.headers().firstValue("Set-Cookie")).as(key).isEmpty();
        }
        assertThat(send("POST", "/api/v1/session", "{\"key\":\"" + API_KEY + "\"}",
                Map.of("Authorization", "Bearer " + OPERATOR_API_KEY)).statusCode()).as("the body's key decides")
                .isEqualTo(401);
        HttpResponse<String> notJson = send("POST", "/api/v1/session", "key=" + OPERATOR_API_KEY, Map.of());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(send("GET", "/api/v1/session", null, Map.of()).statusCode()).isEqualTo(401);
        // A bearer key is no session either.
        assertThat(operatorApi("/api/v1/session").statusCode()).isEqualTo(401);
    }

    @Test
    void bearerRequestsStayStatelessAndNeedNoToken() {
        for (HttpResponse<String> bearer : List.of(operatorApi("/api/v1/ops/inbox"), api("/api/v1/cases"),
                operatorSend("POST", "/api/v1/ops/inbox/replay?provider=striga", ""),
                apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-session\"}"),
                get("/api/v1/ops/inbox", Map.of()))) {
            assertThat(bearer.statusCode()).as(bearer.uri().toString()).isIn(200, 201, 401);
            assertThat(bearer.headers().firstValue("Set-Cookie")).as(bearer.uri().toString()).isEmpty();
        }
        assertThat(operatorSend("POST", "/api/v1/ops/inbox/replay?provider=striga", "").statusCode()).isEqualTo(200);
    }

    @Test
    void theConsoleFilesAnswerWithoutAKey() {
        HttpResponse<String> page = send("GET", "/", null, Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("KYC Hub");
        assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(send("GET", "/console/app.js", null, Map.of()).statusCode()).isEqualTo(200);
    }

    /** An RFC 9457 problem of that status whose detail says what to do. */
    private static void assertProblem(HttpResponse<String> answer, int status, String detailMentions) {
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(readJson(answer.body()).get("status").asInt()).isEqualTo(status);
        assertThat(readJson(answer.body()).get("detail").asText()).contains(detailMentions);
    }

    private static String sessionCookie(HttpResponse<String> signedIn) {
        assertThat(signedIn.statusCode()).isEqualTo(200);
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
