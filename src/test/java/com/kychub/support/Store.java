package com.kychub.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** The hub's store as a test finds it: emptied before it starts. */
public final class Store {

    /** Every table the hub writes (not Flyway's nor Quartz's), children first. */
    private static final String TABLES = "event_delivery, outbound_event, event_endpoint, kyc_event_personal, kyc_event, "
            + "kyc_check, provider_action, inbound_message, provider_customer, provider_report, customer_document, width_customer_data, kyc_case, customer";
    /** PostgreSQL's lock_not_available (a lock_timeout ran out) and deadlock_detected. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String DEADLOCK = "40P01";
    private static final long GIVE_UP_AFTER_NANOS = 30_000_000_000L;

    private Store() {
    }

    /**
     * Empties every hub table and restarts their ids. The hubs' workers, dispatchers and sweeps keep running
     * meanwhile (those of every context on the database) and lock these tables in orders of their own, so the
     * truncation, which locks them one by one, would deadlock with them; PostgreSQL only sees it after its
     * deadlock_timeout (1 s), and under load it could pick the truncation five times in a row (CI, 2026-12-07). So the
     * truncation waits at most 100 ms for any one lock: past that it lets go of every lock it holds, which unblocks
     * whoever waited for it, and tries again a moment later.
     */
    public static void reset(JdbcTemplate jdbc) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                truncate(connection, statement);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    private static void truncate(Connection connection, Statement statement) throws SQLException {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                statement.execute("set local lock_timeout = '100ms'");
                statement.execute("truncate " + TABLES + " restart identity cascade");
                connection.commit();
                return;
            } catch (SQLException e) {
                connection.rollback();
                boolean contended = LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState());
                if (!contended || System.nanoTime() - start > GIVE_UP_AFTER_NANOS) {
                    throw e;
                }
                sleep(10L * Math.min(attempt, 10));
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while emptying the store", e);
        }
    }
}
