package com.kychub.canonical;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The canonical store's part in erasing one case's personal data when its provider deletes it (ARGOS's
 * {@code delete}): the case is marked erased, and the erasure is one {@code DATA_ERASED} event in the audit trail,
 * which itself never holds personal data. The customer row's share is {@link PersonalData#erase}, the raw messages'
 * the inbox's ({@code Inbox#rewrite}). Everything runs in the caller's (the inbox worker's) transaction.
 */
@Component
public class Erasure {

    public static final String EVENT = "DATA_ERASED";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public Erasure(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
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

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
