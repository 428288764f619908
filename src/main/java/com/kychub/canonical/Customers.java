package com.kychub.canonical;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The fintech's customers as the hub holds them: email and profile (the provider-shaped {@code kyc} object, PII,
 * never logged) and the documents handed over for upload, plus which provider-side customer is which. The email and
 * the profile are the fintech's only, the only personal data sent to providers; what providers report is kept apart
 * ({@link ProviderReports}).
 */
@Component
public class Customers {

    public record Document(long id, String customerId, String type, String fileName, String contentType,
                           String sha256, byte[] content) {
    }

    /** A provider's customer id linked to the fintech's, with the provider reference of the current case. */
    public record ProviderLink(String provider, String providerCustomerId, String customerId, String currentRef) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public Customers(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public boolean exists(String customerId) {
        return !jdbc.queryForList("select 1 from customer where customer_id = ?", Integer.class, customerId).isEmpty();
    }

    /** Whether the customer's personal data was erased ({@code DELETE /api/v1/customers/{id}/personal-data}). */
    public boolean erased(String customerId) {
        return !jdbc.queryForList("select 1 from customer where customer_id = ? and erased_at is not null",
                Integer.class, customerId).isEmpty();
    }

    /** Creates the customer bare (no data) when missing: what a provider reports about a customer needs the row. */
    public void ensure(String customerId) {
        jdbc.update("insert into customer (customer_id) values (?) on conflict do nothing", customerId);
    }

    /** Creates the customer, or answers false when one with that id exists. */
    public boolean create(String customerId, String email, JsonNode kyc) {
        return jdbc.update("""
                insert into customer (customer_id, email, personal_data) values (?, ?, ?::jsonb)
                on conflict (customer_id) do nothing""", customerId, email, write(kyc == null ? json.createObjectNode() : kyc)) == 1;
    }

    /** Sets the email when given and merges the given {@code kyc} fields over the ones held (top level). */
    public boolean update(String customerId, String email, JsonNode kyc) {
        return jdbc.update("""
                update customer set email = coalesce(?, email), personal_data = personal_data || ?::jsonb,
                                    updated_at = now()
                where customer_id = ? and erased_at is null""", email,
                write(kyc == null ? json.createObjectNode() : kyc), customerId) == 1;
    }

    public Optional<String> email(String customerId) {
        return jdbc.queryForList("select email from customer where customer_id = ?", String.class, customerId)
                .stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** The customer's {@code kyc} object as the fintech gave it (empty when none): nothing a provider reported. */
    public ObjectNode kyc(String customerId) {
        List<String> rows = jdbc.queryForList("select personal_data from customer where customer_id = ?",
                String.class, customerId);
        try {
            return rows.isEmpty() ? json.createObjectNode() : (ObjectNode) json.readTree(rows.get(0));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("customer.personal_data is not a JSON object", e);
        }
    }

    /** Top-level fields of the held {@code kyc} object that have a value. */
    public Set<String> heldKycFields(String customerId) {
        Set<String> fields = new LinkedHashSet<>();
        ObjectNode kyc = kyc(customerId);
        kyc.fieldNames().forEachRemaining(name -> {
            JsonNode value = kyc.get(name);
            if (value != null && !value.isNull() && !(value.isTextual() && value.asText().isBlank())) {
                fields.add(name);
            }
        });
        return fields;
    }

    public long addDocument(String customerId, String type, String fileName, String contentType, byte[] content) {
        return jdbc.queryForObject("""
                with document (content) as (select ?::bytea)
                insert into customer_document (customer_id, type, file_name, content_type, content, sha256)
                select ?, ?, ?, ?, content, encode(sha256(content), 'hex') from document
                returning id""", Long.class, content, customerId, type, fileName, contentType);
    }

    /** The newest document id of each type the hub holds for the customer. */
    public Map<String, Long> heldDocuments(String customerId) {
        Map<String, Long> held = new LinkedHashMap<>();
        jdbc.query("select type, max(id) as id from customer_document where customer_id = ? group by type order by type",
                row -> {
                    held.put(row.getString("type"), row.getLong("id"));
                }, customerId);
        return held;
    }

    /** When the customer's data (profile or documents) last changed: provider actions are named after it. */
    public Instant dataChangedAt(String customerId) {
        return jdbc.queryForObject("""
                select greatest(c.updated_at, (select max(created_at) from customer_document d
                                               where d.customer_id = c.customer_id))
                from customer c where c.customer_id = ?""", Timestamp.class, customerId).toInstant();
    }

    /** When the customer row (email, profile) last changed, documents aside. */
    public Optional<Instant> updatedAt(String customerId) {
        return jdbc.queryForList("select updated_at from customer where customer_id = ?", Timestamp.class, customerId)
                .stream().findFirst().map(Timestamp::toInstant);
    }

    /** The newest document of that type. */
    public Optional<Document> latestDocument(String customerId, String type) {
        return jdbc.query("""
                select id, customer_id, type, file_name, content_type, sha256, content from customer_document
                where customer_id = ? and type = ? order by id desc limit 1""",
                (row, n) -> new Document(row.getLong("id"), row.getString("customer_id"), row.getString("type"),
                        row.getString("file_name"), row.getString("content_type"), row.getString("sha256"),
                        row.getBytes("content")), customerId, type).stream().findFirst();
    }

    public Optional<ProviderLink> linkByProviderId(String provider, String providerCustomerId) {
        return jdbc.query("""
                select provider, provider_customer_id, customer_id, current_ref from provider_customer
                where provider = ? and provider_customer_id = ?""", this::readLink, provider, providerCustomerId)
                .stream().findFirst();
    }

    public Optional<ProviderLink> linkByCustomer(String provider, String customerId) {
        return jdbc.query("""
                select provider, provider_customer_id, customer_id, current_ref from provider_customer
                where provider = ? and customer_id = ?""", this::readLink, provider, customerId).stream().findFirst();
    }

    /** Links a provider's customer id to the fintech's customer (created bare if missing); idempotent. */
    public ProviderLink link(String provider, String providerCustomerId, String customerId, String currentRef) {
        ensure(customerId);
        jdbc.update("""
                insert into provider_customer (provider, provider_customer_id, customer_id, current_ref)
                values (?, ?, ?, ?) on conflict do nothing""", provider, providerCustomerId, customerId, currentRef);
        return linkByProviderId(provider, providerCustomerId).orElseThrow(() -> new IllegalStateException(
                "customer " + customerId + " is already linked to another " + provider + " customer"));
    }

    /**
     * Moves a provider's customer id to the fintech's customer it really is (created bare if missing), with the
     * provider reference of their current case: corrects a link made before the hub knew whose id it was. The link
     * stays one row; a customer already linked to another id of that provider is refused by the unique key.
     */
    public ProviderLink relink(String provider, String providerCustomerId, String customerId, String currentRef) {
        ensure(customerId);
        jdbc.update("""
                update provider_customer set customer_id = ?, current_ref = ?
                where provider = ? and provider_customer_id = ?""", customerId, currentRef, provider, providerCustomerId);
        return linkByProviderId(provider, providerCustomerId).orElseThrow(() -> new IllegalStateException(
                "no " + provider + " customer " + providerCustomerId + " to relink"));
    }

    public void setCurrentRef(String provider, String providerCustomerId, String currentRef) {
        jdbc.update("update provider_customer set current_ref = ? where provider = ? and provider_customer_id = ?",
                currentRef, provider, providerCustomerId);
    }

    private ProviderLink readLink(java.sql.ResultSet row, int n) throws java.sql.SQLException {
        return new ProviderLink(row.getString("provider"), row.getString("provider_customer_id"),
                row.getString("customer_id"), row.getString("current_ref"));
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise", e);
        }
    }
}
