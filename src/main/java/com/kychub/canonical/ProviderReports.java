package com.kychub.canonical;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What providers reported about a customer (PII), one row per provider and reference in {@code provider_report}:
 * apart from the fintech's profile ({@code customer.personal_data}, {@code customer.email}), which is the only
 * personal data ever sent to a provider. A report is never sent to another provider, never copied into a case, an
 * event or a log, and is erased with its customer ({@code DELETE /api/v1/customers/{id}/personal-data}) or with its
 * reference (ARGOS's {@code delete}).
 */
@Component
public class ProviderReports {

    /** One provider reference's report: when it was current and its fields. */
    public record Report(String provider, String providerRef, String customerId, Instant asOf,
                         Map<String, Object> fields) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ProviderReports(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Merges what one message says into the reference's report, in the caller's transaction. A message at least as
     * new as what is held (or without a time) overwrites the fields it carries; an older one only fills fields not
     * held yet. Nothing is recorded about a customer whose personal data was erased.
     *
     * @param fields the personal fields the message carries
     * @param asOf   when the message says its data was current, or null
     */
    public void record(String customerId, String provider, String providerRef, Map<String, Object> fields,
                       Instant asOf) {
        Objects.requireNonNull(customerId, "customerId");
        if (fields.isEmpty()) {
            return;
        }
        jdbc.update("insert into customer (customer_id) values (?) on conflict do nothing", customerId);
        if (jdbc.queryForObject("select erased_at is not null from customer where customer_id = ?", Boolean.class,
                customerId)) {
            return;
        }
        jdbc.update("""
                insert into provider_report (provider, provider_ref, customer_id) values (?, ?, ?)
                on conflict do nothing""", provider, providerRef, customerId);
        Report held = lock(provider, providerRef);
        Map<String, Object> merged = new LinkedHashMap<>(held.fields());
        boolean newer = asOf == null || held.asOf() == null || !asOf.isBefore(held.asOf());
        fields.forEach((name, value) -> {
            if (newer || !merged.containsKey(name)) {
                merged.put(name, value);
            }
        });
        Instant keptAsOf = newer && asOf != null ? asOf : held.asOf();
        jdbc.update("""
                update provider_report set customer_id = ?, fields = ?::jsonb, as_of = ?, updated_at = now()
                where provider = ? and provider_ref = ?""", customerId, write(merged),
                keptAsOf == null ? null : java.sql.Timestamp.from(keptAsOf), provider, providerRef);
    }

    private Report lock(String provider, String providerRef) {
        return jdbc.queryForObject("""
                select provider, provider_ref, customer_id, as_of, fields::text as fields from provider_report
                where provider = ? and provider_ref = ? for update""", (row, n) -> read(row), provider, providerRef);
    }

    private Report read(java.sql.ResultSet row) throws java.sql.SQLException {
        java.sql.Timestamp asOf = row.getTimestamp("as_of");
        try {
            return new Report(row.getString("provider"), row.getString("provider_ref"), row.getString("customer_id"),
                    asOf == null ? null : asOf.toInstant(),
                    json.readValue(row.getString("fields"), new TypeReference<LinkedHashMap<String, Object>>() { }));
        } catch (JsonProcessingException e) {
            throw new java.sql.SQLException("provider_report.fields is not a JSON object", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a report cannot be serialised", e);
        }
    }
}
