package com.kychub.canonical;

import java.sql.ResultSet;
import java.sql.SQLException;
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
 * The store operations of erasing one case's personal data when its provider deletes it (ARGOS's {@code delete}):
 * the raw inbound messages of the case are rewritten without it, the case is marked erased, and the erasure is one
 * {@code DATA_ERASED} event in the audit trail, which itself never holds personal data. The customer row's share is
 * {@link PersonalData#erase}. Everything runs in the caller's (the inbox worker's) transaction.
 */
@Component
public class Erasure {

    public static final String EVENT = "DATA_ERASED";

    /** One stored inbound message, as erasure reads and rewrites it. */
    public record StoredMessage(long id, UUID caseId, String body, Map<String, String> headers, String lastError) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public Erasure(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The inbox id of a provider's message, found by its dedup key. */
    public Optional<Long> messageId(String provider, String dedupKey) {
        return jdbc.queryForList("select id from inbound_message where provider = ? and dedup_key = ?", Long.class,
                provider, dedupKey).stream().findFirst();
    }

    public Optional<StoredMessage> message(long id) {
        return jdbc.query("select id, case_id, body, headers, last_error from inbound_message where id = ?",
                (row, n) -> read(row), id).stream().findFirst();
    }

    /**
     * The provider's messages that may belong to the case: those processed into it, and those not linked to any
     * case yet (waiting, failed, dead), which the caller sorts by content. Messages another worker holds right now
     * are skipped: that worker finds the case erased once this transaction commits, and scrubs them itself.
     */
    public List<StoredMessage> candidates(String provider, UUID caseId) {
        return jdbc.query("""
                select id, case_id, body, headers, last_error from inbound_message
                where provider = ? and (case_id = ? or case_id is null)
                order by id
                for update skip locked""", (row, n) -> read(row), provider, caseId);
    }

    /** Replaces a message's body, headers and last error with their erased forms. */
    public void rewrite(StoredMessage message) {
        jdbc.update("update inbound_message set body = ?, headers = ?::jsonb, last_error = ? where id = ?",
                message.body(), write(message.headers()), message.lastError(), message.id());
    }

    /** Writes the case's provider details without personal data, with the provider's erasure marker. */
    public void markErased(UUID caseId, Map<String, Object> providerDetails) {
        jdbc.update("""
                update kyc_case set provider_details = ?::jsonb, version = version + 1, updated_at = now()
                where id = ?""", write(providerDetails), caseId);
    }

    /**
     * Appends the {@code DATA_ERASED} event: the case's status does not change, so from and to are the same.
     *
     * @param detail who erased, when and why as the provider says it, and what was erased; never personal data
     */
    public void recordErasure(UUID caseId, String providerEvent, Long inboundMessageId, Map<String, Object> detail) {
        jdbc.update("""
                insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action,
                                       provider_event, inbound_message_id, detail)
                select id, ?, status, status, next_action, next_action, ?, ?, ?::jsonb
                from kyc_case where id = ?""",
                EVENT, providerEvent, inboundMessageId, write(detail), caseId);
    }

    private StoredMessage read(ResultSet row) throws SQLException {
        try {
            return new StoredMessage(row.getLong("id"), row.getObject("case_id", UUID.class), row.getString("body"),
                    json.readValue(row.getString("headers"), new TypeReference<Map<String, String>>() { }),
                    row.getString("last_error"));
        } catch (JsonProcessingException e) {
            throw new SQLException("inbound_message.headers is not a JSON object", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
