package com.kychub.canonical;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The read side of the canonical store, for the hub API and the operators' views of it. */
@Component
public class CaseQueries {

    /** The finished statuses, as the stalled-case queries bind them. */
    private static final String[] FINISHED = Arrays.stream(CaseStatus.values()).filter(CaseStatus::isFinished)
            .map(Enum::name).toArray(String[]::new);

    private static final String CASE_COLUMNS = """
            select id, customer_id, provider, provider_ref, status, next_action, reasons, provider_status,
                   provider_details, created_at, updated_at
            from kyc_case""";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public CaseQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<CaseView> findCase(UUID id) {
        return withChecks(jdbc.query(CASE_COLUMNS + " where id = ?", this::readCase, id)).stream().findFirst();
    }

    /**
     * The cases of a provider with that reference (one at most: the pair is unique), as the providers' processing
     * looks them up: a statement of its own, planned for the unique index, not the API's list with its many filters.
     */
    public List<CaseView> findCases(String provider, String providerRef, int limit) {
        StringBuilder sql = new StringBuilder(CASE_COLUMNS).append(" where true");
        List<Object> arguments = new ArrayList<>();
        if (provider != null) {
            sql.append(" and provider = ?");
            arguments.add(provider);
        }
        if (providerRef != null) {
            sql.append(" and provider_ref = ?");
            arguments.add(providerRef);
        }
        sql.append(" order by updated_at desc, id limit ?");
        arguments.add(limit);
        return withChecks(jdbc.query(sql.toString(), this::readCase, arguments.toArray()));
    }

    /** Where a list of cases ordered by (updated_at, id), newest first, goes on from. */
    public record CaseKey(Instant updatedAt, UUID id) {
    }

    /**
     * One filter as one statement: each condition holds when its parameter is null, so the filters combine freely and
     * the query text stays one. PostgreSQL plans each execution with its values (a null's condition drops out), and
     * keeps doing so: this statement's generic plan is a sequential scan, dearer than any of them. The order
     * (updated_at, id) descending, the one the cursor continues, reads V18's indexes backwards.
     */
    private static final String FILTERED = """
             where (?::text is null or status = ?)
               and (?::text is null or next_action = ?)
               and (?::text is null or provider = ?)
               and (?::text is null or customer_id = ?)
               and (?::text is null or provider_ref = ?)
               and (?::text is null or customer_id = ? or provider_ref = ?)
               and (?::timestamptz is null or updated_at >= ?)
               and (?::bigint is null or (updated_at <= now() - ? * interval '1 millisecond' and status <> all (?)))""";

    /**
     * The cases the filter lets through, newest change first ({@code updated_at}, then id, both descending), after
     * {@code after} if given, at most {@code limit}.
     */
    public List<CaseView> findCases(CaseFilter filter, CaseKey after, int limit) {
        List<Object> arguments = filterArguments(filter);
        Timestamp afterTime = after == null ? null : Timestamp.from(after.updatedAt());
        arguments.addAll(Arrays.asList(afterTime, afterTime, after == null ? null : after.id()));
        arguments.add(limit);
        return withChecks(jdbc.query(CASE_COLUMNS + "\n" + FILTERED + """

                  and (?::timestamptz is null or (updated_at, id) < (?, ?))
                order by updated_at desc, id desc
                limit ?""", this::readCase, arguments.toArray()));
    }

    /** How many cases the filter lets through, per status; every status is there, 0 when none. */
    public Map<CaseStatus, Long> countCases(CaseFilter filter) {
        Map<CaseStatus, Long> counts = new EnumMap<>(CaseStatus.class);
        Arrays.stream(CaseStatus.values()).forEach(status -> counts.put(status, 0L));
        jdbc.query("select status, count(*) as n from kyc_case\n" + FILTERED + "\ngroup by status",
                row -> {
                    counts.put(CaseStatus.valueOf(row.getString("status")), row.getLong("n"));
                }, filterArguments(filter).toArray());
        return counts;
    }

    private static List<Object> filterArguments(CaseFilter filter) {
        String status = filter.status() == null ? null : filter.status().name();
        String nextAction = filter.nextAction() == null ? null : filter.nextAction().name();
        Timestamp since = filter.updatedSince() == null ? null : Timestamp.from(filter.updatedSince());
        Long stalledMillis = filter.stalledFor() == null ? null : filter.stalledFor().toMillis();
        return new ArrayList<>(Arrays.asList(status, status, nextAction, nextAction,
                filter.provider(), filter.provider(), filter.customerId(), filter.customerId(),
                filter.providerRef(), filter.providerRef(), filter.search(), filter.search(), filter.search(),
                since, since, stalledMillis, stalledMillis, FINISHED));
    }

