package com.kychub.provider.width;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * Phone OTP against a WIDTH stub: the phone comes from the particulars, a code WIDTH does not accept (a verify it
 * refuses with {@code success: false}, or one after which the node still waits) has the customer asked again, each
 * code is verified once. And a refused call records no API key.
 */
class WidthOtpIntegrationTest extends WidthFlows {

    private static final String EXEC = "exec-otp-1";

    @Test
    void aRefusedCodeIsAskedForAgainAndEachCodeIsVerifiedOnce() {
        stubStatus(EXEC, waiting(EXEC, "n-email", WidthMapping.EMAIL));
        startOnboarding("c-o1", null, EXEC);
        // No email held: the customer is asked for personal data.
        assertThat(awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_PERSONAL_DATA").get("reasons").get(0).asText())
                .isEqualTo("MISSING_EMAIL");

        assertThat(apiSend("POST", "/api/v1/customers/c-o1/data/particulars", """
                {"name": "Ada", "dateOfBirth": "1990-01-15", "nationality": "SG", "phone": "+6591234567"}""")
                .statusCode()).isEqualTo(201);
        stubMethod("workflow.kyc.otp.send", "{\"data\":{\"requestId\":\"req-phone-1\"}}");
        stubMethod("workflow.kyc.otp.verify", "{\"success\":false,\"code\":\"OTP_INVALID\"}");
        stubStatus(EXEC, waiting(EXEC, "n-phone", WidthMapping.PHONE));
        var send = awaitRequest("workflow.kyc.otp.send");
        assertThat(send.get("type").asText()).isEqualTo("phone");
        assertThat(send.get("identity").asText()).isEqualTo("+6591234567");
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_OTP");

        assertThat(apiSend("POST", "/api/v1/customers/c-o1/otp", "{\"code\":\"1111\"}").statusCode()).isEqualTo(202);
        var first = awaitRequest("workflow.kyc.otp.verify");
        assertThat(first.get("code").asText()).isEqualTo("1111");
        assertThat(first.get("requestId").asText()).isEqualTo("req-phone-1");
        // WIDTH refused that verify: FAILED with its code, and the customer is asked for another code.
        await().atMost(Duration.ofSeconds(20)).until(() -> "OTP_NOT_ACCEPTED".equals(
                awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_OTP").get("reasons").get(0).asText()));
        assertThat(jdbc.queryForList("select state || ' ' || last_error from provider_action where kind = 'OTP_VERIFY'",
                String.class))
                .containsExactly("FAILED WIDTH refused workflow.kyc.otp.verify (success: false, code OTP_INVALID)");
        awaitMorePolls(EXEC, 3);
        assertThat(requests("workflow.kyc.otp.verify")).hasSize(1);

        // WIDTH takes the second code, yet the node still waits: that code was not accepted either.
        stubMethod("workflow.kyc.otp.verify", "{\"success\":true}");
        assertThat(apiSend("POST", "/api/v1/customers/c-o1/otp", "{\"code\":\"222222\"}").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> requests("workflow.kyc.otp.verify").size() == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("""
                select count(*) from kyc_event e join kyc_case k on k.id = e.case_id
                where k.provider_ref = ? and e.to_next_action = 'PROVIDE_OTP'
                  and e.detail->'reasons' @> '["OTP_NOT_ACCEPTED"]'::jsonb""", Integer.class, EXEC) == 2);
        awaitMorePolls(EXEC, 3);
        assertThat(requests("workflow.kyc.otp.verify")).hasSize(2);

        assertThat(apiSend("POST", "/api/v1/customers/c-o1/otp", "{\"code\":\"333333\"}").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> requests("workflow.kyc.otp.verify").size() == 3);
        stubStatus(EXEC, status(EXEC, "RUNNING"));
        awaitCase(EXEC, "IN_PROGRESS", "WAIT");
        awaitMorePolls(EXEC, 3);
        assertThat(requests("workflow.kyc.otp.verify")).hasSize(3);
        assertThat(requests("workflow.kyc.otp.verify").stream()
                .map(request -> readJson(request.getBodyAsString()).get("code").asText()))
                .containsExactlyInAnyOrder("1111", "222222", "333333");
        assertThat(requests("workflow.kyc.otp.send")).hasSize(1);
    }

    @Test
    void aRefusedCallIsFailedWithoutTheApiKeyInItsError() {
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.applicant.register"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"bad customer\"}")));
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-o2\"}").statusCode()).isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/c-o2/onboardings", "{\"provider\":\"width\"}").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from provider_action where provider = 'width' and state = 'FAILED'",
                Integer.class) == 1);
        assertThat(jdbc.queryForObject("select last_error from provider_action where provider = 'width'",
                String.class)).contains("400").doesNotContain(WIDTH_API_KEY);
    }
}
