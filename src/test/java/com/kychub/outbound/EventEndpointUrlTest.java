package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.web.server.ResponseStatusException;

/** The URL rule without kyc.events.allow-http (the tests' hub has it on): https only. */
class EventEndpointUrlTest {

    private final EventEndpointController controller = new EventEndpointController(null, settings(false),
            new ObjectMapper());

    @Test
    void httpsOnlyUnlessAllowed() {
        assertThat(controller.validUrl("https://receiver.example/kyc")).isEqualTo("https://receiver.example/kyc");
        assertThatThrownBy(() -> controller.validUrl("http://receiver.example/kyc"))
                .isInstanceOf(ResponseStatusException.class).hasMessageContaining("must be https");

        EventEndpointController allowing = new EventEndpointController(null, settings(true), new ObjectMapper());
        assertThat(allowing.validUrl("http://127.0.0.1:8080/sandbox/receiver"))
                .isEqualTo("http://127.0.0.1:8080/sandbox/receiver");
    }

    private static EventsProperties settings(boolean allowHttp) {
        return new EventsProperties(allowHttp, Duration.ofSeconds(15), List.of(Duration.ZERO), Duration.ofDays(5),
                Duration.ofDays(1), Duration.ofMillis(100), 200, 32, 8, Duration.ofSeconds(60), "", "kyc.events");
    }
}
