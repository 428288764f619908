package com.kychub.scheduling;

import java.time.Duration;
import java.util.List;

import com.kychub.database.StoreReading;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code kyc.polls.lag{provider}} (Prometheus {@code kyc_polls_lag_seconds}): how long the most overdue case
 * of a polled provider (WIDTH's executions, Connect Financial's onboardings) has been due for its status poll, in
 * seconds; 0 when none is due. A poller that keeps up claims a due case within a tick, so the gauge stays near 0;
 * one that cannot (too few {@code poll-threads}, a rate limit below what the cases need, too little CPU) lets it grow,
 * where the cases' statuses would otherwise just come late, without a sign. Read from the store (the poll-due index:
 * one index entry per provider) at most once a second however often it is scraped.
 */
@Component
public class PollLag {

    /** The providers whose cases are polled on a schedule ({@code next_poll_at}). */
    static final List<String> POLLED = List.of("connectfi", "width");

    private static final Duration REFRESH = Duration.ofSeconds(1);

    public PollLag(JdbcTemplate jdbc, MeterRegistry registry) {
        for (String provider : POLLED) {
            StoreReading lag = new StoreReading("kyc.polls.lag of " + provider, REFRESH, () -> {
                Double overdue = jdbc.queryForObject("""
                        select extract(epoch from clock_timestamp() - min(next_poll_at))::float8
                        from kyc_case where provider = ? and next_poll_at <= clock_timestamp()""", Double.class,
                        provider);
                return overdue == null ? 0 : Math.max(0, overdue);
            });
            Gauge.builder("kyc.polls.lag", lag::value)
                    .description("How long the most overdue case of the provider has been due for its status poll")
                    .tag("provider", provider)
                    .baseUnit("seconds")
                    .register(registry);
        }
    }
}
