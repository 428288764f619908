package com.kychub.provider.width;

import java.util.List;

import com.kychub.KycProperties;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Claims the WIDTH executions due for a status poll ({@code FOR UPDATE SKIP LOCKED}: two hub instances never poll the
 * same execution in one round) and moves their next poll {@code poll-every} on: one Quartz job for all executions,
 * never one per execution, clustered (each tick runs on one hub instance). An execution whose OCR result is awaited (and not already in the inbox) also has
 * {@code workflow.kyc.ocr.data} polled.
 */
@Component
public class WidthPoller {

    /** One due execution, as {@code width-poll-executions} splits them. */
    public record Due(String executionId, String referenceId, boolean ocrPending, String ocrCallbackKey) {
    }

    private final JdbcTemplate jdbc;
    private final KycProperties.Width settings;

    public WidthPoller(JdbcTemplate jdbc, KycProperties properties) {
        this.jdbc = jdbc;
        this.settings = properties.providers().width();
    }

    public List<Due> claimDue() {
        return jdbc.query("""
                update kyc_case set next_poll_at = now() + ? * interval '1 millisecond'
                where id in (select id from kyc_case
                             where provider = 'width' and next_poll_at <= now() and provider_ref not like 'customer:%'
                             order by next_poll_at limit ? for update skip locked)
                returning provider_ref, provider_details ->> 'referenceId' as reference_id,
                          coalesce(provider_details -> 'ocr' ->> 'pending', 'false') = 'true' as ocr_pending,
                          provider_details -> 'ocr' ->> 'callbackKey' as ocr_callback_key""",
                (row, n) -> new Due(row.getString("provider_ref"), row.getString("reference_id"),
                        row.getBoolean("ocr_pending"), row.getString("ocr_callback_key")),
                settings.pollEvery().toMillis(), settings.pollBatch());
    }

    /**
     * Puts one due execution into the variables the poll steps read. An OCR result already in the inbox (not processed
     * yet) is not polled again. (A query of its own: the claim above touches kyc_case only, so that it never holds one
     * table while waiting for another.)
     */
    public void unpack(@Body Due due, Exchange exchange) {
        boolean ocrPending = due.ocrPending() && jdbc.queryForList(
                "select 1 from inbound_message where provider = 'width' and dedup_key = ?", Integer.class,
                WidthProcess.ocrDedupKey(due.executionId(), due.ocrCallbackKey())).isEmpty();
        exchange.setVariable("subject", due.executionId());
        exchange.setVariable("referenceId", due.referenceId());
        exchange.setVariable("ocrPending", ocrPending);
        exchange.setVariable("callbackKey", due.ocrCallbackKey());
    }
}
