package com.kychub.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseView;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * For operators (behind the API key, like all of {@code /api}): a case with the raw inbox messages behind it, bodies
 * and stored headers included, oldest first: the messages processed into the case and those its audit events name.
 * Bodies hold personal data: this is the one API answer that carries them.
 */
@RestController
@RequestMapping("/api/v1/ops/cases")
public class CaseMessagesController {

    public record RawMessage(long id, String provider, String channel, String messageType, String subject,
                             Long causedBy, String state, int attempts, String lastError, String outcome,
                             Map<String, Object> headers, String body, Instant receivedAt, Instant processedAt) {
    }

    public record CaseMessages(@JsonProperty("case") CaseView kycCase, List<RawMessage> messages) {
    }

    private final CaseQueries queries;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public CaseMessagesController(CaseQueries queries, JdbcTemplate jdbc, ObjectMapper json) {
        this.queries = queries;
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/{id}/messages")
    public CaseMessages messages(@PathVariable UUID id) {
        CaseView kycCase = queries.findCase(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no case " + id));
        List<RawMessage> messages = jdbc.query("""
                select id, provider, channel, message_type, subject, caused_by, state, attempts, last_error, outcome,
                       headers::text as headers, body, received_at, processed_at
                from inbound_message
                where case_id = ? or id in (select inbound_message_id from kyc_event where case_id = ?)
                order by id""", (row, n) -> new RawMessage(row.getLong("id"), row.getString("provider"),
                row.getString("channel"), row.getString("message_type"), row.getString("subject"),
                row.getObject("caused_by", Long.class), row.getString("state"), row.getInt("attempts"),
                row.getString("last_error"), row.getString("outcome"), headers(row.getString("headers")),
                row.getString("body"), row.getTimestamp("received_at").toInstant(),
                row.getTimestamp("processed_at") == null ? null : row.getTimestamp("processed_at").toInstant()),
                id, id);
        return new CaseMessages(kycCase, messages);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> headers(String text) {
        try {
            return json.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
