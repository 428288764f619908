package com.kychub.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The action worker's claim reads the due index in order, as the inbox's does ({@code InboxClaimIntegrationTest}):
 * statistics taken while nothing was PENDING must not make it sort the provider's whole backlog of calls. The actions
 * are a provider's that no worker of the hub executes, so only the test claims them.
 */
class ProviderActionsClaimIntegrationTest extends HubIntegrationTest {

    private static final String PROVIDER = "claim-test";

    @Autowired
    private ProviderActions actions;

    @Test
    void aClaimReadsTheDueIndexInOrderWhereTheStatisticsSayNothingIsDue() {
        jdbc.update("""
                insert into provider_action (provider, customer_id, action, kind, state, done_at)
                select ?, 'customer-' || n, 'done-' || n, 'UPLOAD', 'DONE', now() from generate_series(1, 3000) n""",
                PROVIDER);
        jdbc.execute("analyze provider_action");
        jdbc.update("""
                insert into provider_action (provider, customer_id, action, kind, payload, next_attempt_at)
                select ?, 'customer-' || n, 'pending-' || n, 'UPLOAD',
                       jsonb_build_object('padding', repeat('x', 2000)),
                       now() - interval '1 minute' + n * interval '1 millisecond'
                from generate_series(1, 600) n""", PROVIDER);
        long oldest = jdbc.queryForObject("select id from provider_action where action = 'pending-1'", Long.class);
        long tempFilesBefore = tempFiles();

        // A sort of the backlog's payloads spills past 64 kB, so a temporary file would tell that one happened.
        PendingAction claimed = claimWithSortsSpilling(() -> actions.claimNext(PROVIDER));

        assertThat(claimed.id()).isEqualTo(oldest);
        assertThat(tempFiles()).as("temporary files written by sorts in this database").isEqualTo(tempFilesBefore);
    }
}
