#!/usr/bin/env bash
# Duplicates and order at scale: WEBHOOKS signed Striga and ARGOS webhooks, DUPLICATES of them redeliveries, in
# shuffled order, posted concurrently; then every case must be in exactly the state the provider rules give, with one
# audit event per real change. Details in bench/README.md.
#
#   bench/order-at-scale.sh                                   # 100,000 webhooks, 30% duplicates
#   WEBHOOKS=2000 LAST=0 bench/order-at-scale.sh              # quick smoke run
#
# Settings (environment): WEBHOOKS (100000), DUPLICATES (0.30), CONCURRENCY (16), SEED (7), PORT (18221),
# BENCH_DB (kyc_hub_bench_proof_order, emptied first), DRAIN_TIMEOUT (1800 s), BUILD, HUB_JAVA_OPTS,
# LAST (1: also save the summary as bench/last/order-at-scale.txt), NOTE (a line for the summary).
set -euo pipefail

NAME=order-at-scale
WEBHOOKS=${WEBHOOKS:-100000}
DUPLICATES=${DUPLICATES:-0.30}
CONCURRENCY=${CONCURRENCY:-16}
SEED=${SEED:-7}
PORT=${PORT:-18221}
DB_NAME=${BENCH_DB:-kyc_hub_bench_proof_order}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-1800}
source "$(dirname "${BASH_SOURCE[0]}")/proof-lib.sh"

for n in WEBHOOKS CONCURRENCY SEED PORT DRAIN_TIMEOUT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
proof_setup
ensure_database
reset_store
log "starting the hub on port $PORT (log: ${HUB_LOG#"$ROOT"/})"
start_hub
wait_healthy
reset_store
LOAD_AVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

log "posting $WEBHOOKS webhooks ($DUPLICATES duplicates), $CONCURRENCY concurrent clients"
started=$SECONDS
set +e
proof_client order --webhooks "$WEBHOOKS" \
    --duplicates "$DUPLICATES" --concurrency "$CONCURRENCY" --seed "$SEED" --drain "$DRAIN_TIMEOUT"
client_rc=$?
set -e
POST_SECONDS=$((SECONDS - started))
cat "$RUN_DIR/client.txt" >&2
grep -q '^RESULT order ' "$RUN_DIR/client.txt" || die "the client gave no result (exit $client_rc)"

log "waiting for the inbox to drain (at most $DRAIN_TIMEOUT s)"
DRAIN_SECONDS=$(wait_drained "$DRAIN_TIMEOUT")
TOTAL_SECONDS=$((SECONDS - started))
log "loading the client's records"
load_records "$RUN_DIR"

q() { psql_db -F ' ' -c "$1"; }

DISTINCT=$(q "select count(*) from proof.message")
CASES=$(q "select count(*) from proof.expected")
DELIVERIES=$(q "select count(*) from proof.request where status between 200 and 299")
REQUESTS=$(q "select count(*) from proof.request")

# Every delivery ends in one 2xx; per message, exactly one of them says accepted, the others duplicate, all the id.
read -r ACK_OK ACK_DUPS ACK_BAD <<<"$(q "
    with per_message as (
        select key, count(*) filter (where ack = 'accepted') accepted, count(*) filter (where ack = 'duplicate') dups,
               count(*) deliveries, count(distinct ack_id) ids
        from proof.request where status between 200 and 299 group by key)
    select count(*) filter (where accepted = 1 and dups = deliveries - 1 and ids = 1), coalesce(sum(dups), 0),
           count(*) filter (where not (accepted = 1 and dups = deliveries - 1 and ids = 1))
                + (select count(*) from proof.message m where not exists (select 1 from per_message p where p.key = m.key))
    from per_message")"

# The inbox: exactly the distinct messages, each once; every 2xx names the row holding its message.
read -r INBOX_ROWS INBOX_MATCHED INBOX_MATCHED_ROWS <<<"$(q "
    select (select count(*) from inbound_message where channel = 'WEBHOOK'), count(distinct m.key), count(distinct i.id)
    from proof.message m join inbound_message i on i.provider = m.provider and i.body::jsonb = m.body::jsonb")"
