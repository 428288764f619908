package com.kychub.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The queues are analysed after every 1,000 rows changed (V21), not after a tenth of the table: otherwise statistics
 * taken while nothing waited outlive a burst, and their claims read the whole backlog (bench/claim.sh).
 */
class QueueStatisticsIntegrationTest extends HubIntegrationTest {

    @Test
    void eachQueueIsAnalysedAfterAThousandChangedRowsWhateverItsSize() {
        for (String queue : List.of("inbound_message", "provider_action", "event_delivery")) {
            List<String> options = jdbc.queryForList(
                    "select unnest(reloptions) from pg_class where oid = ?::regclass", String.class, queue);
            assertThat(options).as(queue)
                    .contains("autovacuum_analyze_scale_factor=0", "autovacuum_analyze_threshold=1000");
        }
    }
}
