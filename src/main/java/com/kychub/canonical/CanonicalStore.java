package com.kychub.canonical;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what provider messages say into the canonical store: the case, its checks and one audit event per real
 * change, and the provider actions the change calls for, in one transaction. It is where the ordering rules of
 * DESIGN.md live, so every provider gets them: an unchanged message writes nothing but its newer provider timestamp,
 * a message older than the case's last provider timestamp is stale, and a non-decisive status never overwrites APPROVED or REJECTED_FINAL unless
 * the update is the provider's own current truth (a status API's answer, an explicit restart).
 */
@Component
public class CanonicalStore {

    public enum Outcome { CREATED, CHANGED, UNCHANGED, STALE }

    /** The audit event of an erasure: who erased what, never the personal data itself. */
    public static final String ERASED = "DATA_ERASED";

    public record Applied(UUID caseId, Outcome outcome) {
    }

    private final JdbcTemplate jdbc;
    private final ProviderAction.Planner actions;
    private final ObjectMapper json;

    public CanonicalStore(JdbcTemplate jdbc, ProviderAction.Planner actions, ObjectMapper json) {
        this.jdbc = jdbc;
        this.actions = actions;
        this.json = json;
    }

    @Transactional
    public Applied apply(CaseUpdate update, Long inboundMessageId) {
        if (update.customerId() != null) {
            jdbc.update("insert into customer (customer_id) values (?) on conflict do nothing", update.customerId());
        }
        // The row is inserted blank and filled below like any other change, so a new case and an existing one
        // take the same path; "returning" tells which one this is.
        boolean opened = !jdbc.queryForList("""
                insert into kyc_case (customer_id, provider, provider_ref, status, next_action)
                values (?, ?, ?, ?, ?)
                on conflict (provider, provider_ref) do nothing
                returning id""", UUID.class,
                update.customerId(), update.provider(), update.providerRef(),
                CaseStatus.NOT_STARTED.name(), NextAction.NONE.name()).isEmpty();
        StoredCase current = jdbc.queryForObject("""
                select id, customer_id, status, next_action, reasons, provider_status, provider_details,
                       provider_updated_at
                from kyc_case where provider = ? and provider_ref = ? for update""",
                this::readCase, update.provider(), update.providerRef());
        Objects.requireNonNull(current);

        if (!opened && !update.authoritative() && isStale(current, update)) {
            return new Applied(current.id(), Outcome.STALE);
        }
        Map<String, CheckResult> checksBefore = checksOf(current.id());
        boolean checksChanged = update.checks().stream()
                .anyMatch(check -> !check.equals(checksBefore.get(check.name())));
        boolean caseChanged = opened
                || current.status() != update.status()
                || current.nextAction() != update.nextAction()
                || !Objects.equals(current.providerStatus(), update.providerStatus())
                || !current.reasons().equals(json.valueToTree(update.reasons()))
                || !current.providerDetails().equals(json.valueToTree(update.providerDetails()))
                || (current.customerId() == null && update.customerId() != null);
        if (!caseChanged && !checksChanged) {
            // The provider said the same again, later: a message from between the two is now stale. Without this, a
            // re-submission rejected twice for the same reasons could end at the review status in between.
            if (update.occurredAt() != null) {
                jdbc.update("""
                        update kyc_case set provider_updated_at = ?
                        where id = ? and (provider_updated_at is null or provider_updated_at < ?)""",
                        timestamp(update.occurredAt()), current.id(), timestamp(update.occurredAt()));
            }
            return new Applied(current.id(), Outcome.UNCHANGED);
        }

        jdbc.update("""
                update kyc_case
                set status = ?, next_action = ?, reasons = ?::jsonb, provider_status = ?, provider_details = ?::jsonb,
                    provider_updated_at = coalesce(?, provider_updated_at), customer_id = coalesce(customer_id, ?),
                    next_poll_at = case when ?::bigint is null then null
                                        else coalesce(next_poll_at, now() + ?::bigint * interval '1 millisecond') end,
                    version = version + 1, updated_at = now()
                where id = ?""",
                update.status().name(), update.nextAction().name(), write(update.reasons()),
                update.providerStatus(), write(update.providerDetails()), timestamp(update.occurredAt()),
                update.customerId(), millis(update.pollEvery()), millis(update.pollEvery()), current.id());
        for (CheckResult check : update.checks()) {
            jdbc.update("""
                    insert into kyc_check (case_id, name, passed, required, detail)
                    values (?, ?, ?, ?, ?::jsonb)
                    on conflict (case_id, name) do update
                    set passed = excluded.passed, required = excluded.required, detail = excluded.detail,
                        updated_at = now()""",
                    current.id(), check.name(), check.passed(), check.required(), write(check.detail()));
        }

        for (ProviderAction action : update.actions()) {
            // In this transaction: the calls commit with the change that calls for them, or not at all.
            actions.plan(update.provider(), current.id(), Objects.requireNonNull(update.customerId(), "customerId"),
                    action);
        }

        String type = opened ? "CASE_OPENED" : current.status() != update.status() ? "STATUS_CHANGED" : "CASE_UPDATED";
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("providerStatus", update.providerStatus());
        detail.put("reasons", update.reasons());
        if (checksChanged) {
            detail.put("checks", update.checks().stream().map(CheckResult::name).toList());
        }
        jdbc.update("""
                insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action,
                                       provider_event, inbound_message_id, detail)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""",
                current.id(), type,
                opened ? null : current.status().name(), update.status().name(),
                opened ? null : current.nextAction().name(), update.nextAction().name(),
                update.providerEvent(), inboundMessageId, write(detail));
        return new Applied(current.id(), opened ? Outcome.CREATED : Outcome.CHANGED);
    }

