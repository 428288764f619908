package com.kychub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/cases}, {@code /cases/counts} and {@code /cases/{id}/events} on cases written straight into the
 * store (many, some changed at the same instant, which the cursor must tell apart by id): pages walked by their
 * {@code next} link, each filter, the counts per status, and the 400s of what the lists cannot take.
 */
class CaseListIntegrationTest extends HubIntegrationTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void walkingThePagesByTheirNextLinkGivesEveryCaseOnceNewestChangeFirst() {
        for (int i = 0; i < 23; i++) {
            // Three cases share each instant: the id orders them, and a page may end inside such a group.
            insertCase("c-" + (i % 5), i % 2 == 0 ? "striga" : "ondato", "ref-" + i, "IN_PROGRESS", "WAIT",
                    NOW.minus(i / 3, ChronoUnit.HOURS));
        }
        List<String> expected = jdbc.queryForList("select id::text from kyc_case order by updated_at desc, id desc",
                String.class);

        List<String> walked = walk("/api/v1/cases?limit=4");
        assertThat(walked).containsExactlyElementsOf(expected);

        // The next link repeats the filters and the limit.
        JsonNode first = apiJson("/api/v1/cases?provider=striga&status=IN_PROGRESS&limit=5");
        assertThat(first.get("items")).hasSize(5);
        assertThat(first.get("next").asText())
                .startsWith("/api/v1/cases?provider=striga&status=IN_PROGRESS&limit=5&after=");
        assertThat(walk("/api/v1/cases?provider=striga&status=IN_PROGRESS&limit=5")).containsExactlyElementsOf(
                jdbc.queryForList("select id::text from kyc_case where provider = 'striga' "
                        + "order by updated_at desc, id desc", String.class));

