package com.kychub.outbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code event_delivery} table: one row per outbound event and endpoint, written by the outbox trigger (V16),
 * claimed and settled by {@link EventDispatcher}, listed and replayed by operators ({@link DeliveryController}).
 */
@Component
public class EventDeliveries {

    /** A claimed delivery: the event and the endpoint it goes to. */
    public record Claimed(Endpoint endpoint, OutgoingEvent event, int attempts) {
    }

    /** A delivery as operators list it: how it went, without the payload. */
    @Schema(name = "DeliverySummary")
    public record Summary(long id, String eventId, String type, UUID caseId, long sequence, String state, int attempts,
                          Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatus, Integer lastLatencyMs,
                          String lastError, Instant deliveredAt) {
    }

    /**
     * Each enabled endpoint of a kind this instance can send, with its due deliveries up to its free slots: due
     * ({@code next_attempt_at} passed), not held by another instance (SKIP LOCKED; a claimed row is leased by moving
     * its {@code next_attempt_at}), and the first pending one of its order key for that endpoint, so that a case's
     * event never leaves before the case's earlier events are DELIVERED or DEAD. Endpoints come in random order, so
     * that when the claim is cut short each gets its turn.
     */
    private static final String CLAIM = """
            select d.id, d.attempts, o.event_id, o.type, o.provider, o.payload::text as payload,
                   ep.id as endpoint_id, ep.kind, ep.url, ep.secret, ep.previous_secret, ep.previous_secret_until
            from (select * from event_endpoint where enabled and kind = any (?) order by random()) ep
            left join unnest(?::uuid[], ?::int[]) as busy (endpoint_id, taken) on busy.endpoint_id = ep.id
            cross join lateral (
                select d.* from event_delivery d
                where d.endpoint_id = ep.id and d.state = 'PENDING' and d.next_attempt_at <= now()
                  and not exists (select 1 from event_delivery e
                                  where e.endpoint_id = d.endpoint_id and e.order_key = d.order_key
                                    and e.state = 'PENDING' and e.event_id < d.event_id)
                order by d.next_attempt_at, d.id
                limit greatest(0, ? - coalesce(busy.taken, 0))
                for update of d skip locked) d
            join outbound_event o on o.id = d.event_id
            limit ?""";

    private static final String SUMMARY = """
            select d.id, o.event_id, o.type, o.case_id, o.sequence, d.state, d.attempts, d.next_attempt_at,
                   d.last_attempt_at, d.last_status, d.last_latency_ms, d.last_error, d.delivered_at
            from event_delivery d join outbound_event o on o.id = d.event_id
            """;

    private final JdbcTemplate jdbc;