    /** How many cases have been stalled for at least {@code stalledFor}, per provider and status (none: absent). */
    public List<StalledCount> countStalled(Duration stalledFor) {
        return jdbc.query("""
                select provider, status, count(*) as n from kyc_case
                where updated_at <= now() - ? * interval '1 millisecond' and status <> all (?)
                group by provider, status""",
                (row, n) -> new StalledCount(row.getString("provider"), CaseStatus.valueOf(row.getString("status")),
                        row.getLong("n")), stalledFor.toMillis(), FINISHED);
    }

    public record StalledCount(String provider, CaseStatus status, long cases) {
    }

    /**
     * The case of (provider, providerRef), locked for the caller's transaction, without its checks; empty when there is
     * none yet. For a provider whose messages say only what changed (ARGOS's aml, updated, delete): its mapping needs
     * the case as it stands to write the whole next one, and no other message of the case may move it in between.
     */
    public Optional<CaseView> lockCase(String provider, String providerRef) {
        return jdbc.query(CASE_COLUMNS + " where provider = ? and provider_ref = ? for update", this::readCase,
                provider, providerRef).stream().findFirst();
    }

    public List<CaseView> casesOfCustomer(String customerId) {
        return withChecks(jdbc.query(CASE_COLUMNS + " where customer_id = ? order by updated_at desc, id",
                this::readCase, customerId));
    }

    /** The customer's most recent case at the provider that is still open (not started, in progress, waiting). */
    public Optional<UUID> openCase(String provider, String customerId) {
        return jdbc.queryForList("""
                select id from kyc_case where provider = ? and customer_id = ?
                  and status in ('NOT_STARTED', 'IN_PROGRESS', 'ACTION_REQUIRED')
                order by created_at desc limit 1""", UUID.class, provider, customerId).stream().findFirst();
    }

    /** The inbox messages the case's audit events name. */
    public List<Long> eventMessageIds(UUID caseId) {
        return jdbc.queryForList("""
                select distinct inbound_message_id from kyc_event
                where case_id = ? and inbound_message_id is not null""", Long.class, caseId);
    }

    public boolean customerExists(String customerId) {
        return !jdbc.queryForList("select 1 from customer where customer_id = ?", Integer.class, customerId).isEmpty();
    }

    /** The case's audit trail, oldest first, after the event {@code afterId} if given, at most {@code limit}. */
    public List<EventView> events(UUID caseId, Long afterId, int limit) {
        return jdbc.query("""
                select id, type, from_status, to_status, from_next_action, to_next_action, provider_event,
                       inbound_message_id, (detail ->> 'actionId')::bigint as action_id, occurred_at
                from kyc_event where case_id = ? and (?::bigint is null or id > ?)
                order by id
                limit ?""",
                (row, n) -> new EventView(row.getLong("id"), row.getString("type"),
                        enumOrNull(CaseStatus.class, row.getString("from_status")),
                        enumOrNull(CaseStatus.class, row.getString("to_status")),
                        enumOrNull(NextAction.class, row.getString("from_next_action")),
                        enumOrNull(NextAction.class, row.getString("to_next_action")),
                        row.getString("provider_event"),
                        (Long) row.getObject("inbound_message_id"),
                        (Long) row.getObject("action_id"),
                        row.getTimestamp("occurred_at").toInstant()),
                caseId, afterId, afterId, limit);
    }

    /** Adds each case's checks, by name, with one query for all of them. */
    private List<CaseView> withChecks(List<CaseView> cases) {
        if (cases.isEmpty()) {
            return cases;
        }
        Map<UUID, List<CheckResult>> checks = new HashMap<>();
        jdbc.query("select case_id, name, passed, required, detail from kyc_check where case_id = any(?) order by name",
                row -> {
                    try {
                        checks.computeIfAbsent(row.getObject("case_id", UUID.class), id -> new ArrayList<>())
                                .add(new CheckResult(row.getString("name"), row.getBoolean("passed"),
                                        row.getBoolean("required"), json.readValue(row.getString("detail"),
                                                new TypeReference<Map<String, Object>>() { })));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new SQLException("kyc_check holds invalid JSON", e);
                    }
                }, (Object) cases.stream().map(CaseView::id).toArray(UUID[]::new));
        return cases.stream().map(c -> c.withChecks(checks.getOrDefault(c.id(), List.of()))).toList();
    }

    private CaseView readCase(ResultSet row, int n) throws SQLException {
        try {
            return new CaseView(row.getObject("id", UUID.class), row.getString("customer_id"),
                    row.getString("provider"), row.getString("provider_ref"),
                    CaseStatus.valueOf(row.getString("status")), NextAction.valueOf(row.getString("next_action")),
                    json.readValue(row.getString("reasons"), new TypeReference<List<String>>() { }),
                    row.getString("provider_status"),
                    json.readValue(row.getString("provider_details"), new TypeReference<Map<String, Object>>() { }),
                    List.of(), row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("kyc_case holds invalid JSON", e);
        }
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }
}
