package com.kychub.privacy;

import java.time.Instant;
import java.util.List;

import com.kychub.inbound.Inbox;
import com.kychub.outbound.EventHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The SQL of the {@code retention-sweep} route ({@code routes/retention.camel.yaml}): each call claims one batch
 * (oldest first, {@code FOR UPDATE SKIP LOCKED}), redacts or deletes it and commits, and answers how many it did;
 * the route calls again until a call answers 0. Counted in {@code kyc.retention.redacted{what}}.
 */
@Component
public class Retention {

    private final JdbcTemplate jdbc;
    private final Inbox inbox;
    private final ProviderRedaction redaction;
    private final EventHistory eventHistory;
    private final RetentionProperties settings;
    private final Counter rawBodies;
    private final Counter documents;
    private final Counter events;

    public Retention(JdbcTemplate jdbc, Inbox inbox, ProviderRedaction redaction, EventHistory eventHistory,
                     RetentionProperties settings, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.inbox = inbox;
        this.redaction = redaction;
        this.eventHistory = eventHistory;
        this.settings = settings;
        this.rawBodies = Counter.builder("kyc.retention.redacted").tag("what", "raw-bodies")
                .description("Raw bodies of processed messages redacted past kyc.retention.raw-bodies")
                .register(registry);
        this.documents = Counter.builder("kyc.retention.redacted").tag("what", "documents")
                .description("Document contents deleted past kyc.retention.documents")
                .register(registry);
        this.events = Counter.builder("kyc.retention.redacted").tag("what", "events")
                .description("Outbound events and their deliveries deleted past kyc.retention.events")
                .register(registry);
    }

    /**
     * Redacts one batch of PROCESSED messages processed longer than {@code raw-bodies} ago (never one still to be
     * processed, or failed and waiting for a replay): their bodies by the provider's table, their headers.
     */
    @Transactional
    public int redactRawBodies() {
        List<Inbox.StoredMessage> due = inbox.lockProcessedBefore(Instant.now().minus(settings.rawBodies()),
                settings.batchSize());
        due.forEach(message -> inbox.rewrite(redaction.message(message, List.of())));
        rawBodies.increment(due.size());
        return due.size();
    }

    /**
     * Deletes the content (and file name) of one batch of documents handed over longer than {@code documents} ago;
     * the row stays, with its type and id, which provider actions name.
     */
    @Transactional
    public int eraseDocuments() {
        int erased = jdbc.update("""
                update customer_document set content = ''::bytea, file_name = ?, sha256 = '', erased_at = now()
                where id in (select id from customer_document
                             where erased_at is null and created_at < ?
                             order by created_at, id
                             limit ?
                             for update skip locked)""", Redaction.MARK,
                java.sql.Timestamp.from(Instant.now().minus(settings.documents())), settings.batchSize());
        documents.increment(erased);
        return erased;
    }

    /** Deletes one batch of outbound events written longer than {@code events} ago and no longer pending. */
    @Transactional
    public int deleteOldEvents() {
        int deleted = eventHistory.deleteSettledBefore(Instant.now().minus(settings.events()), settings.batchSize());
        events.increment(deleted);
        return deleted;
    }
}
