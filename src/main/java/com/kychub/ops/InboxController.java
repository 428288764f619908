package com.kychub.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.kychub.inbound.Inbox;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Operations on the inbox: what is waiting, failed or dead, and replaying it after a fix. */
@RestController
@RequestMapping("/api/v1/ops/inbox")
public class InboxController {

    private static final Set<String> STATES = Set.of("ACCEPTED", "PROCESSED", "FAILED", "DEAD");

    private final JdbcTemplate jdbc;
    private final Inbox inbox;

    public InboxController(JdbcTemplate jdbc, Inbox inbox) {
        this.jdbc = jdbc;
        this.inbox = inbox;
    }

    /** A message without its body: bodies carry personal data and are read in SQL by those allowed to. */
    public record MessageSummary(long id, String provider, String channel, String state, int attempts,
                                 String lastError, String outcome, UUID caseId, Instant receivedAt,
                                 Instant processedAt) {
    }

    @GetMapping
    public List<MessageSummary> list(@RequestParam(required = false) String state,
                                     @RequestParam(required = false) String provider,
                                     @RequestParam(defaultValue = "100") int limit) {
        if (state != null && !STATES.contains(state)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'state' must be one of " + STATES);
        }
        if (limit < 1 || limit > 1000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'limit' must be 1 to 1000");
        }
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
        return jdbc.query(sql.toString(), (row, n) -> new MessageSummary(row.getLong("id"), row.getString("provider"),
                row.getString("channel"), row.getString("state"), row.getInt("attempts"), row.getString("last_error"),
                row.getString("outcome"), row.getObject("case_id", UUID.class),
                row.getTimestamp("received_at").toInstant(),
                row.getTimestamp("processed_at") == null ? null : row.getTimestamp("processed_at").toInstant()),
                arguments.toArray());
    }

    @PostMapping("/{id}/replay")
    public Map<String, Object> replay(@PathVariable long id) {
        if (!inbox.replay(id)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "message " + id + " is not FAILED or DEAD");
        }
        return Map.of("id", id, "state", "ACCEPTED");
    }

    @PostMapping("/replay")
    public Map<String, Object> replayAll(@RequestParam String provider) {
        return Map.of("provider", provider, "replayed", inbox.replayAll(provider));
    }
}
