package com.kychub.canonical;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A case as it stands, for a provider whose messages say only what changed (ARGOS's {@code aml}, {@code updated},
 * {@code delete}): its mapping needs the current state to write the whole next one. Read inside the inbox worker's
 * transaction and locked until it commits, so no other message of the same case moves it in between.
 */
@Component
public class CurrentCase {

    public record Snapshot(
            UUID id,
            String customerId,
            CaseStatus status,
            NextAction nextAction,
            List<String> reasons,
            String providerStatus,
            Map<String, Object> providerDetails,
            Instant providerUpdatedAt) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public CurrentCase(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The case of (provider, providerRef), locked for the caller's transaction; empty when there is none yet. */
    public Optional<Snapshot> lock(String provider, String providerRef) {
        return jdbc.query("""
                select id, customer_id, status, next_action, reasons, provider_status, provider_details,
                       provider_updated_at
                from kyc_case where provider = ? and provider_ref = ? for update""",
                this::read, provider, providerRef).stream().findFirst();
    }

    private Snapshot read(ResultSet row, int n) throws SQLException {
        try {
            Timestamp updated = row.getTimestamp("provider_updated_at");
            return new Snapshot(row.getObject("id", UUID.class), row.getString("customer_id"),
                    CaseStatus.valueOf(row.getString("status")), NextAction.valueOf(row.getString("next_action")),
                    json.readValue(row.getString("reasons"), new TypeReference<List<String>>() { }),
                    row.getString("provider_status"),
                    json.readValue(row.getString("provider_details"), new TypeReference<Map<String, Object>>() { }),
                    updated == null ? null : updated.toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("kyc_case holds invalid JSON", e);
        }
    }
}
