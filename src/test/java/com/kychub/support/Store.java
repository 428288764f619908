package com.kychub.support;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The hub's store as a test finds it: emptied before it starts. */
public final class Store {

    /** Every table the hub writes (not Flyway's nor Quartz's), children first. */
    private static final String TABLES = "event_delivery, outbound_event, event_endpoint, kyc_event_personal, kyc_event, "
            + "kyc_check, provider_action, inbound_message, provider_customer, provider_report, customer_document, width_customer_data, kyc_case, customer";
    private static final int ATTEMPTS = 5;

    private Store() {
    }

    /**
     * Empties every hub table and restarts their ids. The hub's workers keep running meanwhile; PostgreSQL picks the
     * truncation as the victim when it deadlocks with one of them, and trying again is all it takes.
     */
    public static void reset(JdbcTemplate jdbc) {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.execute("truncate " + TABLES + " restart identity cascade");
                return;
            } catch (PessimisticLockingFailureException deadlock) {
                if (attempt == ATTEMPTS) {
                    throw deadlock;
                }
            }
        }
    }
}
