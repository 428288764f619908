package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/events}: the outbound events of real Striga webhooks, paged with the cursor in the writers'
 * transaction order, filtered by type and provider, and never skipping an event that a transaction begun earlier
 * commits after the cursor passed a later one.
 */
class EventFeedIntegrationTest extends HubIntegrationTest {

    @Test
    void pagingThroughTheFeedGivesEveryEventOnceInOrderAndTheLastCursorWaitsForNewOnes() {
        for (String user : List.of("feed-a", "feed-b", "feed-c")) {
            postStriga(body(user, "INITIATED"));
            awaitCase("striga", user, "IN_PROGRESS", null);
            postStriga(body(user, "APPROVED"));
            awaitCase("striga", user, "APPROVED", null);
        }
        awaitInboxDrained();
        List<String> stored = jdbc.queryForList("select event_id from outbound_event order by tx, id", String.class);
        assertThat(stored).hasSize(6);

        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> page(null, "limit=6").get("items").size() == 6);
        // Each next link repeats the filters and the limit; at the end of the feed, it is the link just read.
        String link = "/api/v1/events?limit=4";
        for (int round = 0; round < 10; round++) {
            JsonNode page = apiJson(link);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(4);
            page.get("items").forEach(event -> seen.add(event.get("id").asText()));
            assertThat(page.get("next").asText()).startsWith("/api/v1/events?limit=4&after=");
            if (page.get("items").isEmpty()) {
                assertThat(page.get("next").asText()).isEqualTo(link);
                break;
            }
            link = page.get("next").asText();
        }
        assertThat(seen).containsExactlyElementsOf(stored);

        // The event is the payload the webhooks carry.
        JsonNode first = page(null, "limit=1").get("items").get(0);
        assertThat(first.get("type").asText()).isEqualTo("kyc.case.opened");
        assertThat(first.at("/data/provider").asText()).isEqualTo("striga");
        assertThat(first.at("/data/sequence").asInt()).isEqualTo(1);

        // Polled again with the last cursor, the feed gives the next event once it is there.
        postStriga(body("feed-d", "INITIATED"));
        String last = link;
        await().atMost(Duration.ofSeconds(20)).until(() -> apiJson(last).get("items").size() == 1);
        assertThat(apiJson(last).at("/items/0/data/providerRef").asText()).isEqualTo("feed-d");
    }

    @Test
    void typeAndProviderFilters() {
        postStriga(body("filter-a", "INITIATED"));
        awaitCase("striga", "filter-a", "IN_PROGRESS", null);
        postStriga(body("filter-a", "REJECTED"));
        awaitCase("striga", "filter-a", "REJECTED", null);
        awaitInboxDrained();
        await().atMost(Duration.ofSeconds(10)).until(() -> page(null, "").get("items").size() == 2);

        JsonNode opened = page(null, "type=kyc.case.opened").get("items");
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).get("type").asText()).isEqualTo("kyc.case.opened");
        JsonNode changed = page(null, "type=kyc.case.status_changed&provider=striga").get("items");
        assertThat(changed).hasSize(1);
        assertThat(changed.get(0).at("/data/status").asText()).isEqualTo("REJECTED");
        assertThat(changed.get(0).at("/data/previousStatus").asText()).isEqualTo("IN_PROGRESS");
        assertThat(page(null, "provider=argos").get("items")).isEmpty();
    }

    /**
     * A transaction that took its id before a later one committed, and commits after a consumer read past that later
     * one: the feed holds the later one back until the earlier ends, then gives both, the earlier first.
     */
    @Test
    void aCursorDoesNotSkipAnEventALongerTransactionCommitsLater() throws Exception {
        postStriga(body("slow-case", "INITIATED"));
        awaitCase("striga", "slow-case", "IN_PROGRESS", null);
        awaitInboxDrained();
        await().atMost(Duration.ofSeconds(10)).until(() -> page(null, "").get("items").size() == 1);
        String cursor = after(page(null, "").get("next").asText());

        try (Connection slow = jdbc.getDataSource().getConnection()) {
            slow.setAutoCommit(false);
            // The slow transaction takes its id now, before the quick one.
            slow.createStatement().execute("select pg_current_xact_id()");

            postStriga(body("quick-case", "INITIATED"));
            awaitCase("striga", "quick-case", "IN_PROGRESS", null);
            awaitInboxDrained();
            assertThat(jdbc.queryForObject("select count(*) from outbound_event", Integer.class)).isEqualTo(2);
            JsonNode held = page(cursor, "");
            assertThat(held.get("items")).as("the quick event waits for the slow transaction").isEmpty();
            assertThat(after(held.get("next").asText())).isEqualTo(cursor);

            try (PreparedStatement audit = slow.prepareStatement("""
                    insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action)
                    select id, 'CASE_UPDATED', status, status, next_action, next_action from kyc_case
                    where provider_ref = ?""")) {
                audit.setString(1, "slow-case");
                assertThat(audit.executeUpdate()).isEqualTo(1);
            }
            slow.commit();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> page(cursor, "").get("items").size() == 2);
        JsonNode events = page(cursor, "").get("items");
        assertThat(events.get(0).at("/data/providerRef").asText()).isEqualTo("slow-case");
        assertThat(events.get(0).get("type").asText()).isEqualTo("kyc.case.updated");
        assertThat(events.get(1).at("/data/providerRef").asText()).isEqualTo("quick-case");
    }

    @Test
    void badRequestsAnswer400AndTheFeedTakesAnIntegrationKey() {
        assertThat(api("/api/v1/events").statusCode()).isEqualTo(200);
        assertThat(readJson(api("/api/v1/events").body()).get("items")).isEmpty();
        assertThat(readJson(api("/api/v1/events").body()).get("next").asText()).isNotBlank();
        assertThat(get("/api/v1/events", Map.of()).statusCode()).isEqualTo(401);

        for (String query : List.of("after=@@@", "after=" + encoded("12"), "after=" + encoded("a:b"),
                "after=" + encoded("1:2:3"), "after=" + encoded("-1:2"), "limit=0", "limit=1001", "limit=ten",
                "type=kyc.case.approved", "provider=sumsub")) {
            HttpResponse<String> answer = api("/api/v1/events?" + query);
            assertThat(answer.statusCode()).as(query + ": " + answer.body()).isEqualTo(400);
            assertThat(readJson(answer.body()).get("title").asText()).isEqualTo("Bad Request");
        }
        assertThat(api("/api/v1/events?limit=1000").statusCode()).isEqualTo(200);
    }

    private JsonNode page(String cursor, String query) {
        String path = "/api/v1/events?" + (cursor == null ? "" : "after=" + cursor + "&") + query;
        return apiJson(path);
    }

    /** The cursor a next link carries. */
    private static String after(String next) {
        return next.substring(next.indexOf("after=") + "after=".length());
    }

    private static String encoded(String cursor) {
        return URLEncoder.encode(Base64.getUrlEncoder().encodeToString(cursor.getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII);
    }

    private static String body(String user, String status) {
        return "{\"userId\":\"" + user + "\",\"status\":\"" + status + "\"}";
    }
}
