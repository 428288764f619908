package com.kychub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Cases nobody sees waiting: those not finished and unchanged for a while, listed by
 * {@code GET /api/v1/ops/cases?stalledFor=} and counted by the gauge {@code kyc.cases.stalled} (stalled after a day,
 * the default). Time does not pass in tests: a case is aged by setting its last change back.
 */
class StalledCasesIntegrationTest extends HubIntegrationTest {

    @Autowired
    StalledCases stalled;

    @Test
    void casesUnchangedForThatLongAndNotFinishedAreListedAndCounted() {
        strigaCase("u-stalled-2d", "PENDING_REVIEW", 48);
        strigaCase("u-stalled-3d", "INITIATED", 72);
        strigaCase("u-approved-3d", "APPROVED", 72);
        strigaCase("u-fresh", "PENDING_REVIEW", 0);

        // Newest first; finished (APPROVED) and recent cases are not stalled.
        JsonNode day = operatorJson("/api/v1/ops/cases?stalledFor=PT24H").get("items");
        assertThat(day.findValuesAsText("providerRef")).containsExactly("u-stalled-2d", "u-stalled-3d");
        assertThat(day.get(0).get("status").asText()).isEqualTo("IN_REVIEW");
        assertThat(day.get(1).get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(operatorJson("/api/v1/ops/cases?stalledFor=P2DT12H").findValuesAsText("providerRef"))
                .containsExactly("u-stalled-3d");
        // A page at a time: the next one repeats the filter and the limit.
        JsonNode first = operatorJson("/api/v1/ops/cases?stalledFor=PT24H&limit=1");
        assertThat(first.get("items").findValuesAsText("providerRef")).containsExactly("u-stalled-2d");
        assertThat(first.get("next").asText()).startsWith("/api/v1/ops/cases?stalledFor=PT24H&limit=1&after=");
        JsonNode second = operatorJson(first.get("next").asText());
        assertThat(second.get("items").findValuesAsText("providerRef")).containsExactly("u-stalled-3d");
        assertThat(second.get("next").isNull()).isTrue();
        // Without stalledFor: stalled as the gauge counts it (kyc.ops.stalled-after, a day).
        assertThat(operatorJson("/api/v1/ops/cases").findValuesAsText("providerRef"))
                .containsExactly("u-stalled-2d", "u-stalled-3d");

        stalled.refresh();
        assertThat(gauge("striga", "IN_REVIEW")).isEqualTo(1.0);
        assertThat(gauge("striga", "IN_PROGRESS")).isEqualTo(1.0);
        assertThat(gauge("connectfi", "IN_REVIEW")).isZero();

        // A change moves the case out of the stalled ones.
        strigaCase("u-stalled-2d", "ON_HOLD", 0);
        stalled.refresh();
        assertThat(gauge("striga", "IN_REVIEW")).isZero();
        assertThat(operatorJson("/api/v1/ops/cases?stalledFor=PT24H").findValuesAsText("providerRef"))
                .containsExactly("u-stalled-3d");
    }

    @Test
    void aStalledForThatIsNotAnIsoDurationIsRefusedWithTheReason() {
        for (String bad : new String[] {"24h", "P1Y", "-PT1H", "PT0S", "P36501D", "P9999999999D", "yesterday"}) {
            HttpResponse<String> answer = operatorApi("/api/v1/ops/cases?stalledFor=" + bad);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(readJson(answer.body()).get("title").asText()).isEqualTo("Bad Request");
            assertThat(readJson(answer.body()).get("detail").asText()).as(bad).contains("'stalledFor'");
        }
        assertThat(operatorApi("/api/v1/ops/cases?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/ops/cases?stalledFor=PT24H", Map.of()).statusCode()).isEqualTo(401);
    }

    /** A Striga case in that status, last changed that many hours ago. */
    private void strigaCase(String userId, String status, int hoursAgo) {
        assertThat(postStriga("{\"userId\":\"" + userId + "\",\"status\":\"" + status + "\"}").statusCode())
                .isEqualTo(200);
        awaitInboxDrained();
        jdbc.update("update kyc_case set updated_at = now() - ? * interval '1 hour' where provider_ref = ?",
                hoursAgo, userId);
    }

    private double gauge(String provider, String status) {
        HttpResponse<String> metric = operatorApi("/actuator/metrics/kyc.cases.stalled?tag=provider:" + provider
                + "&tag=status:" + status);
        assertThat(metric.statusCode()).isEqualTo(200);
        return readJson(metric.body()).at("/measurements/0/value").asDouble();
    }
}
