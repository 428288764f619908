package com.kychub.inbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
 * The durable inbox: every webhook body and poll response as received, deduplicated at the door by the unique
 * (provider, dedup_key) in the same INSERT that stores it. States: ACCEPTED (waiting, or retrying after a
 * transient fault), PROCESSED, FAILED (cannot be mapped: waits for a fix and a replay), DEAD (retries exhausted).
 */
@Component
public class Inbox {

    public record Stored(long id, boolean duplicate) {
    }

    /** One stored message as erasure reads and rewrites it. */
    public record StoredMessage(long id, UUID caseId, String body, Map<String, String> headers, String lastError) {
    }

    private final JdbcTemplate jdbc;
    private final RetryBook retries;
    private final ObjectMapper json;

    public Inbox(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.retries = new RetryBook(jdbc, "inbound_message", "ACCEPTED");
        this.json = json;
    }

    /** What the inbox files every webhook as ({@code message_type}); other messages are named by their provider. */
    public static final String WEBHOOK = "webhook";

    /**
     * Stores a message the hub fetched itself: the answer of a status poll or of an action (channel POLL). Inside a
     * transaction it joins it, so an answer is stored together with whatever caused it. (Webhooks come in through
     * {@link InboxWriter}, which commits them in groups.)
     *
     * @param messageType what the body is (the provider's Mapping names its types); its process route routes on it
     * @param subject     what the message is about at the provider when the body does not say
     * @param causedBy    the message whose processing fetched this one, if one did
     */
    public Stored storePolled(String provider, String messageType, String subject, Long causedBy, String dedupKey,
                              String body) {
        List<Long> inserted = jdbc.queryForList("""
                insert into inbound_message (provider, channel, message_type, subject, caused_by, dedup_key, headers,
                                             body)
                values (?, 'POLL', ?, ?, ?, ?, '{}'::jsonb, ?)
                on conflict (provider, dedup_key) do nothing
                returning id""", Long.class, provider, messageType, subject, causedBy, dedupKey, body);
        if (!inserted.isEmpty()) {
            return new Stored(inserted.get(0), false);
        }
        Long existing = jdbc.queryForObject("select id from inbound_message where provider = ? and dedup_key = ?",
                Long.class, provider, dedupKey);
        return new Stored(existing, true);
    }

    /** Locks the provider's oldest due message for the caller's transaction; other workers skip it. */
    public InboundMessage claimNext(String provider) {
        List<InboundMessage> due = jdbc.query("""
                select id, provider, channel, message_type, subject, body, attempts from inbound_message
                where state = 'ACCEPTED' and next_attempt_at <= now() and provider = ?
                order by next_attempt_at, id
                limit 1
                for update skip locked""",
                (row, n) -> new InboundMessage(row.getLong("id"), row.getString("provider"),
                        row.getString("channel"), row.getString("message_type"), row.getString("subject"),
                        row.getString("body"), row.getInt("attempts")), provider);
        return due.isEmpty() ? null : due.get(0);
    }

    public void markProcessed(long id, String outcome, UUID caseId) {
        jdbc.update("""
                update inbound_message
                set state = 'PROCESSED', outcome = ?, case_id = ?, attempts = attempts + 1, last_error = null,
                    processed_at = now()
                where id = ?""", outcome, caseId, id);
    }

    public void markFailed(long id, String error) {
        jdbc.update("""
                update inbound_message
                set state = 'FAILED', attempts = attempts + 1, last_error = ?, processed_at = now()
                where id = ?""", error, id);
    }

    /** A transient failure: due again after the back-off, or DEAD once attempts reach the limit; true when DEAD. */
    public boolean recordFailedAttempt(long id, String error, int maxAttempts, Duration backoff) {
        return retries.recordFailedAttempt(id, error, maxAttempts, backoff);
    }

    /** Due again after the delay, without spending an attempt (the provider's circuit is open). */
    public void postpone(long id, String reason, Duration delay) {
        retries.postpone(id, reason, delay);
    }

    /** Makes a FAILED or DEAD message due again, keeping its history of attempts. */
    public boolean replay(long id) {
        return jdbc.update("""
                update inbound_message set state = 'ACCEPTED', next_attempt_at = now()
                where id = ? and state in ('FAILED', 'DEAD')""", id) == 1;
    }

    public int replayAll(String provider) {
        return jdbc.update("""
                update inbound_message set state = 'ACCEPTED', next_attempt_at = now()
                where provider = ? and state in ('FAILED', 'DEAD')""", provider);
    }

    /** The id of a provider's message, found by its dedup key. */
    public Optional<Long> idOf(String provider, String dedupKey) {
        return jdbc.queryForList("select id from inbound_message where provider = ? and dedup_key = ?", Long.class,
                provider, dedupKey).stream().findFirst();
    }

    public Optional<StoredMessage> stored(long id) {
        return jdbc.query("select id, case_id, body, headers, last_error from inbound_message where id = ?",
                (row, n) -> readStored(row), id).stream().findFirst();
    }

    /**
     * The provider's messages that may hold a case's personal data, locked for the caller's transaction: those
     * processed into the case, and those not linked to any case yet (waiting, failed, dead), which the caller sorts by
     * content. Messages another worker holds right now are skipped: that worker finds the case erased once the
     * caller's transaction commits, and scrubs them itself.
     */
    public List<StoredMessage> lockForErasure(String provider, UUID caseId) {
        return jdbc.query("""
                select id, case_id, body, headers, last_error from inbound_message
                where provider = ? and (case_id = ? or case_id is null)
                order by id
                for update skip locked""", (row, n) -> readStored(row), provider, caseId);
    }

    /** Replaces a message's body, headers and last error with their erased forms. */
    public void rewrite(StoredMessage message) {
        jdbc.update("update inbound_message set body = ?, headers = ?::jsonb, last_error = ? where id = ?",
                message.body(), write(message.headers()), message.lastError(), message.id());
    }

    private StoredMessage readStored(ResultSet row) throws SQLException {
        try {
            return new StoredMessage(row.getLong("id"), row.getObject("case_id", UUID.class), row.getString("body"),
                    json.readValue(row.getString("headers"), new TypeReference<Map<String, String>>() { }),
                    row.getString("last_error"));
        } catch (JsonProcessingException e) {
            throw new SQLException("inbound_message.headers is not a JSON object", e);
        }
    }

    private String write(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers cannot be serialised", e);
        }
    }
}
