package com.kychub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.support.ExtraHub;
import org.junit.jupiter.api.Test;

/**
 * With {@code management.server.port} set, the actuator answers on that port only, under the same rules: health and
 * its probes for anyone without details, everything else for an operator key; the main port serves no actuator.
 */
class ManagementPortIntegrationTest {

    private static final String API_KEY = "management-api-key";
    private static final String OPERATOR_KEY = "management-operator-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theActuatorOnItsOwnPortKeepsTheRules() throws Exception {
        try (ExtraHub hub = ExtraHub.builder()
                .name("kyc-hub-management-port")
                .database("management_port", 54333)
                .apiKey(API_KEY)
                .operatorKey(OPERATOR_KEY)
                .property("management.server.port", 0)
                .property("management.server.address", "127.0.0.1")
                .start()) {
            int management = hub.managementPort();
            assertThat(management).isNotEqualTo(hub.port());

            HttpResponse<String> health = get(management, "/actuator/health", Map.of());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(health.body()).has("components")).isFalse();
            assertThat(get(management, "/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200);
            assertThat(get(management, "/actuator/health/liveness", Map.of()).statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(get(management, "/actuator/health", bearer(OPERATOR_KEY)).body())
                    .at("/components/db/status").asText()).isEqualTo("UP");

            HttpResponse<String> anonymous = get(management, "/actuator/prometheus", Map.of());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(get(management, "/actuator/prometheus", bearer(API_KEY)).statusCode()).isEqualTo(403);
            HttpResponse<String> prometheus = get(management, "/actuator/prometheus", bearer(OPERATOR_KEY));
            assertThat(prometheus.statusCode()).isEqualTo(200);
            assertThat(prometheus.body()).contains("kyc_inbox_backlog{");

            // The main port has no actuator any more; the API is still there.
            assertThat(get(hub.port(), "/actuator/prometheus", bearer(OPERATOR_KEY)).statusCode()).isIn(403, 404);
            assertThat(hub.api("/api/v1/cases").statusCode()).isEqualTo(200);
        }
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private static HttpResponse<String> get(int port, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
