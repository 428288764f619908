package com.kychub.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import com.kychub.support.MigrationDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V22 on a store written before it: each polled case starts with the newest of what its poller read until then (the
 * customer's row, documents and WIDTH data, the case's answered calls), so that a change made before the upgrade is
 * not missed after it; a case no longer polled keeps none. On the local PostgreSQL, database
 * {@code <test database>_migration22}, made afresh.
 */
class InputsChangedMigrationTest {

    private MigrationDatabase database;
    private JdbcTemplate jdbc;

    @BeforeEach
    void freshDatabase() throws SQLException {
        database = new MigrationDatabase("migration22");
        jdbc = database.jdbc();
    }

    @Test
    void polledCasesStartWithTheNewestChangeTheirPollerRead() {
        database.migrate("21");
        jdbc.update("insert into customer (customer_id, updated_at) values ('c-1', '2026-01-01T10:00:00Z')");
        jdbc.update("insert into customer (customer_id, updated_at) values ('c-2', '2026-01-01T10:00:00Z')");
        String polled = newCase("c-1", "exec-1", "2026-01-01T12:00:00Z");
        String calledLast = newCase("c-2", "exec-2", "2026-01-01T12:00:00Z");
        String finished = newCase("c-1", "exec-0", null);
        jdbc.update("""
                insert into width_customer_data (customer_id, kind, data, updated_at)
                values ('c-1', 'particulars', '{}', '2026-01-01T11:00:00Z')""");
        jdbc.update("""
                insert into provider_action (provider, case_id, customer_id, action, kind, state, done_at)
                values ('width', ?::uuid, 'c-1', 'PARTICULAR:exec-1', 'PARTICULAR', 'DONE', '2026-01-01T10:30:00Z'),
                       ('width', ?::uuid, 'c-2', 'OTP_SEND:exec-2', 'OTP_SEND', 'FAILED', '2026-01-01T11:30:00Z')""",
                polled, calledLast);

        database.migrate("latest");

        assertThat(inputsChangedAt(polled)).isEqualTo("2026-01-01 11:00:00+00");
        assertThat(inputsChangedAt(calledLast)).isEqualTo("2026-01-01 11:30:00+00");
        assertThat(inputsChangedAt(finished)).isNull();
    }

    private String newCase(String customerId, String executionId, String nextPollAt) {
        return jdbc.queryForObject("""
                insert into kyc_case (customer_id, provider, provider_ref, status, next_action, next_poll_at)
                values (?, 'width', ?, 'IN_PROGRESS', 'WAIT', ?::timestamptz) returning id::text""", String.class,
                customerId, executionId, nextPollAt);
    }

    private String inputsChangedAt(String caseId) {
        return jdbc.queryForObject("select inputs_changed_at at time zone 'UTC' || '+00' from kyc_case "
                + "where id = ?::uuid", String.class, caseId);
    }
}
