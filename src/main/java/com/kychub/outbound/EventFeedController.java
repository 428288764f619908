package com.kychub.outbound;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.http.ErrorAnswer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pull option: the outbound events as a feed a consumer polls with a cursor, in the order of the transactions
 * that wrote them. A row shows only once every transaction that could still commit one ordered before it has ended
 * ({@code tx < pg_snapshot_xmin(pg_current_snapshot())}): ids are taken before commit, so without that a cursor past
 * a quick transaction's event would skip a slower one's, committed later with a smaller id.
 */
@Tag(name = "Events", description = "The outbound events as a cursor feed")
@RestController
public class EventFeedController {

    public record Page(List<JsonNode> events, String next) {
    }

    /** Where a feed read by (tx, id) is; the cursor a consumer holds is its opaque form. */
    record Cursor(long tx, long id) {

        static final Cursor START = new Cursor(0, 0);

        String encoded() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((tx + ":" + id).getBytes(StandardCharsets.US_ASCII));
        }

        static Cursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII)
                        .split(":", -1);
                if (parts.length != 2) {
                    throw new IllegalArgumentException();
                }
                Cursor decoded = new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                if (decoded.tx < 0 || decoded.id < 0) {
                    throw new IllegalArgumentException();
                }
                return decoded;
            } catch (RuntimeException e) {
                throw ErrorAnswer.badRequest("'after' is not a cursor this feed answered");
            }
        }
    }

    static final int MAX_LIMIT = 1000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public EventFeedController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * The events after the cursor (from the first without one), oldest first, of that type and provider if given (an
     * event about a customer as a whole, of no one provider, passes any provider filter, as with endpoints).
     * {@code next} is always there: the cursor to poll with, the same one when nothing new has come.
     */
    @Operation(summary = "The outbound event feed after a cursor")
    @GetMapping("/api/v1/events")
    public Page feed(@RequestParam(required = false) String after,
                     @RequestParam(defaultValue = "100") int limit,
                     @RequestParam(required = false) String type,
                     @RequestParam(required = false) String provider) {
        Cursor from = after == null ? Cursor.START : Cursor.decode(after);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ErrorAnswer.badRequest("'limit' must be 1 to " + MAX_LIMIT);
        }
        if (type != null && !EventTypes.ALL.contains(type)) {
            throw ErrorAnswer.badRequest("'type' must be one of " + EventTypes.ALL);
        }
        if (provider != null && !EventTypes.PROVIDERS.contains(provider)) {
            throw ErrorAnswer.badRequest("'provider' must be one of " + EventTypes.PROVIDERS);
        }
        List<JsonNode> events = new ArrayList<>();
        Cursor[] last = {from};
        jdbc.query("""
                select tx::text::bigint as tx, id, payload::text as payload from outbound_event
                where (tx, id) > (?::text::xid8, ?)
                  and tx < pg_snapshot_xmin(pg_current_snapshot())
                  and (?::text is null or type = ?)
                  and (?::text is null or provider is null or provider = ?)
                order by tx, id
                limit ?""", row -> {
                    events.add(read(row.getString("payload")));
                    last[0] = new Cursor(row.getLong("tx"), row.getLong("id"));
                }, Long.toString(from.tx()), from.id(), type, type, provider, provider, limit);
        return new Page(events, last[0].encoded());
    }

    private JsonNode read(String payload) {
        try {
            return json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbound_event.payload is not JSON", e);
        }
    }
}
