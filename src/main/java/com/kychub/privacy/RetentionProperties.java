package com.kychub.privacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long personal data is kept when nobody erases it ({@code kyc.retention.*}): raw bodies of processed messages
 * are redacted {@code raw-bodies} after they were processed, document contents deleted {@code documents} after they
 * were handed over, outbound events (and their deliveries) deleted {@code events} after they were written once every
 * delivery of theirs is DELIVERED or DEAD: the cursor feed and replays reach back that far. The clustered {@code retention-sweep} route looks every {@code period}, {@code batch-size} rows
 * per transaction. (The route reads these through Camel's placeholders; the defaults are repeated in
 * {@code application.yml} for it.)
 */
@ConfigurationProperties(prefix = "kyc.retention")
public record RetentionProperties(
        @DefaultValue("P90D") Duration rawBodies,
        @DefaultValue("P90D") Duration documents,
        @DefaultValue("P30D") Duration events,
        @DefaultValue("1h") Duration period,
        @DefaultValue("500") int batchSize) {
}