ACK_WRONG_ROW=$(q "
    select count(*) from proof.request r join proof.message m using (key)
    left join inbound_message i on i.id = r.ack_id
    where r.status between 200 and 299 and (i.id is null or i.provider <> m.provider or i.body::jsonb <> m.body::jsonb)")
STATES=$(q "select coalesce(string_agg(state || '=' || n, ' ' order by state), 'none')
            from (select state, count(*) n from inbound_message group by state) s")
OUTCOMES=$(q "select coalesce(string_agg(coalesce(outcome, 'none') || '=' || n, ' ' order by outcome), 'none')
              from (select outcome, count(*) n from inbound_message group by outcome) s")
NOT_PROCESSED=$(q "select count(*) from inbound_message where state <> 'PROCESSED'")

# Every case in exactly its expected state.
read -r CASES_FOUND CASES_RIGHT CASES_EXTRA <<<"$(q "
    select count(c.id),
           count(*) filter (where c.status = e.status and c.next_action = e.next_action and c.reasons = e.reasons
                              and c.provider_status = e.provider_status),
           (select count(*) from kyc_case) - count(c.id)
    from proof.expected e left join kyc_case c on c.provider = e.provider and c.provider_ref = e.ref")"
WRONG_BY_SCENARIO=$(q "
    select coalesce(string_agg(scenario || '=' || n, ' ' order by scenario), 'none') from (
        select e.scenario, count(*) n from proof.expected e
        left join kyc_case c on c.provider = e.provider and c.provider_ref = e.ref
        where c.id is null or c.status <> e.status or c.next_action <> e.next_action or c.reasons <> e.reasons
           or c.provider_status is distinct from e.provider_status
        group by e.scenario) s")
WRONG_EXAMPLE=$(q "
    select e.scenario || ' ' || e.provider || '/' || e.ref || ': expected ' || e.status || '/' || e.next_action || ' '
           || e.reasons::text || ', is ' || coalesce(c.status || '/' || c.next_action || ' ' || c.reasons::text, 'missing')
    from proof.expected e left join kyc_case c on c.provider = e.provider and c.provider_ref = e.ref
    where c.id is null or c.status <> e.status or c.next_action <> e.next_action or c.reasons <> e.reasons
       or c.provider_status is distinct from e.provider_status
    order by e.ref limit 3")

# One audit event per CREATED or CHANGED message, none for the others, none without a message.
read -r EVENTS CHANGING EVENTS_RIGHT EVENTS_ORPHAN <<<"$(q "
    with per_message as (select inbound_message_id id, count(*) n from kyc_event group by 1)
    select (select count(*) from kyc_event),
           count(*) filter (where i.outcome in ('CREATED', 'CHANGED')),
           count(*) filter (where (i.outcome in ('CREATED', 'CHANGED') and p.n = 1)
                              or (i.outcome not in ('CREATED', 'CHANGED') and p.n is null)),
           (select count(*) from kyc_event e where e.inbound_message_id is null
                or not exists (select 1 from inbound_message i where i.id = e.inbound_message_id))
    from inbound_message i left join per_message p using (id)")"
# A clean chain: each case's first event opens it, each later one starts where the one before ended, the last one
# ends where the case is.
CHAIN_BREAKS=$(q "
    with chain as (
        select e.case_id, e.type, e.from_status, e.to_status, e.from_next_action, e.to_next_action,
               lag(e.to_status) over w prev_status, lag(e.to_next_action) over w prev_action,
               row_number() over w n, count(*) over (partition by e.case_id) events
        from kyc_event e window w as (partition by e.case_id order by e.id))
    select count(*) from chain c join kyc_case k on k.id = c.case_id
    where (c.n = 1 and (c.type <> 'CASE_OPENED' or c.from_status is not null))
       or (c.n > 1 and (c.from_status is distinct from c.prev_status or c.from_next_action is distinct from c.prev_action))
       or (c.n = c.events and (c.to_status <> k.status or c.to_next_action <> k.next_action))")
CASES_WITHOUT_EVENTS=$(q "select count(*) from kyc_case k where not exists (select 1 from kyc_event e where e.case_id = k.id)")

{
    echo "=== Duplicates and order at scale ($TS) ==="
    header_lines
    echo "load       : $WEBHOOKS webhooks (Striga and ARGOS, signed), $DUPLICATES duplicates, shuffled (seed $SEED), $CONCURRENCY concurrent keep-alive clients; load average before $LOAD_AVG_BEFORE"
    grep '^order: ' "$RUN_DIR/client.txt"
    echo "time       : posting ${POST_SECONDS} s, then the inbox drained in ${DRAIN_SECONDS} s more; ${TOTAL_SECONDS} s in all"
    echo "inbox      : states $STATES; outcomes $OUTCOMES"
    echo
    check "$([[ $DELIVERIES == "$WEBHOOKS" && $client_rc == 0 ]] && echo t)" \
        "every delivery answered 2xx: $DELIVERIES of $WEBHOOKS ($REQUESTS requests, $((REQUESTS - DELIVERIES)) re-sent after a non-2xx or no answer)"
    check "$([[ $ACK_BAD == 0 && $ACK_OK == "$DISTINCT" ]] && echo t)" \
        "each message answered 'accepted' once and 'duplicate' for every other delivery, all with its inbox id: $ACK_OK of $DISTINCT messages; $ACK_DUPS answered duplicate (expected $((WEBHOOKS - DISTINCT))); $ACK_BAD wrong"
    check "$([[ $ACK_DUPS == $((WEBHOOKS - DISTINCT)) ]] && echo t)" \
        "every duplicate delivery answered 'duplicate': $ACK_DUPS of $((WEBHOOKS - DISTINCT))"
    check "$([[ $INBOX_ROWS == "$DISTINCT" && $INBOX_MATCHED == "$DISTINCT" && $INBOX_MATCHED_ROWS == "$DISTINCT" && $ACK_WRONG_ROW == 0 ]] && echo t)" \
        "the inbox holds exactly the distinct messages: $INBOX_ROWS webhook rows for $DISTINCT messages, $INBOX_MATCHED matched one to one; 2xx naming a row without its message: $ACK_WRONG_ROW"
    check "$([[ $NOT_PROCESSED == 0 && $DRAIN_SECONDS != timeout ]] && echo t)" \
        "every message processed: $NOT_PROCESSED not PROCESSED"
    check "$([[ $CASES_FOUND == "$CASES" && $CASES_RIGHT == "$CASES" && $CASES_EXTRA == 0 ]] && echo t)" \
        "every case in exactly its expected status, next action, reasons and provider status: $CASES_RIGHT of $CASES right, $((CASES - CASES_FOUND)) missing, $CASES_EXTRA unexpected; wrong by scenario: $WRONG_BY_SCENARIO"
    [[ -z $WRONG_EXAMPLE ]] || sed 's/^/        e.g. /' <<<"$WRONG_EXAMPLE"
    check "$([[ $EVENTS_RIGHT == "$INBOX_ROWS" && $EVENTS == "$CHANGING" && $EVENTS_ORPHAN == 0 ]] && echo t)" \
        "one audit event per CREATED or CHANGED message, none for UNCHANGED, STALE or duplicates: $EVENTS events for $CHANGING changing messages; messages with the wrong number: $((INBOX_ROWS - EVENTS_RIGHT)); events without a message: $EVENTS_ORPHAN"
    check "$([[ $CHAIN_BREAKS == 0 && $CASES_WITHOUT_EVENTS == 0 ]] && echo t)" \
        "a clean audit chain per case (first event opens it, each from_status is the previous to_status, the last ends at the case's status): $CHAIN_BREAKS breaks, $CASES_WITHOUT_EVENTS cases without events"
    echo
    if (( FAILED_CHECKS == 0 )); then echo "RESULT PASS"; else echo "RESULT FAIL ($FAILED_CHECKS checks failed)"; fi
} >"$RUN_DIR/summary.txt"
save_summary <"$RUN_DIR/summary.txt"
(( FAILED_CHECKS == 0 ))
