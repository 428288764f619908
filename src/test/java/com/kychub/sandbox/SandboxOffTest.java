package com.kychub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** Without the sandbox profile the simulators do not exist: their paths answer 404 and none of their beans is there. */
class SandboxOffTest extends HubIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void theSandboxIsUnreachableWhenOff() {
        assertThat(post("/sandbox/width/api/workflow.apply.submit?apiKey=x", "{\"data\":{\"customerId\":\"c\"}}",
                Map.of("Content-Type", "application/json")).statusCode()).isEqualTo(404);
        assertThat(post("/sandbox/connectfi/v1/customers", "{\"externalId\":\"c\"}",
                Map.of("Content-Type", "application/json")).statusCode()).isEqualTo(404);
        assertThat(get("/sandbox/ondato-idv/v1/identity-verifications/x", Map.of()).statusCode()).isEqualTo(404);
        assertThat(post("/sandbox/striga/users/u/kyc", "", Map.of()).statusCode()).isEqualTo(404);
        assertThat(post("/sandbox/receiver", "{}", Map.of("Content-Type", "application/json")).statusCode())
                .isEqualTo(404);
        assertThat(get("/sandbox/receiver/events", Map.of()).statusCode()).isEqualTo(404);
        assertThat(context.getBeanNamesForType(Sandbox.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SandboxDemo.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SandboxReceiver.class)).isEmpty();
    }
}
