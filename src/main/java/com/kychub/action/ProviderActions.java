package com.kychub.action;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.ProviderAction;
import com.kychub.inbound.DurableQueue;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The provider_action outbox: PENDING until carried out (DONE), refused by the provider (FAILED) or DEAD. */
@Component
public class ProviderActions extends DurableQueue implements ProviderAction.Planner {

    /**
     * An action as operators list it: what it is and how it went, without its payload (ids today, but the place where a
     * provider's call could carry more).
     */
    @Schema(name = "ProviderActionSummary")
    public record Summary(long id, String provider, UUID caseId, String customerId, String kind, String name,
                          String state, int attempts, String lastError, Instant createdAt, Instant doneAt) {
    }

    private static final String SUMMARY = """
            select id, provider, case_id, customer_id, kind, action, state, attempts, last_error, created_at, done_at
            from provider_action""";

    private final ObjectMapper json;

    public ProviderActions(JdbcTemplate jdbc, ObjectMapper json) {
        super(jdbc, "provider_action", "PENDING");
        this.json = json;
    }

    /**
     * Plans a call to the provider for a case, in the caller's transaction. An action is named for what it does once,
     * with the datum it sends (START_KYC, UPLOAD_DOCUMENT:W9:&lt;document id&gt;): one of that name is planned once,
     * whatever became of it, so a status seen twice never calls the provider twice, and a call the provider refused
     * (FAILED) or that ran out of attempts (DEAD) is not made again by itself: an operator replays it
     * ({@link #replay}), or new data makes a new name.
     */
    @Override
    public void plan(String provider, UUID caseId, String customerId, ProviderAction action) {
        jdbc.update("""
                insert into provider_action (provider, case_id, customer_id, kind, action, payload)
                select ?, ?, ?, ?, ?, ?::jsonb
                where not exists (select 1 from provider_action where provider = ? and customer_id = ?
                                  and action = ?)
                on conflict (provider, customer_id, action) where state = 'PENDING' do nothing""",
                provider, caseId, customerId, action.kind().name(), action.name(), write(action.payload()),
                provider, customerId, action.name());
    }

    /**
     * Gives a customer the provider's actions planned for another, in the caller's transaction: a provider's customer
     * was linked to the wrong one first. Done actions then count as the right customer's (none is made twice), pending
     * ones run for them; a pending one the right customer already has of the same name stays where it was.
     */
    public int moveToCustomer(String provider, String fromCustomerId, String toCustomerId) {
        return jdbc.update("""
                update provider_action a set customer_id = ?
                where provider = ? and customer_id = ?
                  and not (state = 'PENDING' and exists (select 1 from provider_action b
                           where b.provider = a.provider and b.customer_id = ? and b.action = a.action
                             and b.state = 'PENDING'))""",
                toCustomerId, provider, fromCustomerId, toCustomerId);
    }

    /** Locks the provider's oldest due action for the caller's transaction; other workers skip it. */
    public PendingAction claimNext(String provider) {
        List<PendingAction> due = claim("""
                select id, provider, case_id, customer_id, kind, action, payload, attempts from provider_action
                where state = 'PENDING' and next_attempt_at <= now() and provider = ?
                order by next_attempt_at, id
                limit 1
                for update skip locked""",
                (row, n) -> new PendingAction(row.getLong("id"), row.getString("provider"),
                        row.getObject("case_id", UUID.class), row.getString("customer_id"), row.getString("kind"),
                        row.getString("action"), row.getString("payload"), row.getInt("attempts")), provider);
        return due.isEmpty() ? null : due.get(0);
    }

    public void markDone(long id) {
        jdbc.update("update provider_action set state = 'DONE', attempts = attempts + 1, last_error = null, "
                + "done_at = now() where id = ?", id);
    }

    public void markFailed(long id, String error) {
        jdbc.update("update provider_action set state = 'FAILED', attempts = attempts + 1, last_error = ?, "
                + "done_at = now() where id = ?", error, id);
    }

    /** How many of the named actions of the customer's are DONE. */
    public int countDone(String provider, String customerId, List<String> actions) {
        Integer done = jdbc.queryForObject("""
                select count(distinct action) from provider_action
                where provider = ? and customer_id = ? and state = 'DONE' and action = any (?)""", Integer.class,
                provider, customerId, actions.toArray(String[]::new));
        return done == null ? 0 : done;
    }

