package com.kychub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;

import com.kychub.support.MigrationDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V15 on a store written before issue 13: the free-text comments an ARGOS rejection left among the reasons of its case
 * and of its audit events are gone, the codes stay, other providers' reasons are untouched, and the audit trail is
 * append-only again afterwards. On the local PostgreSQL, database {@code <test database>_migration}, made afresh.
 */
class ArgosCommentsMigrationTest {

    private static final String COMMENT = "Ada Lovelace's photo is blurry.";

    private MigrationDatabase database;
    private JdbcTemplate jdbc;

    @BeforeEach
    void freshDatabase() throws SQLException {
        database = new MigrationDatabase("migration");
        jdbc = database.jdbc();
    }

    @Test
    void argosCommentsLeaveTheReasonsOfCasesAndEventsAndCodesStay() {
        database.migrate("14");
        jdbc.update("insert into customer (customer_id) values ('c-1')");
        String reasons = "[\"ID_BLUR\", \"" + COMMENT + "\", \"AML:RED_FLAG\"]";
        String argos = jdbc.queryForObject("""
                insert into kyc_case (customer_id, provider, provider_ref, status, next_action, reasons)
                values ('c-1', 'argos', 'sub-1', 'REJECTED', 'RESTART_KYC', ?::jsonb) returning id::text""",
                String.class, reasons);
        String striga = jdbc.queryForObject("""
                insert into kyc_case (customer_id, provider, provider_ref, status, next_action, reasons)
                values ('c-1', 'striga', 'u-1', 'REJECTED', 'RESTART_KYC', '["Striga reason with spaces"]')
                returning id::text""", String.class);
        jdbc.update("""
                insert into kyc_event (case_id, type, detail)
                values (?::uuid, 'STATUS_CHANGED', jsonb_build_object('providerStatus', 'rejected', 'reasons', ?::jsonb))""",
                argos, reasons);
        jdbc.update("""
                insert into kyc_event (case_id, type, detail)
                values (?::uuid, 'STATUS_CHANGED', '{"reasons": ["Striga reason with spaces"]}')""", striga);

        database.migrate("latest");

        assertThat(jdbc.queryForObject("select reasons::text from kyc_case where id = ?::uuid", String.class, argos))
                .isEqualTo("[\"ID_BLUR\", \"AML:RED_FLAG\"]");
        assertThat(jdbc.queryForObject("select detail::text from kyc_event where case_id = ?::uuid", String.class,
                argos)).isEqualTo("{\"reasons\": [\"ID_BLUR\", \"AML:RED_FLAG\"], \"providerStatus\": \"rejected\"}");
        assertThat(jdbc.queryForObject("select reasons ->> 0 from kyc_case where id = ?::uuid", String.class, striga))
                .isEqualTo("Striga reason with spaces");
        assertThat(jdbc.queryForObject("select detail #>> '{reasons,0}' from kyc_event where case_id = ?::uuid",
                String.class, striga)).isEqualTo("Striga reason with spaces");
        assertThat(jdbc.queryForObject("select count(*) from kyc_event where detail::text like ?", Integer.class,
                "%Lovelace%")).isZero();
        assertThatThrownBy(() -> jdbc.update("update kyc_event set detail = '{}'"))
                .hasMessageContaining("append-only");
    }
}
