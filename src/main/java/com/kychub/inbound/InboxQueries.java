package com.kychub.inbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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
 * The read side of the inbox: what operators list and count, the raw messages behind a case, and what a provider's
 * processing needs to know of earlier messages (the last status stored, the webhook that caused a pull).
 */
@Component
public class InboxQueries {

    /** A message without its body: bodies carry personal data. */
    public record Summary(long id, String provider, String channel, String state, int attempts, String lastError,
                          String outcome, UUID caseId, Instant receivedAt, Instant processedAt) {
    }

    /** A message as received, body and stored headers included: for operators only. */
    public record RawMessage(long id, String provider, String channel, String messageType, String subject,
                             Long causedBy, String state, int attempts, String lastError, String outcome,
                             Map<String, Object> headers, String body, Instant receivedAt, Instant processedAt) {
    }

    /** The body of a message and when it was received. */
    public record Received(String body, Instant receivedAt) {
    }

    /** How many messages of a provider are in a state. */
    public record Count(String provider, String state, long messages) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public InboxQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The newest messages first, optionally of one state and one provider. */
    public List<Summary> list(String state, String provider, int limit) {
        StringBuilder sql = new StringBuilder("""
                select id, provider, channel, state, attempts, last_error, outcome, case_id, received_at, processed_at
                from inbound_message where true""");
        List<Object> arguments = new ArrayList<>();
        if (state != null) {
            sql.append(" and state = ?");
            arguments.add(state);
        }
        if (provider != null) {
            sql.append(" and provider = ?");
            arguments.add(provider);
        }
        sql.append(" order by id desc limit ?");
        arguments.add(limit);
        return jdbc.query(sql.toString(), (row, n) -> new Summary(row.getLong("id"), row.getString("provider"),
                row.getString("channel"), row.getString("state"), row.getInt("attempts"), row.getString("last_error"),
                row.getString("outcome"), row.getObject("case_id", UUID.class), instant(row, "received_at"),
                instant(row, "processed_at")), arguments.toArray());
    }

    public List<Count> countsByProviderAndState() {
        return jdbc.query("select provider, state, count(*) as n from inbound_message group by provider, state",
                (row, n) -> new Count(row.getString("provider"), row.getString("state"), row.getLong("n")));
    }

    /** The messages processed into a case and the ones named by its audit events, oldest first. */
    public List<RawMessage> behindCase(UUID caseId, List<Long> namedByEvents) {
        return jdbc.query("""
                select id, provider, channel, message_type, subject, caused_by, state, attempts, last_error, outcome,
                       headers::text as headers, body, received_at, processed_at
                from inbound_message
                where case_id = ? or id = any(?)
                order by id""", (row, n) -> new RawMessage(row.getLong("id"), row.getString("provider"),
                row.getString("channel"), row.getString("message_type"), row.getString("subject"),
                row.getObject("caused_by", Long.class), row.getString("state"), row.getInt("attempts"),
                row.getString("last_error"), row.getString("outcome"), headers(row.getString("headers")),
                row.getString("body"), instant(row, "received_at"), instant(row, "processed_at")),
                caseId, namedByEvents.toArray(Long[]::new));
    }

    /** The newest message of that type about that subject (an execution, a customer at the provider). */
    public Optional<Received> last(String provider, String messageType, String subject) {
        return jdbc.query("""
                select body, received_at from inbound_message
                where provider = ? and message_type = ? and subject = ?
                order by id desc limit 1""",
                (row, n) -> new Received(row.getString("body"), instant(row, "received_at")),
                provider, messageType, subject).stream().findFirst();
    }

    /** The body of the webhook at the start of the chain of pulls that led to this message, if a webhook did. */
    public Optional<String> webhookBehind(long messageId) {
        return jdbc.queryForList("""
                with recursive chain (id, caused_by, channel, body, depth) as (
                    select id, caused_by, channel, body, 0 from inbound_message where id = ?
                    union all
                    select m.id, m.caused_by, m.channel, m.body, c.depth + 1
                    from inbound_message m join chain c on m.id = c.caused_by where c.depth < 5)
                select body from chain where channel = 'WEBHOOK' limit 1""", String.class, messageId)
                .stream().findFirst();
    }

    /** Whether a message with that dedup key is stored (processed or not). */
    public boolean contains(String provider, String dedupKey) {
        return !jdbc.queryForList("select 1 from inbound_message where provider = ? and dedup_key = ?",
                Integer.class, provider, dedupKey).isEmpty();
    }

    private Map<String, Object> headers(String text) {
        try {
            return json.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
