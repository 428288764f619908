package com.kychub.provider.width;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CanonicalStore;
import com.kychub.canonical.Customers;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the hub holds for WIDTH's nodes, per customer and kind ({@code particulars}, {@code identity-document},
 * {@code liveness}, {@code documents}, {@code forms}, {@code otp}, {@code ocr-result}): personal data in
 * {@code width_customer_data}, read at call time, never copied into a case, an event or a log. When a kind was last
 * handed over ({@link #version}) names the submissions it feeds, so each new datum is submitted once; the customer's
 * requests for a new OTP ({@link #OTP_RESEND}) are kept the same way, without data.
 */
@Component
public class WidthData {

    public static final List<String> KINDS = List.of("particulars", "identity-document", "liveness", "documents",
            "forms");
    /** The kind of the customer's requests for a new OTP: when the last one was made is all it holds. */
    public static final String OTP_RESEND = "otp-resend";

    private final JdbcTemplate jdbc;
    private final Customers customers;
    private final CanonicalStore store;
    private final ObjectMapper json;

    public WidthData(JdbcTemplate jdbc, Customers customers, CanonicalStore store, ObjectMapper json) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.store = store;
        this.json = json;
    }

    /**
     * Replaces what is held of that kind; the customer row is created bare when missing. The same data handed over
     * again is no new datum: nothing is written, its version stays, and nothing is submitted again. New data makes the
     * customer's WIDTH execution looked at again and its status passed on again ({@link CanonicalStore#pollSoonForCustomer}),
     * in the same transaction, so that no datum waits unseen for WIDTH's status to change.
     *
     * @return whether the data is new (stored), false when it is what the hub held already
     */
    @Transactional
    public boolean put(String customerId, String kind, JsonNode data) {
        customers.ensure(customerId);
        boolean stored = jdbc.update("""
                insert into width_customer_data (customer_id, kind, data) values (?, ?, ?::jsonb)
                on conflict (customer_id, kind) do update set data = excluded.data, updated_at = now()
                where width_customer_data.data is distinct from excluded.data""",
                customerId, kind, write(data)) == 1;
        if (stored) {
            store.pollSoonForCustomer(customerId);
        }
        return stored;
    }

    /** Records that the customer asked for a new OTP, now: each request is new (and seen as {@link #put} says). */
    @Transactional
    public void requestOtpResend(String customerId) {
        customers.ensure(customerId);
        jdbc.update("""
                insert into width_customer_data (customer_id, kind, data) values (?, ?, '{}'::jsonb)
                on conflict (customer_id, kind) do update set updated_at = now()""", customerId, OTP_RESEND);
        store.pollSoonForCustomer(customerId);
    }

    public Optional<JsonNode> get(String customerId, String kind) {
        return jdbc.queryForList("select data from width_customer_data where customer_id = ? and kind = ?",
                String.class, customerId, kind).stream().findFirst().map(this::read);
    }

    /** When that kind was last handed over: names the submissions it feeds (an OTP code, a new version). */
    public Optional<Instant> updatedAt(String customerId, String kind) {
        return jdbc.queryForList("select updated_at from width_customer_data where customer_id = ? and kind = ?",
                Timestamp.class, customerId, kind).stream().findFirst().map(Timestamp::toInstant);
    }

    /**
     * The version of what is held of that kind: when it was last handed over, in epoch milliseconds (the database's
     * clock, as {@link #databaseNowMillis}); empty when none is held.
     */
    public Optional<Long> version(String customerId, String kind) {
        return updatedAt(customerId, kind).map(Instant::toEpochMilli);
    }

    /**
     * The database's clock now, in epoch milliseconds: the clock that stamps what is handed over, so that the two can
     * be compared (an OTP code newer than the OTP request).
     */
    public long databaseNowMillis() {
        return jdbc.queryForObject("select (extract(epoch from clock_timestamp()) * 1000)::bigint", Long.class);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("width_customer_data.data is not JSON", e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise", e);
        }
    }
}
