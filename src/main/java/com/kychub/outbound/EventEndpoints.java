package com.kychub.outbound;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code event_endpoint} table: where outbound events go. Webhook endpoints are the fintech's, managed through
 * {@code /api/v1/event-endpoints}; the one RABBITMQ endpoint is the hub's own (kept from its configuration). Secrets
 * leave this class only in {@link Secrets}, never in a {@link View}.
 */
@Component
public class EventEndpoints {

    public static final String WEBHOOK = "WEBHOOK";
    public static final String RABBITMQ = "RABBITMQ";

    /** An endpoint as operators see it; {@code secret} is set only in the answer that creates it. */
    @Schema(name = "EventEndpoint")
    public record View(UUID id, String kind, String url, String description, List<String> eventTypes,
                       List<String> providers, boolean enabled, String disabledReason, Instant disabledAt,
                       Instant failingSince, Instant createdAt, Instant updatedAt, String secret) {

        View withSecret(String value) {
            return new View(id, kind, url, description, eventTypes, providers, enabled, disabledReason, disabledAt,
                    failingSince, createdAt, updatedAt, value);
        }
    }

    /**
     * An endpoint's signing secrets: the current one, and the previous one while it still signs beside it (a
     * rotation's grace period).
     */
    public record Secrets(UUID id, String secret, String previousSecret, Instant previousSecretUntil) {
    }

    /** What a PATCH changes: null fields stay as they are. */
    public record Change(String url, String description, List<String> eventTypes, List<String> providers,
                         Boolean enabled) {
    }

    private static final String VIEW = """
            select id, kind, url, description, event_types, providers, enabled, disabled_reason, disabled_at,
                   failing_since, created_at, updated_at
            from event_endpoint""";

    private final JdbcTemplate jdbc;

    public EventEndpoints(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new webhook endpoint with a new secret; the answer is the only view that carries it. */
    public View create(String url, String description, List<String> eventTypes, List<String> providers,
                       boolean enabled) {
        String secret = WebhookSecrets.newSecret();
        View created = jdbc.queryForObject("""
                insert into event_endpoint (kind, url, description, event_types, providers, enabled, disabled_reason,
                                            disabled_at, secret)
                values ('WEBHOOK', ?, ?, ?, ?, ?, case when ? then null else 'OPERATOR' end,
                        case when ? then null else now() end, ?)
                returning id, kind, url, description, event_types, providers, enabled, disabled_reason, disabled_at,
                          failing_since, created_at, updated_at""",
                EventEndpoints::view, url, description, eventTypes.toArray(String[]::new),
                providers.toArray(String[]::new), enabled, enabled, enabled, secret);
        return created.withSecret(secret);
    }

    public List<View> list() {
        return jdbc.query(VIEW + " order by created_at, id", EventEndpoints::view);
    }

    public Optional<View> find(UUID id) {
        return jdbc.query(VIEW + " where id = ?", EventEndpoints::view, id).stream().findFirst();
    }

    /** The webhook endpoint with that URL, the oldest if several: how the sandbox finds its receiver again. */
    public Optional<UUID> findWebhook(String url) {
        return jdbc.queryForList("select id from event_endpoint where kind = 'WEBHOOK' and url = ? "
                + "order by created_at, id limit 1", UUID.class, url).stream().findFirst();
    }

    /**
     * Applies the change. Enabling a disabled endpoint clears why it was disabled and its run of failures (it starts
     * afresh); disabling an enabled one says the operator did it. Empty when there is no such endpoint.
     */
    public Optional<View> update(UUID id, Change change) {
        int updated = jdbc.update("""
                update event_endpoint set
                    url = coalesce(?, url),
                    description = coalesce(?, description),
                    event_types = coalesce(?, event_types),
                    providers = coalesce(?, providers),
                    disabled_reason = case when change.enable is null or change.enable = enabled then disabled_reason
                                           when change.enable then null else 'OPERATOR' end,
                    disabled_at = case when change.enable is null or change.enable = enabled then disabled_at
                                       when change.enable then null else now() end,
                    failing_since = case when change.enable and not enabled then null else failing_since end,
                    enabled = coalesce(change.enable, enabled),
                    updated_at = now()
                from (select ?::boolean as enable) change
                where id = ?""",
                change.url(), change.description(), array(change.eventTypes()), array(change.providers()),
                change.enabled(), id);
        return updated == 0 ? Optional.empty() : find(id);
    }

    /** Deletes a webhook endpoint and its deliveries; false when there is no webhook endpoint with that id. */
    public boolean delete(UUID id) {
        return jdbc.update("delete from event_endpoint where id = ? and kind = 'WEBHOOK'", id) == 1;
    }

    /** The endpoint's secrets; the previous one only while it still signs. */
    public Optional<Secrets> secrets(UUID id) {
        return jdbc.query("""
                select id, secret,
                       case when previous_secret_until > now() then previous_secret end as previous_secret,
                       case when previous_secret_until > now() then previous_secret_until end as previous_secret_until
                from event_endpoint where id = ?""", EventEndpoints::secrets, id).stream().findFirst();
    }

    /**
     * Gives the endpoint a new secret; the current one keeps signing beside it until {@code previousUntil}. A
     * rotation during another's grace period ends that one: only the secret being replaced is kept.
     */
    public Optional<Secrets> rotate(UUID id, Instant previousUntil) {
        return jdbc.query("""
                update event_endpoint
                set previous_secret = secret, previous_secret_until = ?, secret = ?, updated_at = now()
                where id = ?
                returning id, secret, previous_secret, previous_secret_until""",
                EventEndpoints::secrets, Timestamp.from(previousUntil), WebhookSecrets.newSecret(), id)
                .stream().findFirst();
    }

    private static String[] array(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }

    private static View view(ResultSet row, int number) throws SQLException {
        return new View(row.getObject("id", UUID.class), row.getString("kind"), row.getString("url"),
                row.getString("description"), strings(row.getArray("event_types")),
                strings(row.getArray("providers")), row.getBoolean("enabled"), row.getString("disabled_reason"),
                instant(row, "disabled_at"), instant(row, "failing_since"), instant(row, "created_at"),
                instant(row, "updated_at"), null);
    }

    private static Secrets secrets(ResultSet row, int number) throws SQLException {
        return new Secrets(row.getObject("id", UUID.class), row.getString("secret"), row.getString("previous_secret"),
                instant(row, "previous_secret_until"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp time = row.getTimestamp(column);
        return time == null ? null : time.toInstant();
    }
}
