package com.kychub.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ondato's APIs answer 500 while a backlog of its webhooks is processed: the pulls they trigger open the circuit, the
 * rest wait in the inbox, attempts unspent, nothing reaches Ondato while it is open, and once Ondato recovers the
 * circuit closes and every case reaches its status. Striga and the WIDTH poller go on meanwhile.
 */
class OndatoOutageIntegrationTest extends OutageFlows {

    private static final Logger log = LoggerFactory.getLogger(OndatoOutageIntegrationTest.class);
    private static final String ONDATO_CALLS = "/ondato-(idv|kyc)/.*";
    private static final int CASES = 12;

    @Test
    void aBacklogMeetingAnOndatoOutageWaitsAndIsProcessedOnceOndatoRecovers() throws Exception {
        List<String> verifications = IntStream.rangeClosed(1, CASES).mapToObj(i -> "idv-outage-" + i).toList();
        startWidth("w-ondato-outage", "exec-ondato-outage");
        awaitWidthRunning("exec-ondato-outage");
        Map<String, Double> before = transitionCounts("ondato");

        // A backlog: the webhooks are taken while the Ondato worker is stopped, then Ondato goes down and the worker
        // meets it with all of them at once (one failed attempt each, until the circuit opens).
        camel.getRouteController().stopRoute("inbox-process-ondato");
        try {
            verifications.forEach(idv -> assertThat(postOndato(envelope(idv))).isEqualTo(200));
            StubMapping fault = PROVIDERS.stubFor(WireMock.any(urlPathMatching(ONDATO_CALLS)).atPriority(1)
                    .willReturn(aResponse().withStatus(500)));
            verifications.forEach(idv -> {
                PROVIDERS.stubFor(WireMock.get(urlEqualTo("/ondato-idv/v1/identity-verifications/" + idv))
                        .willReturn(okJson("{\"id\":\"" + idv + "\",\"setupId\":\"" + ONDATO_SETUP_ID
                                + "\",\"status\":\"Active\",\"step\":{\"kycIdentification\":{\"id\":\"kyc-" + idv
                                + "\"}}}")));
                PROVIDERS.stubFor(WireMock.get(urlEqualTo("/ondato-kyc/v1/identifications/kyc-" + idv))
                        .willReturn(okJson("{\"id\":\"kyc-" + idv + "\",\"status\":\"Approved\"}")));
            });
            Instant faultAt = Instant.now();
            camel.getRouteController().startRoute("inbox-process-ondato");

            Instant openedAt = awaitOpened("ondato", before, Duration.ofSeconds(15));
            Duration openedAfter = Duration.between(faultAt, openedAt);
            int reached = assertNoCallsWhileOpen(openedAt, ONDATO_CALLS);
            // The calls before it opened cost one attempt each; none since.
            await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject("""
                    select count(*) from inbound_message where provider = 'ondato' and state = 'ACCEPTED'
                    and last_error like '%does not permit further calls%'""", Integer.class) > 0);
            assertThat(jdbc.queryForList("select attempts from inbound_message where provider = 'ondato'",
                    Integer.class)).hasSize(CASES).allMatch(attempts -> attempts <= 1);
            Duration strigaAnswer = strigaGoesOn("s-ondato-outage");
            assertTheHubStaysReady();
            Instant recoveredAt = Instant.now();
            Duration widthGap = longestWidthPollGap("exec-ondato-outage", faultAt, recoveredAt);
            assertThat(widthGap).isLessThan(Duration.ofSeconds(1));

            PROVIDERS.removeStub(fault);
            awaitCircuit("ondato", "CLOSED", Duration.ofSeconds(15));
            Duration closedAfter = Duration.between(recoveredAt, Instant.now());
            assertThat(since(before, "ondato", "HALF_OPEN_TO_CLOSED")).isEqualTo(1);
            verifications.forEach(idv -> awaitCase("ondato", idv, "APPROVED", "NONE"));
            // Processed at the attempt after the one spent before the circuit opened, at the latest.
            assertThat(jdbc.queryForList("select attempts from inbound_message where provider = 'ondato' "
                    + "and message_type = 'webhook'", Integer.class)).hasSize(CASES).allMatch(attempts -> attempts <= 2);
            assertThat(jdbc.queryForObject("select count(*) from inbound_message where state in ('DEAD', 'FAILED')",
                    Integer.class)).isZero();

            log.info("Ondato ANSWERS_500: OPEN seen from {} ms after the backlog met it ({} calls reached it before, "
                            + "{} by the end of the checked open span); Striga answered in {} ms; longest WIDTH poll "
                            + "gap {} ms; CLOSED {} ms after it recovered", openedAfter.toMillis(),
                    callsBefore(openedAt, ONDATO_CALLS), reached, strigaAnswer.toMillis(), widthGap.toMillis(),
                    closedAfter.toMillis());
        } finally {
            camel.getRouteController().startRoute("inbox-process-ondato");
        }
    }

    private static String envelope(String verificationId) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"applicationId\":\"app-1\",\"createdUtc\":\"2024-05-06T07:08:09Z\","
                + "\"deliveredUtc\":\"2024-05-06T07:08:10Z\",\"isDelivered\":false,\"type\":\"KycIdentification.Approved\","
                + "\"payload\":{\"id\":\"kyc-" + verificationId + "\",\"identityVerificationId\":\"" + verificationId
                + "\"}}";
    }

    private int postOndato(String body) {
        String credentials = Base64.getEncoder().encodeToString((ONDATO_WEBHOOK_USER + ":" + ONDATO_WEBHOOK_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        return post("/webhooks/ondato", body, Map.of("Content-Type", "application/json",
                "Authorization", "Basic " + credentials)).statusCode();
    }
}
