package com.kychub.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * {@code kyc.polls.lag{provider}}: a poller that falls behind shows how far. Connect Financial's poller is stopped,
 * so that a case due a minute ago stays due: the gauge says about 60 s for Connect Financial and 0 for WIDTH, which
 * has nothing due; once the case is moved on (as a poll moves it), 0 again.
 */
class PollLagIntegrationTest extends HubIntegrationTest {

    @Test
    void theMostOverdueCaseOfAProviderIsTheLag() throws Exception {
        camel.getRouteController().stopRoute("connectfi-poll-status");
        try {
            jdbc.update("insert into customer (customer_id) values ('c-lag')");
            jdbc.update("""
                    insert into kyc_case (customer_id, provider, provider_ref, status, next_action, next_poll_at)
                    values ('c-lag', 'connectfi', 'onb-overdue', 'IN_PROGRESS', 'NONE', now() - interval '60 seconds'),
                           ('c-lag', 'connectfi', 'onb-later', 'IN_PROGRESS', 'NONE', now() + interval '1 hour')""");

            await().atMost(Duration.ofSeconds(10)).until(() -> lag("connectfi") >= 59);
            assertThat(lag("connectfi")).isLessThan(90);
            assertThat(lag("width")).isZero();
            JsonNode metric = operatorJson("/actuator/metrics/kyc.polls.lag?tag=provider:connectfi");
            assertThat(metric.get("baseUnit").asText()).isEqualTo("seconds");
            assertThat(metric.at("/measurements/0/value").asDouble()).isBetween(59.0, 90.0);

            jdbc.update("update kyc_case set next_poll_at = now() + interval '1 hour' where provider_ref = 'onb-overdue'");
            await().atMost(Duration.ofSeconds(10)).until(() -> lag("connectfi") == 0);
        } finally {
            camel.getRouteController().startRoute("connectfi-poll-status");
        }
    }

    private double lag(String provider) {
        return meters.find("kyc.polls.lag").tag("provider", provider).gauge().value();
    }
}
