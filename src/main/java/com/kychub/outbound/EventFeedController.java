package com.kychub.outbound;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.http.Cursor;
import com.kychub.http.ListParameters;
import com.kychub.http.Page;
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

    /** Where a feed read by (tx, id) is; the cursor a consumer holds is its opaque form ({@link Cursor}). */
    record FeedKey(long tx, long id) {

        static final FeedKey START = new FeedKey(0, 0);

        String cursor() {
            return Cursor.of(tx, id);
        }

        static FeedKey of(String cursor) {
            return Cursor.read(cursor, 2, key -> {
                FeedKey read = new FeedKey(Long.parseLong(key[0]), Long.parseLong(key[1]));
                return read.tx < 0 || read.id < 0 ? null : read;
            });
        }
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public EventFeedController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * The events after the cursor (from the first without one), oldest first, of that type and provider if given (an
     * event about a customer as a whole, of no one provider, passes any provider filter, as with endpoints).
     * {@code next} is always there, unlike other lists' pages: the link to poll, the same one when nothing new has
     * come.
     */
    @Operation(summary = "The outbound event feed after a cursor")
    @GetMapping("/api/v1/events")
    public Page<JsonNode> feed(@RequestParam(required = false) String after,
                               @RequestParam(defaultValue = "100") int limit,
                               @RequestParam(required = false) String type,
                               @RequestParam(required = false) String provider) {
        FeedKey from = after == null ? FeedKey.START : FeedKey.of(after);
        ListParameters.limit(limit);
        ListParameters.oneOf("type", type, EventTypes.ALL);
        ListParameters.oneOf("provider", provider, EventTypes.PROVIDERS);
        List<JsonNode> events = new ArrayList<>();
        FeedKey[] last = {from};
        jdbc.query("""
                select tx::text::bigint as tx, id, payload::text as payload from outbound_event
                where (tx, id) > (?::text::xid8, ?)
                  and tx < pg_snapshot_xmin(pg_current_snapshot())
                  and (?::text is null or type = ?)
                  and (?::text is null or provider is null or provider = ?)
                order by tx, id
                limit ?""", row -> {
                    events.add(read(row.getString("payload")));
                    last[0] = new FeedKey(row.getLong("tx"), row.getLong("id"));
                }, Long.toString(from.tx()), from.id(), type, type, provider, provider, limit);
        return new Page<>(events, Page.linkAfter(last[0].cursor()));
    }

    private JsonNode read(String payload) {
        try {
            return json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbound_event.payload is not JSON", e);
        }
    }
}