    /** Whether the provider refused the customer's named action (FAILED): the caller may ask for something else. */
    public boolean isFailed(String provider, String customerId, String action) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                select exists (select 1 from provider_action
                               where provider = ? and customer_id = ? and action = ? and state = 'FAILED')""",
                Boolean.class, provider, customerId, action));
    }

    /** Makes a FAILED or DEAD action pending again, unless another one of its kind is pending. */
    public boolean replay(long id) {
        return jdbc.update("""
                update provider_action a set state = 'PENDING', next_attempt_at = now()
                where id = ? and state in ('FAILED', 'DEAD')
                  and not exists (select 1 from provider_action p where p.provider = a.provider
                                  and p.customer_id = a.customer_id and p.action = a.action and p.state = 'PENDING')""",
                id) == 1;
    }

    /**
     * The FAILED and DEAD actions of the provider that {@link #replayAll} makes pending: of several of one name (the
     * same call refused twice), only the newest, and none whose name is pending already (one pending per name, as
     * {@link #plan} keeps).
     */
    private static final String REPLAYABLE = """
            a.id in (select distinct on (customer_id, action) id from provider_action
                     where provider = ? and state in ('FAILED', 'DEAD')
                     order by customer_id, action, id desc)
            and not exists (select 1 from provider_action p where p.provider = a.provider
                            and p.customer_id = a.customer_id and p.action = a.action and p.state = 'PENDING')""";

    /** Makes every replayable action of the provider (see {@link #REPLAYABLE}) pending again; answers how many. */
    public int replayAll(String provider) {
        return jdbc.update("update provider_action a set state = 'PENDING', next_attempt_at = now() where "
                + REPLAYABLE, provider);
    }

    /** How many actions {@link #replayAll} would make pending now, changing nothing. */
    public int countReplayable(String provider) {
        Integer count = jdbc.queryForObject("select count(*) from provider_action a where " + REPLAYABLE,
                Integer.class, provider);
        return count == null ? 0 : count;
    }

    // --- What operators list.

    /**
     * The newest actions first, optionally of one state and one provider, older than the action {@code beforeId} if
     * given (the cursor of the page before), at most {@code limit}.
     */
    public List<Summary> list(String state, String provider, Long beforeId, int limit) {
        return jdbc.query(SUMMARY + """

                where (?::text is null or state = ?) and (?::text is null or provider = ?)
                  and (?::bigint is null or id < ?)
                order by id desc
                limit ?""", (row, n) -> readSummary(row), state, state, provider, provider, beforeId, beforeId,
                limit);
    }

    public Optional<Summary> find(long id) {
        return jdbc.query(SUMMARY + " where id = ?", (row, n) -> readSummary(row), id).stream().findFirst();
    }

    private static Summary readSummary(ResultSet row) throws SQLException {
        Timestamp done = row.getTimestamp("done_at");
        return new Summary(row.getLong("id"), row.getString("provider"), row.getObject("case_id", UUID.class),
                row.getString("customer_id"), row.getString("kind"), row.getString("action"), row.getString("state"),
                row.getInt("attempts"), row.getString("last_error"), row.getTimestamp("created_at").toInstant(),
                done == null ? null : done.toInstant());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an action's payload cannot be serialised", e);
        }
    }

    // --- What the console reads of one action and of each provider's actions (ops.ProviderActionController,
    // ops.ProvidersController).

    /** An action with its payload as stored (JSON text), for an operator who opens it. */
    public record Opened(Summary summary, String payload) {
    }

    /** How many actions of a provider are in a state. */
    public record Count(String provider, String state, long actions) {
    }

    /** A provider's newest FAILED or DEAD action with its last error. */
    public record LastError(String provider, long id, String text, Instant at) {
    }

    public Optional<Opened> open(long id) {
        return jdbc.query("""
                select id, provider, case_id, customer_id, kind, action, state, attempts, last_error, created_at,
                       done_at, payload::text as payload
                from provider_action where id = ?""",
                (row, n) -> new Opened(readSummary(row), row.getString("payload")), id).stream().findFirst();
    }

    /**
     * The actions not DONE, by provider and state (DONE ones only grow, and say nothing an operator acts on); read
     * from the partial index {@code provider_action_unsettled} (V19).
     */
    public List<Count> countsNotDone() {
        return jdbc.query("""
                select provider, state, count(*) as n from provider_action where state <> 'DONE'
                group by provider, state""",
                (row, n) -> new Count(row.getString("provider"), row.getString("state"), row.getLong("n")));
    }

    /**
     * Each provider's newest FAILED or DEAD action. When: its done_at for a FAILED one (the refused call); a DEAD one
     * is not stamped when it dies, so its creation stands in.
     */
    public List<LastError> lastErrors() {
        return jdbc.query("""
                select distinct on (provider) provider, id, last_error, coalesce(done_at, created_at) as at
                from provider_action where state in ('FAILED', 'DEAD')
                order by provider, coalesce(done_at, created_at) desc, id desc""",
                (row, n) -> new LastError(row.getString("provider"), row.getLong("id"), row.getString("last_error"),
                        row.getTimestamp("at").toInstant()));
    }
}
