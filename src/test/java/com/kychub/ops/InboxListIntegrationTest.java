package com.kychub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/ops/inbox} paged newest first by its {@code next} link, filtered by state and provider, and
 * {@code POST /api/v1/ops/inbox/replay}: a dry run counts the provider's FAILED and DEAD messages and changes nothing,
 * the replay makes them due again. Messages are written straight into the inbox as settled (the workers claim only
 * ACCEPTED ones, so these stay as written until replayed).
 */
class InboxListIntegrationTest extends HubIntegrationTest {

    @Test
    void theInboxIsPagedNewestFirstAndFilteredByStateAndProvider() {
        for (int i = 0; i < 7; i++) {
            settled("argos", i % 2 == 0 ? "FAILED" : "PROCESSED", "m-" + i);
        }
        settled("ondato", "FAILED", "o-1");
        List<Long> newestFirst = jdbc.queryForList("select id from inbound_message order by id desc", Long.class);

        assertThat(walk("/api/v1/ops/inbox?limit=3")).containsExactlyElementsOf(newestFirst);
        JsonNode first = operatorJson("/api/v1/ops/inbox?state=FAILED&provider=argos&limit=3");
        assertThat(first.get("items").findValuesAsText("state")).containsOnly("FAILED");
        assertThat(first.get("next").asText())
                .startsWith("/api/v1/ops/inbox?state=FAILED&provider=argos&limit=3&after=");
        assertThat(walk("/api/v1/ops/inbox?state=FAILED&provider=argos&limit=3")).hasSize(4);
        assertThat(walk("/api/v1/ops/inbox?provider=ondato")).hasSize(1);

        for (String query : List.of("limit=0", "limit=1001", "after=@@@", "state=LOST", "provider=Argos")) {
            HttpResponse<String> answer = operatorApi("/api/v1/ops/inbox?" + query);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(answer.body()).contains("'" + query.substring(0, query.indexOf('=')) + "'");
        }
    }

    @Test
    void aDryRunCountsWhatReplayingAllWouldReplayAndChangesNothing() {
        settled("argos", "FAILED", "a-1");
        settled("argos", "DEAD", "a-2");
        settled("argos", "PROCESSED", "a-3");
        settled("ondato", "FAILED", "o-1");

        HttpResponse<String> dryRun = operatorSend("POST", "/api/v1/ops/inbox/replay?provider=argos&dryRun=true", "");
        assertThat(dryRun.statusCode()).isEqualTo(200);
        JsonNode counted = readJson(dryRun.body());
        assertThat(counted.get("provider").asText()).isEqualTo("argos");
        assertThat(counted.get("dryRun").asBoolean()).isTrue();
        assertThat(counted.get("count").asInt()).isEqualTo(2);
        assertThat(states()).containsExactly("FAILED", "DEAD", "PROCESSED", "FAILED");

        JsonNode replayed = readJson(operatorSend("POST", "/api/v1/ops/inbox/replay?provider=argos", "").body());
        assertThat(replayed.get("dryRun").asBoolean()).isFalse();
        assertThat(replayed.get("count").asInt()).isEqualTo(2);
        // The other provider's and the processed message are left as they were.
        assertThat(states().subList(2, 4)).containsExactly("PROCESSED", "FAILED");

        assertThat(operatorSend("POST", "/api/v1/ops/inbox/replay?provider=argos&dryRun=maybe", "").statusCode())
                .isEqualTo(400);
        assertThat(operatorSend("POST", "/api/v1/ops/inbox/replay?provider=NOT%20ONE", "").statusCode())
                .isEqualTo(400);
    }

    private List<Long> walk(String link) {
        List<Long> ids = new ArrayList<>();
        while (link != null) {
            JsonNode page = operatorJson(link);
            page.get("items").forEach(message -> ids.add(message.get("id").asLong()));
            link = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return ids;
    }

    private List<String> states() {
        return jdbc.queryForList("select state from inbound_message order by id", String.class);
    }

    /** A webhook already settled in that state; its body is not one the provider's mapping could read. */
    private void settled(String provider, String state, String dedupKey) {
        jdbc.update("""
                insert into inbound_message (provider, channel, dedup_key, body, state, attempts, last_error)
                values (?, 'WEBHOOK', ?, '{}', ?, 1, case when ? = 'PROCESSED' then null else 'test' end)""",
                provider, dedupKey, state, state);
    }
}
