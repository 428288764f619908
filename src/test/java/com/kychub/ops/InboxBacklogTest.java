package com.kychub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The backlog's count keeps to its period while it is cheap, and spaces itself out when it is not. */
class InboxBacklogTest {

    private static final Duration PERIOD = Duration.ofSeconds(15);

    @Test
    void aCheapCountComesAgainAfterThePeriod() {
        assertThat(InboxBacklog.nextRefresh(PERIOD, Duration.ofMillis(20))).isEqualTo(PERIOD);
        assertThat(InboxBacklog.nextRefresh(PERIOD, Duration.ofMillis(150))).isEqualTo(PERIOD);
    }

    @Test
    void aDearCountWaitsAHundredTimesWhatItTook() {
        // A count of a burst's backlog: 2.5 s of the database's time, then none for the next 250 s.
        assertThat(InboxBacklog.nextRefresh(PERIOD, Duration.ofMillis(2500))).isEqualTo(Duration.ofSeconds(250));
    }
}
