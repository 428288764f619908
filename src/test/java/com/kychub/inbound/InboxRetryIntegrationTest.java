package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import com.kychub.support.HubIntegrationTest;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transient fault while processing (advised into {@code striga-process}) is retried with back-off, the message
 * ends DEAD after the configured attempts (3 in tests), never gone, and a replay after the fix processes it.
 */
class InboxRetryIntegrationTest extends HubIntegrationTest {

    /** Only bodies carrying this user id meet the fault, so the advice cannot disturb other tests. */
    private static final String FAULTY_USER = "u-provider-outage";
    private static final AtomicBoolean FAULT = new AtomicBoolean();
    private static boolean advised;

    @BeforeEach
    void injectFault() throws Exception {
        if (!advised) {
            AdviceWith.adviceWith(camel, "striga-process", route -> route.weaveAddFirst().process(exchange -> {
                if (FAULT.get() && exchange.getIn().getBody(String.class).contains(FAULTY_USER)) {
                    throw new ConnectException("injected: connection refused");
                }
            }));
            // Under the supervising route controller an advised route comes back stopped.
            camel.getRouteController().startRoute("striga-process");
            advised = true;
        }
        FAULT.set(true);
    }

    @AfterEach
    void clearFault() {
        FAULT.set(false);
    }

    @Test
    void aTransientFaultIsRetriedThenDeadThenReplayedAfterTheFix() {
        long id = readJson(postStriga("{\"userId\":\"" + FAULTY_USER + "\",\"status\":\"APPROVED\"}").body())
                .get("id").asLong();

        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(state(id)));
        assertThat(jdbc.queryForObject("select attempts from inbound_message where id = ?", Integer.class, id))
                .isEqualTo(3);
        assertThat(jdbc.queryForObject("select last_error from inbound_message where id = ?", String.class, id))
                .contains("ConnectException");
        assertThat(jdbc.queryForObject("select count(*) from kyc_case", Integer.class)).isZero();

        FAULT.set(false);
        assertThat(operatorSend("POST", "/api/v1/ops/inbox/replay?provider=striga", "").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> "PROCESSED".equals(state(id)));
        assertThat(jdbc.queryForObject("select status from kyc_case where provider_ref = ?", String.class,
                FAULTY_USER)).isEqualTo("APPROVED");
    }

    @Test
    void aFaultThatClearsBeforeTheLastAttemptNeedsNoReplay() {
        long id = readJson(postStriga("{\"userId\":\"" + FAULTY_USER + "\",\"status\":\"ON_HOLD\"}").body())
                .get("id").asLong();
        afterFirstAttempt(id, () -> FAULT.set(false));

        await().atMost(Duration.ofSeconds(20)).until(() -> "PROCESSED".equals(state(id)));
    }

    private String state(long id) {
        return jdbc.queryForObject("select state from inbound_message where id = ?", String.class, id);
    }
}
