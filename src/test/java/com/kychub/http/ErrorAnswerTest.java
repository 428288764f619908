package com.kychub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

class ErrorAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theProblemWrittenBeforeSpringMvcIsTheRfc9457Shape() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        ErrorAnswer.write(response, ErrorAnswer.of(413, "over \"the\" limit", "/webhooks/striga/kyc"));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsString());
        assertThat(problem.path("type").asText()).isEqualTo("about:blank");
        assertThat(problem.path("title").asText()).isEqualTo("Payload Too Large");
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("detail").asText()).isEqualTo("over \"the\" limit");
        assertThat(problem.path("instance").asText()).isEqualTo("/webhooks/striga/kyc");
    }

    @Test
    void aPathNoUriMayHoldIsQuotedAndAStatusWithoutAPhraseStillHasATitle() throws Exception {
        JsonNode problem = JSON.readTree(ErrorAnswer.json(ErrorAnswer.of(499, "gone", "/api/v1/cases/a|b")));

        assertThat(problem.path("instance").asText()).isEqualTo("/api/v1/cases/a%7Cb");
        assertThat(problem.path("title").asText()).isEqualTo("Client Error");
    }
}
