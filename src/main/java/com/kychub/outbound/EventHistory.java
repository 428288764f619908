package com.kychub.outbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The outbound events already settled: retention ({@code privacy.Retention}) deletes them through here, so that the
 * outbound tables keep one owner.
 */
@Component
public class EventHistory {

    private final JdbcTemplate jdbc;

    public EventHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Deletes up to {@code limit} outbound events written before {@code before}, with their deliveries, in the
     * caller's transaction; an event still PENDING somewhere (a disabled endpoint's, one being retried) is kept until
     * it is delivered or dead. What they said stays in the audit trail ({@code kyc_event}), which is never deleted.
     *
     * @return how many events were deleted
     */
    public int deleteSettledBefore(Instant before, int limit) {
        List<Long> due = jdbc.queryForList("""
                select e.id from outbound_event e
                where e.created_at < ?
                  and not exists (select 1 from event_delivery d where d.event_id = e.id and d.state = 'PENDING')
                order by e.id
                limit ?
                for update skip locked""", Long.class, Timestamp.from(before), limit);
        if (due.isEmpty()) {
            return 0;
        }
        Long[] ids = due.toArray(Long[]::new);
        jdbc.update("delete from event_delivery where event_id = any (?)", (Object) ids);
        return jdbc.update("delete from outbound_event where id = any (?)", (Object) ids);
    }
}
