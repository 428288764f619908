package com.kychub.canonical;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * the update is the provider's own current truth (a status API's answer, an explicit restart). A case a failed provider
 * call holds ({@link #holdForAction}) is moved on only by a message that says something new. The calls an update asks
 * for are planned whether it changes the case or not: a provider that still asks for what it asked gets the data the
 * fintech handed over since.
 */
@Component
public class CanonicalStore {

    public enum Outcome { CREATED, CHANGED, UNCHANGED, STALE }

    /** The audit event of an erasure: who erased what, never the personal data itself. */
    public static final String ERASED = "DATA_ERASED";

    /** The audit events of a provider call the provider refused (FAILED), or that ran out of attempts (DEAD). */
    public static final String ACTION_FAILED = "ACTION_FAILED";
    public static final String ACTION_DEAD = "ACTION_DEAD";

    private static final String CASE_ROW = """
            select id, customer_id, status, next_action, reasons, provider_status, provider_details,
                   provider_updated_at, held_from
            from kyc_case""";

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
        StoredCase current = jdbc.queryForObject(CASE_ROW + " where provider = ? and provider_ref = ? for update",
                this::readCase, update.provider(), update.providerRef());
        Objects.requireNonNull(current);

        if (!opened && !update.authoritative() && isStale(current, update)) {
            // Late, but still word from the provider: the case is not quiet (reconciliation reads heard_at).
            jdbc.update("update kyc_case set heard_at = now() where id = ?", current.id());
            return new Applied(current.id(), Outcome.STALE);
        }
        Map<String, CheckResult> checksBefore = checksOf(current.id());
        boolean checksChanged = checksChange(checksBefore, update);
        boolean caseChanged = opened || caseChanges(current, update);
        if (!caseChanged && !checksChanged) {
            // The provider said the same again, later: a message from between the two is now stale. Without this, a
            // re-submission rejected twice for the same reasons could end at the review status in between.
            jdbc.update("""
                    update kyc_case
                    set heard_at = now(),
                        provider_updated_at = case when provider_updated_at is null or provider_updated_at < ?
                                                   then coalesce(?, provider_updated_at) else provider_updated_at end
                    where id = ?""",
                    timestamp(update.occurredAt()), timestamp(update.occurredAt()), current.id());
            // The provider still asks for what it asked, and the fintech may have handed over new data meanwhile: its
            // calls are planned now (named by their datum, so only the new ones), held case or not.
            planActions(update, current);
            return new Applied(current.id(), Outcome.UNCHANGED);
        }

        jdbc.update("""
                update kyc_case
                set status = ?, next_action = ?, reasons = ?::jsonb, provider_status = ?, provider_details = ?::jsonb,
                    provider_updated_at = coalesce(?, provider_updated_at), customer_id = coalesce(customer_id, ?),
                    next_poll_at = case when ?::bigint is null then null
                                        else coalesce(next_poll_at, now() + ?::bigint * interval '1 millisecond') end,
                    held_by_action = null, held_from = null, version = version + 1, updated_at = now(),
                    heard_at = now()
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

        planActions(update, current);

        String type = opened ? "CASE_OPENED" : current.status() != update.status() ? "STATUS_CHANGED" : "CASE_UPDATED";
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("providerStatus", update.providerStatus());
        detail.put("reasons", update.reasons());
        if (checksChanged) {
            detail.put("checks", update.checks().stream().map(CheckResult::name).toList());
        }
        if (current.heldFrom() != null) {
            // Not silently: the event that moves a held case on names the failed call's reason it replaces.
            detail.put("endedHold", current.reasons().path(0).asText());
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
     * Plans the calls the update asks for, in this transaction: they commit with what calls for them, or not at all.
     * Each is planned once by its name ({@link ProviderAction.Planner}), so a message applied again plans only what
     * new data named anew.
     */
    private void planActions(CaseUpdate update, StoredCase current) {
        for (ProviderAction action : update.actions()) {
            String customerId = update.customerId() != null ? update.customerId() : current.customerId();
            actions.plan(update.provider(), current.id(), Objects.requireNonNull(customerId, "customerId"), action);
        }
    }

    /**
     * Whether applying the update would change what the store says about its case (a case it does not have yet
     * included): how a status pull tells an answer that repairs the case from one the hub already reflects. Read
     * without a lock; the pull's answer is applied later by the inbox worker, which decides again under one.
     */
    @Transactional(readOnly = true)
    public boolean wouldChange(CaseUpdate update) {
        List<StoredCase> found = jdbc.query(CASE_ROW + " where provider = ? and provider_ref = ?",
                this::readCase, update.provider(), update.providerRef());
        return found.isEmpty() || caseChanges(found.get(0), update)
                || checksChange(checksOf(found.get(0).id()), update);
    }

    /**
     * A held case is compared with what the provider had said before the hold: a message that only says that again (a
     * repeated pull, a late webhook) is UNCHANGED and must not silently erase the hold.
     */
    private boolean caseChanges(StoredCase current, CaseUpdate update) {
        StoredCase seen = current.asTheProviderLeftIt();
        return seen.status() != update.status()
                || seen.nextAction() != update.nextAction()
                || !Objects.equals(seen.providerStatus(), update.providerStatus())
                || !seen.reasons().equals(json.valueToTree(update.reasons()))
                || !seen.providerDetails().equals(json.valueToTree(update.providerDetails()))
                || (seen.customerId() == null && update.customerId() != null);
    }

    private static boolean checksChange(Map<String, CheckResult> checksBefore, CaseUpdate update) {
        return update.checks().stream().anyMatch(check -> !check.equals(checksBefore.get(check.name())));
    }

    /**
     * A provider call for the case was refused (FAILED) or ran out of attempts (DEAD), and the case would otherwise
     * wait silently: it moves to ACTION_REQUIRED / CONTACT_SUPPORT with {@code reason} first, before the provider's own
     * reasons, and the audit trail gets the event, in the caller's transaction (the one that settles the action). What
     * the provider had said of the case is kept ({@code held_from}) for {@link #apply} to compare with. A finished
     * case keeps its status: only the event is written.
     *
     * @param eventType {@link #ACTION_FAILED} or {@link #ACTION_DEAD}
     * @param reason    a code naming the call's kind and the provider's error ({@code ACTION_FAILED:UPLOAD_DOCUMENT:
     *                  HTTP_422}): never personal data, never the provider's own text
     */
    @Transactional
    public void holdForAction(UUID caseId, long actionId, String eventType, String reason) {
        StoredCase current = jdbc.query(CASE_ROW + " where id = ? for update", this::readCase, caseId).stream()
                .findFirst().orElse(null);
        if (current == null) {
            return;
        }
        CaseStatus status = current.status();
        NextAction nextAction = current.nextAction();
        if (!status.isFinished()) {
            StoredCase provider = current.asTheProviderLeftIt();
            List<String> reasons = new ArrayList<>(List.of(reason));
            provider.reasons().forEach(given -> reasons.add(given.asText()));
            Map<String, Object> heldFrom = new LinkedHashMap<>();
            heldFrom.put("status", provider.status().name());
            heldFrom.put("nextAction", provider.nextAction().name());
            heldFrom.put("reasons", provider.reasons());
            status = CaseStatus.ACTION_REQUIRED;
            nextAction = NextAction.CONTACT_SUPPORT;
            jdbc.update("""
                    update kyc_case
                    set status = ?, next_action = ?, reasons = ?::jsonb, held_by_action = ?, held_from = ?::jsonb,
                        version = version + 1, updated_at = now()
                    where id = ?""",
                    status.name(), nextAction.name(), write(reasons), actionId, write(heldFrom), caseId);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("actionId", actionId);
        detail.put("reasons", List.of(reason));
        jdbc.update("""
                insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action, detail)
                values (?, ?, ?, ?, ?, ?, ?::jsonb)""",
                caseId, eventType, current.status().name(), status.name(), current.nextAction().name(),
                nextAction.name(), write(detail));
    }

    /**
     * The call that held the case has now succeeded (replayed): the provider's next message moves the case on, even
     * one that says what the provider had said before. The case itself shows the hold until then.
     */
    public void releaseHold(UUID caseId, long actionId) {
        jdbc.update("update kyc_case set held_by_action = null, held_from = null where id = ? and held_by_action = ?",
                caseId, actionId);
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
     * @param detail what was erased and when the provider says it was; never personal data (who erased and why, in
     *               the provider's words, go to {@link #recordPersonalDetail})
     * @return the event's id
     */
    public long recordErasure(UUID caseId, String providerEvent, Long inboundMessageId, Map<String, Object> detail) {
        return jdbc.queryForObject("""
                insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action,
                                       provider_event, inbound_message_id, detail)
                select id, ?, status, status, next_action, next_action, ?, ?, ?::jsonb
                from kyc_case where id = ?
                returning id""", Long.class, ERASED, providerEvent, inboundMessageId, write(detail), caseId);
    }

    /**
     * Keeps what an event's provider said in free text or names a person by (an admin's email, a comment) beside the
     * event, in {@code kyc_event_personal}, where erasure can reach it: the append-only trail holds no personal data.
     */
    public void recordPersonalDetail(long eventId, Map<String, Object> detail) {
        if (!detail.isEmpty()) {
            jdbc.update("insert into kyc_event_personal (event_id, detail) values (?, ?::jsonb)", eventId,
                    write(detail));
        }
    }

    /**
     * The customer's data changed (profile, documents, data a provider asks for): the status pollers look again at
     * every polled case of theirs, and pass the provider's status on again even when it is the one they stored last
     * (the case's {@code inputs_changed_at}). Run it in the transaction that changed the data: a change without it
     * would wait, unseen, for the provider's status to change.
     */
    public void pollSoonForCustomer(String customerId) {
        jdbc.update("""
                update kyc_case set inputs_changed_at = now(),
                                    next_poll_at = case when next_poll_at is null then null else now() end
                where customer_id = ?""", customerId);
    }

    /**
     * One of the case's calls was answered or refused: its poller passes the provider's next status on again even
     * when it is the one it stored last, since what the hub does with it may now differ.
     */
    public void inputsChanged(UUID caseId) {
        jdbc.update("update kyc_case set inputs_changed_at = now() where id = ?", caseId);
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
            String heldFrom = row.getString("held_from");
            return new StoredCase(row.getObject("id", UUID.class), row.getString("customer_id"),
                    CaseStatus.valueOf(row.getString("status")), NextAction.valueOf(row.getString("next_action")),
                    json.readTree(row.getString("reasons")), row.getString("provider_status"),
                    json.readTree(row.getString("provider_details")),
                    updated == null ? null : updated.toInstant(), heldFrom == null ? null : json.readTree(heldFrom));
        } catch (JsonProcessingException e) {
            throw new SQLException("kyc_case holds invalid JSON", e);
        }
    }

    /** @param heldFrom what the provider had said of a case a failed call holds; null when none holds it */
    private record StoredCase(UUID id, String customerId, CaseStatus status, NextAction nextAction,
                              JsonNode reasons, String providerStatus, JsonNode providerDetails,
                              Instant providerUpdatedAt, JsonNode heldFrom) {

        /** The case as the provider's last message left it: without the hold of a failed call, if one holds it. */
        StoredCase asTheProviderLeftIt() {
            if (heldFrom == null) {
                return this;
            }
            return new StoredCase(id, customerId, CaseStatus.valueOf(heldFrom.path("status").asText()),
                    NextAction.valueOf(heldFrom.path("nextAction").asText()), heldFrom.path("reasons"),
                    providerStatus, providerDetails, providerUpdatedAt, null);
        }
    }
}