        // One page when everything fits; no silent cap at 100 either.
        JsonNode all = apiJson("/api/v1/cases");
        assertThat(all.get("items")).hasSize(23);
        assertThat(all.get("next").isNull()).isTrue();
        for (int i = 23; i < 105; i++) {
            insertCase(null, "argos", "ref-" + i, "IN_REVIEW", "WAIT", NOW.minus(1, ChronoUnit.DAYS));
        }
        JsonNode hundred = apiJson("/api/v1/cases");
        assertThat(hundred.get("items")).hasSize(100);
        assertThat(apiJson(hundred.get("next").asText()).get("items")).hasSize(5);
        assertThat(walk("/api/v1/cases?limit=1000")).hasSize(105);
    }

    @Test
    void eachFilterNarrowsTheList() {
        insertCase("c-ada", "striga", "u-ada", "APPROVED", "NONE", NOW.minus(3, ChronoUnit.DAYS));
        insertCase("c-ada", "ondato", "idv-ada", "ACTION_REQUIRED", "PROVIDE_DOCUMENT", NOW.minus(2, ChronoUnit.DAYS));
        insertCase("c-bob", "striga", "u-bob", "IN_REVIEW", "WAIT", NOW.minus(1, ChronoUnit.HOURS));
        insertCase(null, "argos", "sub-c-bob", "IN_PROGRESS", "WAIT", NOW);

        assertThat(refs("")).containsExactly("sub-c-bob", "u-bob", "idv-ada", "u-ada");
        assertThat(refs("status=APPROVED")).containsExactly("u-ada");
        assertThat(refs("nextAction=PROVIDE_DOCUMENT")).containsExactly("idv-ada");
        assertThat(refs("provider=striga")).containsExactly("u-bob", "u-ada");
        assertThat(refs("customerId=c-ada")).containsExactly("idv-ada", "u-ada");
        assertThat(refs("providerRef=u-bob")).containsExactly("u-bob");
        // search: a customer id or a provider reference, exactly.
        assertThat(refs("search=c-bob")).containsExactly("u-bob");
        assertThat(refs("search=sub-c-bob")).containsExactly("sub-c-bob");
        assertThat(refs("search=ada")).isEmpty();
        assertThat(refs("updatedSince=" + NOW.minus(1, ChronoUnit.DAYS))).containsExactly("sub-c-bob", "u-bob");
        // stalledFor: not finished (APPROVED is) and unchanged for that long.
        assertThat(refs("stalledFor=PT30M")).containsExactly("u-bob", "idv-ada");
        assertThat(refs("stalledFor=P1D")).containsExactly("idv-ada");
        assertThat(refs("customerId=c-ada&provider=striga")).containsExactly("u-ada");
        assertThat(refs("provider=width")).isEmpty();
    }

    @Test
    void theCountsGiveEveryStatusForTheSameFilters() {
        insertCase("c-ada", "striga", "u-ada", "APPROVED", "NONE", NOW.minus(3, ChronoUnit.DAYS));
        insertCase("c-ada", "ondato", "idv-ada", "ACTION_REQUIRED", "PROVIDE_DOCUMENT", NOW.minus(2, ChronoUnit.DAYS));
        insertCase("c-bob", "striga", "u-bob", "IN_REVIEW", "WAIT", NOW);
        insertCase("c-eve", "striga", "u-eve", "IN_REVIEW", "WAIT", NOW);

        JsonNode all = apiJson("/api/v1/cases/counts");
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(all.get("byStatus").size()).isEqualTo(10);
        assertThat(all.at("/byStatus/IN_REVIEW").asLong()).isEqualTo(2);
        assertThat(all.at("/byStatus/APPROVED").asLong()).isEqualTo(1);
        assertThat(all.at("/byStatus/REJECTED_FINAL").isNumber()).isTrue();
        assertThat(all.at("/byStatus/REJECTED_FINAL").asLong()).isZero();

        JsonNode striga = apiJson("/api/v1/cases/counts?provider=striga&updatedSince=" + NOW.minusSeconds(60));
        assertThat(striga.get("total").asLong()).isEqualTo(2);
        assertThat(striga.at("/byStatus/IN_REVIEW").asLong()).isEqualTo(2);
        assertThat(striga.at("/byStatus/APPROVED").asLong()).isZero();
        assertThat(apiJson("/api/v1/cases/counts?search=c-ada&stalledFor=PT1H").get("total").asLong()).isEqualTo(1);
    }

    @Test
    void aCasesEventsComePagedOldestFirstWithTheirIds() {
        UUID caseId = insertCase("c-ada", "striga", "u-ada", "IN_PROGRESS", "WAIT", NOW);
        for (int i = 0; i < 5; i++) {
            jdbc.update("insert into kyc_event (case_id, type, to_status, to_next_action) "
                    + "values (?, 'CASE_UPDATED', 'IN_PROGRESS', 'WAIT')", caseId);
        }
        List<Long> ids = jdbc.queryForList("select id from kyc_event where case_id = ? order by id", Long.class,
                caseId);

        List<Long> walked = new ArrayList<>();
        String link = "/api/v1/cases/" + caseId + "/events?limit=2";
        int pages = 0;
        while (link != null) {
            JsonNode page = apiJson(link);
            page.get("items").forEach(event -> walked.add(event.get("id").asLong()));
            link = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        }
        assertThat(walked).containsExactlyElementsOf(ids);
        assertThat(pages).isEqualTo(3);
        assertThat(api("/api/v1/cases/" + UUID.randomUUID() + "/events").statusCode()).isEqualTo(404);
    }

    @Test
    void whatTheListsCannotTakeIs400NamingTheParameter() {
        insertCase("c-ada", "striga", "u-ada", "IN_PROGRESS", "WAIT", NOW);
        String idCursor = cursor("12");
        for (String query : List.of("limit=0", "limit=1001", "limit=ten", "after=@@@", "after=" + idCursor,
                "after=" + cursor("12:not-a-uuid"), "after=" + cursor("1:2:3"), "status=LOST", "status=approved",
                "nextAction=NOTHING", "provider=Striga", "provider=" + "a".repeat(33), "customerId=",
                "customerId=" + "x".repeat(201), "providerRef=%20", "search=", "updatedSince=yesterday",
                "updatedSince=2026-01-01", "stalledFor=24h", "stalledFor=-PT1H")) {
            HttpResponse<String> answer = api("/api/v1/cases?" + query);
            assertThat(answer.statusCode()).as(query + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).as(query).contains("'" + query.substring(0, query.indexOf('=')) + "'");
        }
        assertThat(api("/api/v1/cases?limit=1000").statusCode()).isEqualTo(200);
        assertThat(api("/api/v1/cases/counts?stalledFor=soon").statusCode()).isEqualTo(400);
        UUID caseId = insertCase("c-ada", "ondato", "idv-ada", "IN_PROGRESS", "WAIT", NOW);
        for (String query : List.of("limit=0", "after=@@@", "after=" + cursor("0"), "after=" + cursor("x"))) {
            HttpResponse<String> answer = api("/api/v1/cases/" + caseId + "/events?" + query);
            assertThat(answer.statusCode()).as(query + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).as(query).contains("'" + query.substring(0, query.indexOf('=')) + "'");
        }
        // A cursor of another list (here an id, from the events) is not one of the cases list.
        assertThat(api("/api/v1/cases?after=" + idCursor).body()).contains("is not a cursor this list answered");
    }

    private List<String> walk(String link) {
        List<String> ids = new ArrayList<>();
        while (link != null) {
            JsonNode page = apiJson(link);
            page.get("items").forEach(kycCase -> ids.add(kycCase.get("id").asText()));
            link = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return ids;
    }

    private List<String> refs(String query) {
        return apiJson("/api/v1/cases?" + query).get("items").findValuesAsText("providerRef");
    }

    /** A case as the canonical store holds it, last changed at {@code updatedAt}; its customer made if needed. */
    private UUID insertCase(String customerId, String provider, String providerRef, String status, String nextAction,
                            Instant updatedAt) {
        if (customerId != null) {
            jdbc.update("insert into customer (customer_id) values (?) on conflict do nothing", customerId);
        }
        return jdbc.queryForObject("""
                insert into kyc_case (customer_id, provider, provider_ref, status, next_action, updated_at)
                values (?, ?, ?, ?, ?, ?::timestamptz) returning id""", UUID.class, customerId, provider, providerRef,
                status, nextAction, updatedAt.toString());
    }

    private static String cursor(String key) {
        return URLEncoder.encode(Base64.getUrlEncoder().encodeToString(key.getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII);
    }
}
