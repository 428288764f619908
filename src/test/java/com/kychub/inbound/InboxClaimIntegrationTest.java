package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The order in which a worker claims the inbox: oldest due first, each claim of a batch after the last one, and a
 * new batch from the start again, so that a message committed late with an earlier due time is not left behind. The
 * messages are a provider's that no worker of the hub drains, so only the test claims them.
 */
class InboxClaimIntegrationTest extends HubIntegrationTest {

    private static final String PROVIDER = "claim-test";

    @Autowired
    private Inbox inbox;

    @Test
    void aBatchClaimsOnwardFromItsLastMessageAndTheNextStartsAgainFromTheOldest() {
        long first = store("first", "now() - interval '3 seconds'");
        long second = store("second", "now() - interval '2 seconds'");
        store("not-due", "now() + interval '1 hour'");

        InboundMessage one = claim(InboxPosition.START);
        InboundMessage two = claim(one.position());
        assertThat(List.of(one.id(), two.id())).containsExactly(first, second);

        // Committed after the batch passed its place: the same batch does not go back for it (nor takes one not due) ...
        long late = store("late", "now() - interval '4 seconds'");
        assertThat(claim(two.position())).isNull();
        // ... the next batch does, first of all.
        assertThat(claim(InboxPosition.START).id()).isEqualTo(late);
    }

    @Test
    void messagesDueAtTheSameMomentAreTakenByIdWithoutSkippingAny() {
        // A group commit stores many webhooks with the same now().
        List<Long> ids = jdbc.queryForList("""
                insert into inbound_message (provider, channel, dedup_key, body, next_attempt_at)
                select ?, 'WEBHOOK', 'same-' || n, '{}', now() - interval '1 second' from generate_series(1, 3) n
                returning id""", Long.class, PROVIDER);

        InboundMessage one = claim(InboxPosition.START);
        InboundMessage two = claim(one.position());
        InboundMessage three = claim(two.position());

        assertThat(List.of(one.id(), two.id(), three.id())).containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(claim(three.position())).isNull();
    }

    /**
     * Statistics taken while the inbox was settled (nothing ACCEPTED: the usual state) and then a burst: the planner
     * expects one due message and, left to choose, sorts the provider's whole backlog at every claim instead of reading
     * the due index in order, until the next ANALYZE ({@code bench/claim.sh}).
     * A sort of the backlog's bodies spills past a small {@code work_mem}, so a temporary file tells one happened.
     */
    @Test
    void aClaimReadsTheDueIndexInOrderWhereTheStatisticsSayNothingIsDue() {
        jdbc.update("""
                insert into inbound_message (provider, channel, dedup_key, body, state, processed_at)
                select ?, 'WEBHOOK', 'settled-' || n, '{}', 'PROCESSED', now() from generate_series(1, 3000) n""",
                PROVIDER);
        jdbc.execute("analyze inbound_message");
        jdbc.update("""
                insert into inbound_message (provider, channel, dedup_key, body, next_attempt_at)
                select ?, 'WEBHOOK', 'burst-' || n, '{"padding": "' || repeat('x', 2000) || '"}',
                       now() - interval '1 minute' + n * interval '1 millisecond'
                from generate_series(1, 600) n""", PROVIDER);
        long oldest = jdbc.queryForObject("select min(id) from inbound_message where dedup_key = 'burst-1'",
                Long.class);
        long tempFilesBefore = tempFiles();

        InboundMessage claimed = claimWithSortsSpilling(() -> inbox.claimNext(PROVIDER, InboxPosition.START));

        assertThat(claimed.id()).isEqualTo(oldest);
        assertThat(tempFiles()).as("temporary files written by sorts in this database").isEqualTo(tempFilesBefore);
    }

    private long store(String key, String dueAt) {
        return jdbc.queryForObject("""
                insert into inbound_message (provider, channel, dedup_key, body, next_attempt_at)
                values (?, 'WEBHOOK', ?, '{}', %s) returning id""".formatted(dueAt), Long.class, PROVIDER, key);
    }

    /** Claims as a worker does, in a transaction of its own (the row lock ends with it). */
    private InboundMessage claim(InboxPosition after) {
        return transactions.execute(status -> inbox.claimNext(PROVIDER, after));
    }
}
