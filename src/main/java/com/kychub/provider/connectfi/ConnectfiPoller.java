package com.kychub.provider.connectfi;

import java.util.List;

import com.kychub.KycProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Claims the Connect Financial cases due for a status pull ({@code FOR UPDATE SKIP LOCKED}, so two hub instances
 * never pull the same case in one round) and moves their next pull one poll period on. Called by
 * {@code connectfi-poll-status}, whose Quartz trigger is clustered: each tick runs on one hub instance.
 */
@Component
public class ConnectfiPoller {

    private static final int BATCH = 100;

    private final JdbcTemplate jdbc;
    private final KycProperties.Connectfi settings;

    public ConnectfiPoller(JdbcTemplate jdbc, KycProperties properties) {
        this.jdbc = jdbc;
        this.settings = properties.providers().connectfi();
    }

    /** The Connect Financial customer ids whose current case is due. */
    public List<String> claimDue() {
        return jdbc.queryForList("""
                with due as (
                    update kyc_case set next_poll_at = now() + ? * interval '1 millisecond'
                    where id in (select id from kyc_case
                                 where provider = 'connectfi' and next_poll_at <= now()
                                 order by next_poll_at limit ? for update skip locked)
                    returning customer_id, provider_ref)
                select distinct p.provider_customer_id from due
                join provider_customer p on p.provider = 'connectfi' and p.customer_id = due.customer_id
                where p.current_ref is null or p.current_ref = due.provider_ref""",
                String.class, settings.pollPeriod().toMillis(), BATCH);
    }
}
