package com.kychub.canonical;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The customer's personal data (PII), kept on the customer row only: {@code customer.email} and
 * {@code customer.personal_data}, which holds what each provider said for each of its references:
 * <pre>{"argos": {"&lt;submission_id&gt;": {"asOf": "2025-...Z", "fields": {"fullName": ..., ...}}}}</pre>
 * Keeping the source of every value is what lets one submission's data be erased without touching another's.
 * Never copied into a case, an event or a log.
 */
@Component
public class PersonalData {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public PersonalData(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Merges what one message says into the customer row, in the caller's transaction. A message at least as new as
     * what is held (or without a time) overwrites the fields it carries; an older one only fills fields not held yet.
     *
     * @param fields the personal fields the message carries (email among them, when it has one)
     * @param asOf   when the message says its data was current, or null
     */
    public void record(String customerId, String provider, String providerRef, Map<String, Object> fields,
                       Instant asOf) {
        if (fields.isEmpty()) {
            return;
        }
        Map<String, Object> all = lock(customerId);
        Map<String, Object> ofProvider = childMap(all, provider);
        Map<String, Object> entry = childMap(ofProvider, providerRef);
        Map<String, Object> held = childMap(entry, "fields");
        Instant heldAsOf = entry.get("asOf") == null ? null : Instant.parse((String) entry.get("asOf"));
        boolean newer = asOf == null || heldAsOf == null || !asOf.isBefore(heldAsOf);
        fields.forEach((name, value) -> {
            if (newer || !held.containsKey(name)) {
                held.put(name, value);
            }
        });
        if (newer && asOf != null) {
            entry.put("asOf", asOf.toString());
        }
        String email = jdbc.queryForObject("select email from customer where customer_id = ?", String.class,
                customerId);
        if (fields.get("email") instanceof String given && (newer || email == null)) {
            email = given;
        }
        jdbc.update("update customer set personal_data = ?::jsonb, email = ?, updated_at = now() where customer_id = ?",
                write(all), email, customerId);
    }

    /**
     * Removes everything held for one provider reference, in the caller's transaction. When the customer's email
     * was one of its values, it becomes the email of the most recent reference still held, or none.
     *
     * @return the text values removed, so that copies of them elsewhere (raw messages) can be found
     */
    public List<String> erase(String customerId, String provider, String providerRef) {
        Map<String, Object> all = lock(customerId);
        Map<String, Object> ofProvider = childMap(all, provider);
        Object removed = ofProvider.remove(providerRef);
        if (ofProvider.isEmpty()) {
            all.remove(provider);
        }
        List<String> values = new ArrayList<>();
        if (removed != null) {
            collectText(json.valueToTree(removed).get("fields"), values);
        }
        String email = jdbc.queryForObject("select email from customer where customer_id = ?", String.class,
                customerId);
        if (email != null && values.contains(email)) {
            email = latestEmail(all);
        }
        jdbc.update("update customer set personal_data = ?::jsonb, email = ?, updated_at = now() where customer_id = ?",
                write(all), email, customerId);
        return values;
    }

    private Map<String, Object> lock(String customerId) {
        Objects.requireNonNull(customerId, "customerId");
        jdbc.update("insert into customer (customer_id) values (?) on conflict do nothing", customerId);
        String text = jdbc.queryForObject("select personal_data from customer where customer_id = ? for update",
                String.class, customerId);
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("customer.personal_data is not a JSON object", e);
        }
    }

    /** The email of the most recent reference still held, by its asOf (one without a time counts as oldest). */
    private String latestEmail(Map<String, Object> all) {
        String latest = null;
        Instant latestAsOf = null;
        for (JsonNode ofProvider : json.valueToTree(all)) {
            for (JsonNode entry : ofProvider) {
                JsonNode email = entry.at("/fields/email");
                Instant asOf = entry.hasNonNull("asOf") ? Instant.parse(entry.get("asOf").asText()) : Instant.MIN;
                if (email.isTextual() && (latest == null || !asOf.isBefore(latestAsOf))) {
                    latest = email.asText();
                    latestAsOf = asOf;
                }
            }
        }
        return latest;
    }

    static void collectText(JsonNode node, List<String> values) {
        if (node == null) {
            return;
        }
        if (node.isValueNode() && !node.isNull()) {
            values.add(node.asText());
        }
        node.elements().forEachRemaining(child -> collectText(child, values));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> childMap(Map<String, Object> parent, String name) {
        Object child = parent.get(name);
        if (child instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(name, created);
        return created;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("personal data cannot be serialised", e);
        }
    }
}
