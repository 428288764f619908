package com.kychub.database;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

import com.kychub.inbound.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * A gauge's value read from the store at most once per {@code refresh}, however often it is scraped: between two
 * reads the scrape gets the last value. A read that fails keeps the last value (0 before any) and is not tried again
 * within the period; the store's outage is told by the workers, so it is only logged at debug.
 */
public final class StoreReading {

    private static final Logger log = LoggerFactory.getLogger(StoreReading.class);

    private final String name;
    private final Duration refresh;
    private final DoubleSupplier read;
    private Instant readAt = Instant.EPOCH;
    private double value;

    /**
     * @param name    the gauge's name, for the log
     * @param refresh the least time between two reads
     * @param read    reads the value from the store; may throw {@link DataAccessException}
     */
    public StoreReading(String name, Duration refresh, DoubleSupplier read) {
        this.name = name;
        this.refresh = refresh;
        this.read = read;
    }

    public synchronized double value() {
        Instant now = Instant.now();
        if (Duration.between(readAt, now).compareTo(refresh) >= 0) {
            readAt = now;
            try {
                value = read.getAsDouble();
            } catch (DataAccessException e) {
                log.debug("{} not read: {}", name, Failures.describe(e));
            }
        }
        return value;
    }
}
