package com.kychub.privacy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.inbound.Inbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erases personal data, the one code path for the erasure API (a customer: every case at every provider) and for
 * ARGOS's {@code delete} (one submission's case). What goes: the fintech's profile and email, every provider's
 * report, document contents and file names, WIDTH data, the personal values of raw bodies, headers and errors
 * (redacted by the provider's table, {@link ProviderRedaction}), of provider details, check details and action
 * payloads, and the personal detail beside audit events ({@code kyc_event_personal}). What stays: ids, statuses,
 * reason codes, times, and the audit chain, which holds no personal data.
 * <p>
 * A customer erased is marked ({@code customer.erased_at}), a case erased by its provider too ({@code
 * kyc_case.erased_at}): a message about either that is processed later is redacted, with what it brought to the
 * case, in the transaction that processes it ({@link #afterProcessed}). Every step touches only what still holds
 * personal data, so erasing again touches nothing and answers zeros.
 */
@Component
public class Erasure {

    /** The audit event of a customer's erasure: of the customer, not of a case; its detail is the receipt's counts. */
    public static final String ERASED = "ERASED";

    /** The tables an erasure touches, in the receipt's order. */
    public static final List<String> TABLES = List.of("customer", "provider_report", "customer_document",
            "width_customer_data", "inbound_message", "kyc_case", "kyc_check", "provider_action",
            "kyc_event_personal");

    private static final Logger log = LoggerFactory.getLogger(Erasure.class);

    /** What a customer's erasure touched: rows per table (zero where nothing was left to erase). */
    public record Receipt(String customerId, Instant erasedAt, Map<String, Integer> rows) {
    }

    private final JdbcTemplate jdbc;
    private final Inbox inbox;
    private final ProviderRedaction redaction;
    private final ObjectMapper json;

    public Erasure(JdbcTemplate jdbc, Inbox inbox, ProviderRedaction redaction, ObjectMapper json) {
        this.jdbc = jdbc;
        this.inbox = inbox;
        this.redaction = redaction;
        this.json = json;
    }

    /**
     * Erases a customer's personal data everywhere, in one transaction, and writes the {@code ERASED} event when
     * anything was erased. Empty when there is no such customer.
     */
    @Transactional
    public Optional<Receipt> eraseCustomer(String customerId) {
        List<Timestamp> found = jdbc.queryForList("select erased_at from customer where customer_id = ? for update",
                Timestamp.class, customerId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Integer> rows = eraseRows(customerId, casesOf(customerId), true);
        if (rows.values().stream().mapToInt(Integer::intValue).sum() > 0) {
            jdbc.update("insert into kyc_event (customer_id, type, detail) values (?, ?, ?::jsonb)", customerId,
                    ERASED, write(Map.of("rows", rows)));
        }
        Instant erasedAt = jdbc.queryForObject("select erased_at from customer where customer_id = ?",
                Timestamp.class, customerId).toInstant();
        log.info("Customer personal data erased: {} rows", rows.values().stream().mapToInt(Integer::intValue).sum());
        return Optional.of(new Receipt(customerId, erasedAt, rows));
    }

    /**
     * Erases one case's personal data, in the caller's transaction (ARGOS's {@code delete} of a submission): its raw
     * messages, details, checks, actions and the provider's report of its reference. The customer's profile and other
     * cases are kept, and so is the personal detail beside the case's events (the provider's record of who erased
     * it), which goes with the customer.
     *
     * @return rows touched per table
     */
    public Map<String, Integer> eraseCase(UUID caseId) {
        String customerId = jdbc.queryForObject("""
                update kyc_case set erased_at = coalesce(erased_at, now()) where id = ? returning customer_id""",
                String.class, caseId);
        return eraseRows(customerId, List.of(caseId), false);
    }

    /**
     * Called by the inbox worker in the transaction that processed a message into a case: when the case's customer
     * or the case itself was erased, the message and whatever it brought to the case are redacted before it commits.
     */
    public void afterProcessed(UUID caseId) {
        List<Map<String, Object>> found = jdbc.queryForList("""
                select k.customer_id, k.erased_at is not null as case_erased, c.erased_at is not null as customer_erased
                from kyc_case k left join customer c on c.customer_id = k.customer_id where k.id = ?""", caseId);
        if (found.isEmpty()) {
            return;
        }
        String customerId = (String) found.get(0).get("customer_id");
        if (Boolean.TRUE.equals(found.get(0).get("customer_erased"))) {
            eraseRows(customerId, casesOf(customerId), true);
        } else if (Boolean.TRUE.equals(found.get(0).get("case_erased"))) {
            eraseRows(customerId, List.of(caseId), false);
        }
    }

    private List<UUID> casesOf(String customerId) {
        return jdbc.queryForList("select id from kyc_case where customer_id = ? order by created_at", UUID.class,
                customerId);
    }

    /**
     * The erasure itself. Values known to be personal are gathered first (profile, reports, WIDTH data, file names),
     * so that headers and errors quoting them are found too.
     */
    private Map<String, Integer> eraseRows(String customerId, List<UUID> caseIds, boolean wholeCustomer) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        TABLES.forEach(table -> rows.put(table, 0));
        UUID[] cases = caseIds.toArray(UUID[]::new);
        List<String> values = new ArrayList<>();

        List<String> reports = wholeCustomer
                ? jdbc.queryForList("delete from provider_report where customer_id = ? returning fields::text",
                        String.class, customerId)
                : jdbc.queryForList("""
                        delete from provider_report r using kyc_case k
                        where k.id = any(?) and r.provider = k.provider and r.provider_ref = k.provider_ref
                        returning r.fields::text""", String.class, (Object) cases);
        reports.forEach(text -> collectText(text, values));
        rows.put("provider_report", reports.size());

        List<String> references = new ArrayList<>(jdbc.queryForList(
                "select provider_ref from kyc_case where id = any(?)", String.class, (Object) cases));
        if (wholeCustomer) {
            jdbc.queryForList("select personal_data::text from customer where customer_id = ?", String.class,
                    customerId).forEach(text -> collectText(text, values));
            jdbc.queryForList("select email from customer where customer_id = ? and email is not null", String.class,
                    customerId).forEach(values::add);
            List<String> widthData = jdbc.queryForList(
                    "delete from width_customer_data where customer_id = ? returning data::text", String.class,
                    customerId);
            widthData.forEach(text -> collectText(text, values));
            rows.put("width_customer_data", widthData.size());
            List<String> fileNames = jdbc.queryForList("""
                    update customer_document d set content = ''::bytea, file_name = ?, sha256 = '',
                                                   erased_at = now()
                    from customer_document before
                    where d.id = before.id and d.customer_id = ? and d.erased_at is null
                    returning before.file_name""", String.class, Redaction.MARK, customerId);
            values.addAll(fileNames);
            rows.put("customer_document", fileNames.size());
            references.addAll(jdbc.queryForList(
                    "select provider_customer_id from provider_customer where customer_id = ?", String.class,
                    customerId));
            references.add(customerId);
        }

        int messages = 0;
        for (Inbox.StoredMessage message : inbox.lockForErasure(caseIds, references)) {
            inbox.rewrite(redaction.message(message, values));
            messages++;
        }
        rows.put("inbound_message", messages);

        int details = 0;
        for (Map<String, Object> row : jdbc.queryForList(
                "select id, provider, provider_details::text as details from kyc_case where id = any(?)",
                (Object) cases)) {
            String redacted = redacted((String) row.get("provider"), (String) row.get("details"), values);
            if (redacted != null) {
                details += jdbc.update("update kyc_case set provider_details = ?::jsonb where id = ?", redacted,
                        row.get("id"));
            }
        }
        rows.put("kyc_case", details);

        int checks = 0;
        for (Map<String, Object> row : jdbc.queryForList("""
                select c.case_id, c.name, k.provider, c.detail::text as detail
                from kyc_check c join kyc_case k on k.id = c.case_id where c.case_id = any(?)""", (Object) cases)) {
            String redacted = redacted((String) row.get("provider"), (String) row.get("detail"), values);
            if (redacted != null) {
                checks += jdbc.update("update kyc_check set detail = ?::jsonb where case_id = ? and name = ?",
                        redacted, row.get("case_id"), row.get("name"));
            }
        }
        rows.put("kyc_check", checks);

        int actions = 0;
        List<Map<String, Object>> ofActions = wholeCustomer
                ? jdbc.queryForList("""
                        select id, provider, payload::text as payload, last_error from provider_action
                        where customer_id = ? for update""", customerId)
                : jdbc.queryForList("""
                        select id, provider, payload::text as payload, last_error from provider_action
                        where case_id = any(?) for update""", (Object) cases);
        for (Map<String, Object> row : ofActions) {
            String redacted = redacted((String) row.get("provider"), (String) row.get("payload"), values);
            String lastError = (String) row.get("last_error");
            boolean errorQuotes = Redaction.containsAny(lastError, values);
            if (redacted != null || errorQuotes) {
                actions += jdbc.update("update provider_action set payload = coalesce(?::jsonb, payload), "
                        + "last_error = ? where id = ?", redacted, errorQuotes ? Redaction.MARK : lastError,
                        row.get("id"));
            }
        }
        if (wholeCustomer) {
            // A call still planned would send the provider what is no longer held: it is not made.
            jdbc.update("""
                    update provider_action set state = 'FAILED', last_error = 'the customer''s personal data was erased'
                    where customer_id = ? and state = 'PENDING'""", customerId);
        }
        rows.put("provider_action", actions);

        if (wholeCustomer) {
            // Only with the customer: what a provider said beside an event of one case (ARGOS's admin and comment on
            // delete) is the record of that case's erasure, not data the case's messages brought.
            rows.put("kyc_event_personal", jdbc.update("""
                    delete from kyc_event_personal p using kyc_event e
                    where p.event_id = e.id and (e.case_id = any(?) or e.customer_id = ?)""", cases, customerId));
            // What the customer's cases' next steps depend on changed: their pollers pass the status on again.
            jdbc.update("update kyc_case set inputs_changed_at = now() where customer_id = ?", customerId);
            rows.put("customer", jdbc.update("""
                    update customer set personal_data = '{}'::jsonb, email = null,
                                        erased_at = coalesce(erased_at, now()), updated_at = now()
                    where customer_id = ? and (personal_data <> '{}'::jsonb or email is not null or erased_at is null)""",
                    customerId));
        }
        return rows;
    }

    /** The details redacted by the provider's table, or null when they hold nothing personal. */
    private String redacted(String provider, String text, List<String> values) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode details = json.readTree(text);
            JsonNode redacted = redaction.details(provider, details, values);
            return redacted.equals(details) ? null : json.writeValueAsString(redacted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored details are not JSON", e);
        }
    }

    private void collectText(String text, List<String> values) {
        try {
            collect(json.readTree(text), values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored personal data is not JSON", e);
        }
    }

    private static void collect(JsonNode node, List<String> values) {
        if (node.isValueNode() && !node.isNull() && !node.isBoolean()) {
            values.add(node.asText());
        }
        node.elements().forEachRemaining(child -> collect(child, values));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an erasure event", e);
        }
    }
}