    public EventDeliveries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims due deliveries, in the caller's transaction, and leases them until {@code now + lease}: past that (the
     * instance died while sending), they are due again.
     *
     * @param kinds        the endpoint kinds this instance has a sender for
     * @param busy         deliveries in flight on this instance, per endpoint
     * @param endpointSlots at most that many in flight per endpoint
     * @param limit        at most that many in all
     */
    public List<Claimed> claim(Collection<String> kinds, Map<UUID, Integer> busy, int endpointSlots, int limit,
                               Duration lease) {
        List<Claimed> claimed = jdbc.query(CLAIM, (row, n) -> readClaimed(row), kinds.toArray(String[]::new),
                busy.keySet().toArray(UUID[]::new), busy.values().toArray(Integer[]::new), endpointSlots, limit);
        if (!claimed.isEmpty()) {
            jdbc.update("update event_delivery set next_attempt_at = now() + ? * interval '1 millisecond' "
                    + "where id = any (?)", lease.toMillis(),
                    claimed.stream().map(c -> c.event().deliveryId()).toArray(Long[]::new));
        }
        return claimed;
    }

    /**
     * The receivers took them (one row per delivery, in the lists' order); the endpoints' runs of failures, if any,
     * are over. One statement for them all.
     */
    public void markDelivered(List<Claimed> delivered, List<Instant> attemptedAt, List<SendResult> results) {
        jdbc.update("""
                update event_delivery d
                set state = 'DELIVERED', delivered_at = now(), attempts = d.attempts + 1,
                    last_attempt_at = to_timestamp(r.attempted_at / 1000.0), last_status = r.status,
                    last_latency_ms = r.latency_ms, last_error = null
                from unnest(?::bigint[], ?::bigint[], ?::int[], ?::int[]) as r (id, attempted_at, status, latency_ms)
                where d.id = r.id and d.state = 'PENDING'""",
                delivered.stream().map(delivery -> delivery.event().deliveryId()).toArray(Long[]::new),
                attemptedAt.stream().map(Instant::toEpochMilli).toArray(Long[]::new),
                results.stream().map(SendResult::status).toArray(Integer[]::new),
                results.stream().map(result -> (int) result.latencyMillis()).toArray(Integer[]::new));
        // A case's next events waiting behind these (kept from the claim's due range while they failed, below) are due
        // now; the claim's order check still sends them one at a time.
        jdbc.update("""
                update event_delivery f set next_attempt_at = now()
                from event_delivery h
                where h.id = any (?) and f.endpoint_id = h.endpoint_id and f.order_key = h.order_key
                  and f.event_id > h.event_id and f.state = 'PENDING' and f.next_attempt_at > now()""",
                (Object) delivered.stream().map(delivery -> delivery.event().deliveryId()).toArray(Long[]::new));
        // Written only when it changes: every delivery to the endpoint would otherwise queue on its row's lock.
        jdbc.update("update event_endpoint set failing_since = null where id = any (?) and failing_since is not null",
                (Object) delivered.stream().map(delivery -> delivery.endpoint().id()).distinct().toArray(UUID[]::new));
    }

    /**
     * A failed attempt: due again after {@code retryAfter}, or DEAD when that is null (no attempt left); the endpoint
     * is failing since now unless it was already. Answers whether this made it DEAD.
     */
    public boolean markFailed(Claimed delivery, Instant attemptedAt, SendResult result, Duration retryAfter) {
        List<String> state = jdbc.queryForList("""
                update event_delivery
                set state = ?, attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_latency_ms = ?,
                    last_error = ?, next_attempt_at = now() + ? * interval '1 millisecond'
                where id = ? and state = 'PENDING'
                returning state""", String.class, retryAfter == null ? "DEAD" : "PENDING",
                Timestamp.from(attemptedAt), result.status(), (int) result.latencyMillis(), result.error(),
                retryAfter == null ? 0 : retryAfter.toMillis(), delivery.event().deliveryId());
        if (retryAfter != null) {
            // The case's later events wait as long as this one: due earlier, each claim would walk past them (the order
            // check refuses them) and a receiver's long outage would leave a backlog every claim reads through.
            jdbc.update("""
                    update event_delivery f set next_attempt_at = h.next_attempt_at
                    from event_delivery h
                    where h.id = ? and f.endpoint_id = h.endpoint_id and f.order_key = h.order_key
                      and f.event_id > h.event_id and f.state = 'PENDING' and f.next_attempt_at < h.next_attempt_at""",
                    delivery.event().deliveryId());
        }
        jdbc.update("update event_endpoint set failing_since = now() where id = ? and failing_since is null",
                delivery.endpoint().id());
        return state.contains("DEAD");
    }

    /**
     * The receiver answered {@code 410 Gone}: the attempt is recorded, the delivery stays PENDING and due (it goes
     * out once an operator enables the endpoint again). Answers whether this disabled the endpoint.
     */
    public boolean markGone(Claimed delivery, Instant attemptedAt, SendResult result) {
        jdbc.update("""
                update event_delivery
                set attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_latency_ms = ?,
                    last_error = ?, next_attempt_at = now()
                where id = ? and state = 'PENDING'""", Timestamp.from(attemptedAt), result.status(),
                (int) result.latencyMillis(), result.error(), delivery.event().deliveryId());
        return disable(delivery.endpoint().id(), "GONE", null);
    }

    /** Disables the endpoint when it has been failing for {@code failingFor} or longer; true when this disabled it. */
    public boolean disableIfFailingFor(UUID endpointId, Duration failingFor) {
        return disable(endpointId, "FAILING", failingFor);
    }

    private boolean disable(UUID endpointId, String reason, Duration failingFor) {
        return jdbc.update("""
                update event_endpoint
                set enabled = false, disabled_reason = ?, disabled_at = now(), updated_at = now()
                where id = ? and enabled
                  and (?::bigint is null or failing_since <= now() - ? * interval '1 millisecond')""",
                reason, endpointId, failingFor == null ? null : failingFor.toMillis(),
                failingFor == null ? null : failingFor.toMillis()) == 1;
    }

    public boolean endpointExists(UUID endpointId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from event_endpoint where id = ?)", Boolean.class, endpointId));
    }

    /** The endpoint's deliveries, newest first, of that state if given, older than {@code before} if given. */
    public List<Summary> list(UUID endpointId, String state, Long before, int limit) {
        return jdbc.query(SUMMARY + """
                where d.endpoint_id = ? and (?::text is null or d.state = ?) and (?::bigint is null or d.id < ?)
                order by d.id desc
                limit ?""", (row, n) -> readSummary(row), endpointId, state, state, before, before, limit);
    }

    public Optional<Summary> find(long id) {
        return jdbc.query(SUMMARY + "where d.id = ?", (row, n) -> readSummary(row), id).stream().findFirst();
    }

    /** A DELIVERED or DEAD delivery pending again, due now, with its attempts reset; false when not one of those. */
    public boolean replay(long id) {
        return jdbc.update("""
                update event_delivery set state = 'PENDING', attempts = 0, next_attempt_at = now(), delivered_at = null
                where id = ? and state in ('DELIVERED', 'DEAD')""", id) == 1;
    }

    /** Every DEAD delivery of the endpoint whose event was created at or after {@code since}, as {@link #replay}. */
    public int replayDead(UUID endpointId, Instant since) {
        return jdbc.update("""
                update event_delivery d set state = 'PENDING', attempts = 0, next_attempt_at = now()
                from outbound_event o
                where o.id = d.event_id and d.endpoint_id = ? and d.state = 'DEAD' and o.created_at >= ?""",
                endpointId, Timestamp.from(since));
    }

    /** When the oldest event still pending for an enabled endpoint was created; empty when none is. */
    public Optional<Instant> oldestPending() {
        return jdbc.query("""
                select d.created_at from event_delivery d join event_endpoint ep on ep.id = d.endpoint_id
                where d.state = 'PENDING' and ep.enabled
                order by d.created_at
                limit 1""", (row, n) -> row.getTimestamp(1).toInstant()).stream().findFirst();
    }

    private static Claimed readClaimed(ResultSet row) throws SQLException {
        Timestamp previousUntil = row.getTimestamp("previous_secret_until");
        Endpoint endpoint = new Endpoint(row.getObject("endpoint_id", UUID.class), row.getString("kind"),
                row.getString("url"), row.getString("secret"), row.getString("previous_secret"),
                previousUntil == null ? null : previousUntil.toInstant());
        OutgoingEvent event = new OutgoingEvent(row.getLong("id"), row.getString("event_id"), row.getString("type"),
                row.getString("provider"), row.getString("payload"));
        return new Claimed(endpoint, event, row.getInt("attempts"));
    }

    private static Summary readSummary(ResultSet row) throws SQLException {
        return new Summary(row.getLong("id"), row.getString("event_id"), row.getString("type"),
                row.getObject("case_id", UUID.class), row.getLong("sequence"), row.getString("state"),
                row.getInt("attempts"), instant(row, "next_attempt_at"), instant(row, "last_attempt_at"),
                (Integer) row.getObject("last_status"), (Integer) row.getObject("last_latency_ms"),
                row.getString("last_error"), instant(row, "delivered_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp time = row.getTimestamp(column);
        return time == null ? null : time.toInstant();
    }
}