    /**
     * Gives a case the reference the provider assigned it (a case opened before the provider named it), keeping its
     * id and audit trail; nothing happens when no case has {@code from} or one already has {@code to}.
     */
    public void renameCase(String provider, String from, String to) {
        jdbc.update("""
                update kyc_case set provider_ref = ?, updated_at = now()
                where provider = ? and provider_ref = ?
                  and not exists (select 1 from kyc_case where provider = ? and provider_ref = ?)""",
                to, provider, from, provider, to);
    }

    // --- Erasure of one case's personal data when its provider deletes it (ARGOS's delete): the status is kept.

    /** Writes the case's provider details without personal data, with the provider's erasure marker. */
    public void markErased(UUID caseId, Map<String, Object> providerDetails) {
        jdbc.update("""
                update kyc_case set provider_details = ?::jsonb, version = version + 1, updated_at = now()
                where id = ?""", write(providerDetails), caseId);
    }

    /**
     * Appends the {@code DATA_ERASED} event: the case's status does not change, so from and to are the same.
     *
     * @param detail who erased, when and why as the provider says it, and what was erased; never personal data
     */
    public void recordErasure(UUID caseId, String providerEvent, Long inboundMessageId, Map<String, Object> detail) {
        jdbc.update("""
                insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action,
                                       provider_event, inbound_message_id, detail)
                select id, ?, status, status, next_action, next_action, ?, ?, ?::jsonb
                from kyc_case where id = ?""",
                ERASED, providerEvent, inboundMessageId, write(detail), caseId);
    }

    /** Asks the status pollers to look again at every polled case of the customer: their data changed. */
    public void pollSoonForCustomer(String customerId) {
        jdbc.update("update kyc_case set next_poll_at = now() where customer_id = ? and next_poll_at is not null",
                customerId);
    }

    /** Asks the provider's status poller to look at the case at its next tick. */
    public void pollSoon(String provider, String providerRef) {
        jdbc.update("update kyc_case set next_poll_at = now() where provider = ? and provider_ref = ?",
                provider, providerRef);
    }

    /**
     * Asks the provider's status poller to look at the case once the delay has passed, not before. A case no longer
     * polled (its polling ended meanwhile) stays so.
     */
    public void pollAfter(String provider, String providerRef, java.time.Duration delay) {
        jdbc.update("""
                update kyc_case set next_poll_at = now() + ? * interval '1 millisecond'
                where provider = ? and provider_ref = ? and next_poll_at is not null""",
                delay.toMillis(), provider, providerRef);
    }

    private static boolean isStale(StoredCase current, CaseUpdate update) {
        if (update.occurredAt() != null && current.providerUpdatedAt() != null) {
            return update.occurredAt().isBefore(current.providerUpdatedAt());
        }
        return current.status().isProtected() && !update.status().isDecision();
    }

    private Map<String, CheckResult> checksOf(UUID caseId) {
        Map<String, CheckResult> checks = new LinkedHashMap<>();
        jdbc.query("select name, passed, required, detail from kyc_check where case_id = ?", rows -> {
            checks.put(rows.getString("name"), new CheckResult(rows.getString("name"), rows.getBoolean("passed"),
                    rows.getBoolean("required"), readMap(rows.getString("detail"))));
        }, caseId);
        return checks;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readMap(String text) {
        try {
            return json.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("kyc_check.detail is not a JSON object", e);
        }
    }

    private static Long millis(java.time.Duration duration) {
        return duration == null ? null : duration.toMillis();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private StoredCase readCase(ResultSet row, int n) throws SQLException {
        try {
            Timestamp updated = row.getTimestamp("provider_updated_at");
            return new StoredCase(row.getObject("id", UUID.class), row.getString("customer_id"),
                    CaseStatus.valueOf(row.getString("status")), NextAction.valueOf(row.getString("next_action")),
                    json.readTree(row.getString("reasons")), row.getString("provider_status"),
                    json.readTree(row.getString("provider_details")),
                    updated == null ? null : updated.toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("kyc_case holds invalid JSON", e);
        }
    }

    private record StoredCase(UUID id, String customerId, CaseStatus status, NextAction nextAction,
                              JsonNode reasons, String providerStatus, JsonNode providerDetails,
                              Instant providerUpdatedAt) {
    }
}
