package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The retry schedule as the hub reads its settings: the documented eight attempts, then DEAD. */
class EventDispatcherScheduleTest {

    @Test
    void theDefaultScheduleMakesEightAttemptsOverAboutADayThenGivesUp() {
        List<Duration> schedule = settings(Map.of()).retrySchedule();

        List<Duration> waits = new ArrayList<>();
        for (int attempts = 0; EventDispatcher.retryAfter(schedule, attempts) != null; attempts++) {
            waits.add(EventDispatcher.retryAfter(schedule, attempts));
        }

        assertThat(waits).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
                Duration.ofHours(10));
    }

    @Test
    void aConfiguredScheduleIsReadAsWritten() {
        List<Duration> schedule = settings(Map.of("kyc.events.retry-schedule", "0s,300ms,1m")).retrySchedule();

        assertThat(EventDispatcher.retryAfter(schedule, 1)).isEqualTo(Duration.ofMillis(300));
        assertThat(EventDispatcher.retryAfter(schedule, 2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(EventDispatcher.retryAfter(schedule, 3)).isNull();
    }

    private static EventsProperties settings(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("kyc.events",
                EventsProperties.class);
    }
}
