package com.kychub.inbound;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * A durable queue of the hub's, the owner of its table: the inbox ({@link Inbox}) and the provider actions
 * ({@code ProviderActions}). Both tables have {@code state}, {@code attempts}, {@code last_error} and
 * {@code next_attempt_at}, are claimed {@code FOR UPDATE SKIP LOCKED} by a worker, and differ only in the name of the
 * waiting state; what a failed attempt does to an entry is written here once ({@link RetryPolicy} decides which).
 */
public abstract class DurableQueue {

    protected final JdbcTemplate jdbc;
    private final String failedAttempt;
    private final String postpone;

    /**
     * @param table   the owner's table ({@code inbound_message}, {@code provider_action}): a constant, never input
     * @param waiting the name of its waiting state ({@code ACCEPTED}, {@code PENDING})
     */
    protected DurableQueue(JdbcTemplate jdbc, String table, String waiting) {
        this.jdbc = jdbc;
        this.failedAttempt = """
                update %s
                set attempts = attempts + 1, last_error = ?,
                    state = case when attempts + 1 >= ? then 'DEAD' else '%s' end,
                    next_attempt_at = ?
                where id = ?
                returning state""".formatted(table, waiting);
        this.postpone = "update %s set last_error = ?, next_attempt_at = ? where id = ?".formatted(table);
    }

    /**
     * Runs a claim, the oldest due entry ({@code ORDER BY} its due index's columns, {@code LIMIT}, {@code FOR UPDATE
     * SKIP LOCKED}), in the caller's transaction, with sorting off for this statement alone, so that PostgreSQL reads
     * the due index in order and stops at the first entry it can lock. Statistics taken while the queue was settled
     * (nothing waiting: the usual state) make the planner expect one due entry; it would then rather sort the
     * provider's whole backlog, bodies included, at every claim, until the next ANALYZE, which on a table of 90 days
     * waits for a tenth of it to change (V21 now analyses the queues every 1,000 rows changed, at most once a minute;
     * {@code bench/claim.sh} measures both forms). The claim's result is the same either way; only its cost is not.
     * Only for a statement that has a way without a sort (here the due index): one that must sort anyway is costed
     * above {@code jit_above_cost} with sorting off, and PostgreSQL compiles it with JIT, hundreds of milliseconds.
     */
    protected <T> List<T> claim(String claim, RowMapper<T> row, Object... arguments) {
        jdbc.execute("set local enable_sort = off");
        List<T> claimed = jdbc.query(claim, row, arguments);
        jdbc.execute("set local enable_sort to default");
        return claimed;
    }

    /** A transient failure: due again after the back-off, or DEAD once attempts reach the limit; true when DEAD. */
    public boolean recordFailedAttempt(long id, String error, int maxAttempts, Duration backoff) {
        List<String> state = jdbc.queryForList(failedAttempt, String.class,
                error, maxAttempts, Timestamp.from(Instant.now().plus(backoff)), id);
        return state.contains("DEAD");
    }

    /** Due again after the delay, without spending an attempt (the provider's circuit is open). */
    public void postpone(long id, String reason, Duration delay) {
        jdbc.update(postpone, reason, Timestamp.from(Instant.now().plus(delay)), id);
    }
}
