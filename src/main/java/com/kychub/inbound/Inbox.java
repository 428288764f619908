package com.kychub.inbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The durable inbox: every webhook body and poll response as received, deduplicated at the door by the unique
 * (provider, dedup_key) in the same INSERT that stores it. States: ACCEPTED (waiting, or retrying after a
 * transient fault), PROCESSED, FAILED (cannot be mapped: waits for a fix and a replay), DEAD (retries exhausted).
 * The one owner of {@code inbound_message} (webhooks are written in groups by {@link InboxWriter}): the workers claim
 * and settle messages here, operators list and replay them, erasure rewrites them, and providers' processing asks it
 * what came before.
 */
@Component
public class Inbox extends DurableQueue {

    public record Stored(long id, boolean duplicate) {
    }

    /** A message without its body: bodies carry personal data. */
    @Schema(name = "InboxMessageSummary")
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

    /** One stored message as erasure and retention read and rewrite it. */
    public record StoredMessage(long id, String provider, UUID caseId, String body, Map<String, String> headers,
                                String lastError) {
    }

    private final ObjectMapper json;

    public Inbox(JdbcTemplate jdbc, ObjectMapper json) {
        super(jdbc, "inbound_message", "ACCEPTED");
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

    /**
     * Locks the provider's oldest due message after {@code after} (in the order the worker takes them: due time, then
     * id) for the caller's transaction; other workers skip it. A worker taking a batch passes the last message it
     * took: the index still holds the entries of the messages processed since the last vacuum, and a search from
     * the start would step over all of them for every claim (a cost that grows with the backlog drained). Each batch
     * starts at {@link InboxPosition#START}, so a message committed late with an earlier due time, or released by
     * another instance, waits at most one batch.
     */
    public InboundMessage claimNext(String provider, InboxPosition after) {
        List<InboundMessage> due = claim("""
                select id, provider, channel, message_type, subject, body, attempts, next_attempt_at
                from inbound_message
                where state = 'ACCEPTED' and next_attempt_at <= now() and provider = ?
                  and (next_attempt_at, id) > (?, ?)
                order by next_attempt_at, id
                limit 1
                for update skip locked""",
                (row, n) -> new InboundMessage(row.getLong("id"), row.getString("provider"),
                        row.getString("channel"), row.getString("message_type"), row.getString("subject"),
                        row.getString("body"), row.getInt("attempts"),
                        new InboxPosition(row.getObject("next_attempt_at", OffsetDateTime.class), row.getLong("id"))),
                provider, after.dueAt(), after.id());
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



    /** Makes a FAILED or DEAD message due again, keeping its history of attempts. */
    public boolean replay(long id) {
        return jdbc.update("""
                update inbound_message set state = 'ACCEPTED', next_attempt_at = now()
                where id = ? and state in ('FAILED', 'DEAD')""", id) == 1;
    }

    /** Makes every FAILED and DEAD message of the provider due again; answers how many. */
    public int replayAll(String provider) {
        return jdbc.update("""
                update inbound_message set state = 'ACCEPTED', next_attempt_at = now()
                where provider = ? and state in ('FAILED', 'DEAD')""", provider);
    }

    /** How many messages {@link #replayAll} would make due again now, changing nothing. */
    public int countReplayable(String provider) {
        Integer count = jdbc.queryForObject("""
                select count(*) from inbound_message where provider = ? and state in ('FAILED', 'DEAD')""",
                Integer.class, provider);
        return count == null ? 0 : count;
    }

    /** The id of a provider's message, found by its dedup key. */
    public Optional<Long> idOf(String provider, String dedupKey) {
        return jdbc.queryForList("select id from inbound_message where provider = ? and dedup_key = ?", Long.class,
                provider, dedupKey).stream().findFirst();
    }

    /**
     * The messages that may hold a customer's personal data and are not redacted yet, locked for the caller's
     * transaction: those processed into one of its cases, and those not linked to a case (waiting, failed, dead, or
     * recorded without a case) whose subject or body names one of its references. Messages another worker holds right
     * now are skipped: that worker finds the customer erased when it settles them, and redacts them itself.
     *
     * @param references the customer's references at the providers (case references, provider customer ids, its
     *                   own id); shorter ones than 6 characters are not searched in bodies, where they could match
     *                   another customer's message
     */
    public List<StoredMessage> lockForErasure(List<UUID> caseIds, List<String> references) {
        String[] searched = references.stream().filter(reference -> reference.length() >= 6).toArray(String[]::new);
        return jdbc.query("""
                select id, provider, case_id, body, headers, last_error from inbound_message m
                where redacted_at is null
                  and (case_id = any(?)
                       or (case_id is null and (subject = any(?)
                                                or exists (select 1 from unnest(?::text[]) as r (reference)
                                                           where strpos(m.body, r.reference) > 0))))
                order by id
                for update skip locked""", (row, n) -> readStored(row), caseIds.toArray(UUID[]::new),
                references.toArray(String[]::new), searched);
    }

    /**
     * The oldest PROCESSED messages not redacted yet that were processed before the cutoff, locked for the caller's
     * transaction (another instance's retention skips them). Only processed ones: a message still to be processed
     * (or failed, waiting for a replay) keeps its body.
     */
    public List<StoredMessage> lockProcessedBefore(Instant cutoff, int limit) {
        return jdbc.query("""
                select id, provider, case_id, body, headers, last_error from inbound_message
                where state = 'PROCESSED' and redacted_at is null and processed_at < ?
                order by processed_at, id
                limit ?
                for update skip locked""", (row, n) -> readStored(row), Timestamp.from(cutoff), limit);
    }

    /** Replaces a message's body, headers and last error with their redacted forms, and marks it redacted. */
    public void rewrite(StoredMessage message) {
        jdbc.update("""
                update inbound_message set body = ?, headers = ?::jsonb, last_error = ?, redacted_at = now()
                where id = ?""", message.body(), write(message.headers()), message.lastError(), message.id());
    }

    // --- What operators list and count, and what a provider's processing needs of earlier messages.

    /**
     * The newest messages first, optionally of one state and one provider, older than the message {@code beforeId} if
     * given (the cursor of the page before), at most {@code limit}.
     */
    public List<Summary> list(String state, String provider, Long beforeId, int limit) {
        return jdbc.query("""
                select id, provider, channel, state, attempts, last_error, outcome, case_id, received_at, processed_at
                from inbound_message
                where (?::text is null or state = ?) and (?::text is null or provider = ?)
                  and (?::bigint is null or id < ?)
                order by id desc
                limit ?""", (row, n) -> new Summary(row.getLong("id"), row.getString("provider"),
                row.getString("channel"), row.getString("state"), row.getInt("attempts"), row.getString("last_error"),
                row.getString("outcome"), row.getObject("case_id", UUID.class), instant(row, "received_at"),
                instant(row, "processed_at")), state, state, provider, provider, beforeId, beforeId, limit);
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

    private StoredMessage readStored(ResultSet row) throws SQLException {
        try {
            return new StoredMessage(row.getLong("id"), row.getString("provider"), row.getObject("case_id", UUID.class),
                    row.getString("body"),
                    json.readValue(row.getString("headers"), new TypeReference<Map<String, String>>() { }),
                    row.getString("last_error"));
        } catch (JsonProcessingException e) {
            throw new SQLException("inbound_message.headers is not a JSON object", e);
        }
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

    private String write(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers cannot be serialised", e);
        }
    }

    // --- What the console reads of one message and of each provider's traffic (ops.InboxMessageController,
    // ops.ProvidersController).

    /** One message as stored, for an operator who opens it; whether it was redacted (erasure, retention) already. */
    public record Opened(StoredMessage stored, String channel, String messageType, String subject, String state,
                         int attempts, Instant receivedAt, Instant processedAt, boolean redacted) {
    }

    /** A provider's newest FAILED or DEAD message with its last error. */
    public record LastError(String provider, long id, String text, Instant at) {
    }

    /** How many webhooks and pulls of a provider the inbox received in one minute. */
    public record MinuteCount(String provider, Instant minute, long webhooks, long pulls) {
    }

    public Optional<Opened> open(long id) {
        return jdbc.query("""
                select id, provider, case_id, body, headers, last_error, channel, message_type, subject, state,
                       attempts, received_at, processed_at, redacted_at is not null as redacted
                from inbound_message where id = ?""", (row, n) -> new Opened(readStored(row),
                row.getString("channel"), row.getString("message_type"), row.getString("subject"),
                row.getString("state"), row.getInt("attempts"), instant(row, "received_at"),
                instant(row, "processed_at"), row.getBoolean("redacted")), id).stream().findFirst();
    }

    /**
     * How many messages of each provider wait (ACCEPTED), FAILED or DEAD, by provider and state; the PROCESSED ones,
     * nearly the whole table, are left out, so the count reads only the partial index {@code inbound_message_unsettled}
     * (V19).
     */
    public List<Count> countsUnsettled() {
        return jdbc.query("""
                select provider, state, count(*) as n from inbound_message where state <> 'PROCESSED'
                group by provider, state""",
                (row, n) -> new Count(row.getString("provider"), row.getString("state"), row.getLong("n")));
    }

    /**
     * Each provider's newest FAILED or DEAD message. When: its processed_at for a FAILED one (the attempt that failed
     * it); a DEAD one is not stamped when it dies, so its time of receipt stands in.
     */
    public List<LastError> lastErrors() {
        return jdbc.query("""
                select distinct on (provider) provider, id, last_error, coalesce(processed_at, received_at) as at
                from inbound_message where state in ('FAILED', 'DEAD')
                order by provider, coalesce(processed_at, received_at) desc, id desc""",
                (row, n) -> new LastError(row.getString("provider"), row.getLong("id"), row.getString("last_error"),
                        instant(row, "at")));
    }

    /**
     * Webhooks and pulls received per provider and minute since {@code from} (a whole minute); minutes without any
     * are absent. One grouped range scan of {@code inbound_message_received} (V19).
     */
    public List<MinuteCount> perMinuteSince(Instant from) {
        return jdbc.query("""
                select provider, date_trunc('minute', received_at) as minute,
                       count(*) filter (where channel = 'WEBHOOK') as webhooks,
                       count(*) filter (where channel = 'POLL') as pulls
                from inbound_message where received_at >= ?
                group by provider, date_trunc('minute', received_at)""",
                (row, n) -> new MinuteCount(row.getString("provider"), instant(row, "minute"), row.getLong("webhooks"),
                        row.getLong("pulls")), Timestamp.from(from));
    }

    /** The store's clock, cut to the minute: received_at is written by it, so the minutes are counted on it. */
    public Instant currentMinute() {
        return jdbc.queryForObject("select date_trunc('minute', now())", Timestamp.class).toInstant();
    }
}
