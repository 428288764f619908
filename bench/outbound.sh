#!/usr/bin/env bash
# Outbound events: the hub's webhooks to a fintech's endpoint, against a receiver on loopback (OutboundReceiver.java)
# that records every request. Audit events are written at a fixed rate by pgbench (the V16 trigger turns each into an
# outbound event and a delivery, in the writing transaction, as for the hub's own writers). Three phases, one hub:
#   1. rate    : RATE events/s for DURATION s (after WARMUP s not counted): delivered/s and commit-to-receipt p50/p99;
#   2. kill -9 : RATE events/s for KILL_DURATION s, the hub killed (SIGKILL) KILL_AT s in and started again at once;
#   3. outage  : the receiver answers 503 for the first half of OUTAGE_MINUTES and is stopped for the second (nothing
#                listens) while OUTAGE_RATE events/s keep coming; then it comes back.
# Then it checks, over every event of the run: each received (2xx) at least once, each under one webhook-id (its
# outbound event's) on every delivery and re-delivery, signatures valid, every delivery DELIVERED, and per case the
# first receipts in sequence order, complete, none sent before the previous one was delivered. Details in
# bench/README.md.
#
#   bench/outbound.sh                                                  # about 30 minutes (a 10-minute outage)
#   WARMUP=10 DURATION=20 KILL_DURATION=40 OUTAGE_MINUTES=1 LAST=0 bench/outbound.sh   # quick run, about 5 minutes
#
# Settings (environment): RATE (1000 events/s), WARMUP (20 s), DURATION (60 s), CASES (1000: the events are spread
# over them at random), CLIENTS (8 pgbench clients; -j 2), KILL (1: run phase 2), KILL_DURATION (60 s), KILL_AT (20 s),
# OUTAGE_MINUTES (10; 0 skips phase 3), OUTAGE_RATE (100 events/s), OUTAGE_MODE (both: 503 then stopped; 503; down),
# RETRY_SCHEDULE (0s,5s,30s,1m,2m,5m,5m,5m,5m,5m,30m: the hub's kyc.events.retry-schedule for this run), LEASE (20s:
# kyc.events.lease), VACUUM_EVERY (30 s: when the server's autovacuum is off, VACUUM (ANALYZE) of the outbound tables
# this often in its stead; 0: never), PORT (18231), RECEIVER_PORT (18232), RECEIVER_THREADS (16), BENCH_DB
# (kyc_hub_bench_outbound, emptied first), DRAIN_TIMEOUT (1800 s per phase), BUILD, HUB_JAVA_OPTS, LAST (1: also save
# bench/last/outbound.txt), NOTE.
set -euo pipefail

NAME=outbound
RATE=${RATE:-1000}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-60}
CASES=${CASES:-1000}
CLIENTS=${CLIENTS:-8}
KILL=${KILL:-1}
KILL_DURATION=${KILL_DURATION:-60}
KILL_AT=${KILL_AT:-20}
OUTAGE_MINUTES=${OUTAGE_MINUTES:-10}
OUTAGE_RATE=${OUTAGE_RATE:-100}
OUTAGE_MODE=${OUTAGE_MODE:-both}
RETRY_SCHEDULE=${RETRY_SCHEDULE:-0s,5s,30s,1m,2m,5m,5m,5m,5m,5m,30m}
LEASE=${LEASE:-20s}
VACUUM_EVERY=${VACUUM_EVERY:-30}
PORT=${PORT:-18231}
RECEIVER_PORT=${RECEIVER_PORT:-18232}
RECEIVER_THREADS=${RECEIVER_THREADS:-16}
DB_NAME=${BENCH_DB:-kyc_hub_bench_outbound}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-1800}
# shellcheck source=bench/proof-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/proof-lib.sh"

for n in RATE WARMUP DURATION CASES CLIENTS KILL KILL_DURATION KILL_AT OUTAGE_RATE VACUUM_EVERY PORT RECEIVER_PORT \
         RECEIVER_THREADS DRAIN_TIMEOUT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
[[ $OUTAGE_MINUTES =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "OUTAGE_MINUTES must be a number of minutes, got '$OUTAGE_MINUTES'"
(( RATE >= 1 && DURATION >= 1 && CASES >= 1 && CLIENTS >= 1 && OUTAGE_RATE >= 1 )) \
    || die "RATE, DURATION, CASES, CLIENTS and OUTAGE_RATE must be at least 1"
(( KILL == 0 || KILL_AT < KILL_DURATION )) || die "KILL_AT must fall within KILL_DURATION"
[[ $OUTAGE_MODE =~ ^(both|503|down)$ ]] || die "OUTAGE_MODE is both, 503 or down, got '$OUTAGE_MODE'"
[[ $RETRY_SCHEDULE =~ ^[0-9]+(ms|s|m|h)(,[0-9]+(ms|s|m|h))*$ ]] || die "RETRY_SCHEDULE: durations such as 0s,5s,1m"
[[ $LEASE =~ ^[0-9]+(ms|s|m)$ ]] || die "LEASE: a duration such as 20s"
command -v pgbench >/dev/null || die "pgbench is not installed (Debian: apt-get install postgresql-client)"
OUTAGE_SECONDS=$(awk -v m="$OUTAGE_MINUTES" 'BEGIN { printf "%d", m * 60 }')

proof_setup
TICKS_PER_SECOND=$(getconf CLK_TCK)
RECEIPTS=$RUN_DIR/receipts.tsv
RECEIVER_PID=
PGBENCH_PID=
VACUUM_PID=
declare -A DRAIN

# --- The receiver -----------------------------------------------------------------------------------------------------
# It checks signatures with the Standard Webhooks library when the library is in ~/.m2 (there after one build).
SWH_JAR=$HOME/.m2/repository/com/standardwebhooks/standardwebhooks/1.3.0/standardwebhooks-1.3.0.jar
RECEIVER_CP=$RUN_DIR/receiver-classes
[[ -f $SWH_JAR ]] && RECEIVER_CP=$RECEIVER_CP:$SWH_JAR
javac -d "$RUN_DIR/receiver-classes" "$BENCH_DIR/OutboundReceiver.java" || die "OutboundReceiver.java does not compile"
RECEIVER_URL=http://127.0.0.1:$RECEIVER_PORT

start_receiver() {
    ! curl -s -o /dev/null --max-time 2 "$RECEIVER_URL/" || die "something already answers on port $RECEIVER_PORT"
    (RECEIVER_SECRET=$ENDPOINT_SECRET exec java -Xmx256m -cp "$RECEIVER_CP" OutboundReceiver \
        --port "$RECEIVER_PORT" --out "$RECEIPTS" --threads "$RECEIVER_THREADS") >>"$RUN_DIR/receiver.log" 2>&1 &
    RECEIVER_PID=$!
    local deadline=$((SECONDS + 30))
    until curl -s -o /dev/null --max-time 2 "$RECEIVER_URL/control/count"; do
        kill -0 "$RECEIVER_PID" 2>/dev/null || die "the receiver exited: see ${RUN_DIR#"$ROOT"/}/receiver.log"
        (( SECONDS < deadline )) || die "the receiver did not start within 30 s"
        sleep 0.2
    done
}

stop_receiver() {
    [[ -n $RECEIVER_PID ]] || return 0
    kill -TERM "$RECEIVER_PID" 2>/dev/null || true
    wait "$RECEIVER_PID" 2>/dev/null || true
    RECEIVER_PID=
}

receiver_answers() {
    curl -sf -X POST "$RECEIVER_URL/control/answer?status=$1" >/dev/null || die "the receiver did not take status $1"
}

proof_cleanup_more() {
    [[ -z $PGBENCH_PID ]] || kill -TERM "$PGBENCH_PID" 2>/dev/null || true
    [[ -z $VACUUM_PID ]] || kill -TERM "$VACUUM_PID" 2>/dev/null || true
    stop_receiver
}

# --- The load: pgbench writing audit events -------------------------------------------------------------------------
# One autocommitted INSERT per transaction: the audit event of a status change of a random case among CASES, as
# CanonicalStore writes it (without the case row's own update). The V16 trigger numbers it in its case, writes the
# outbound event and fans it out to the endpoint in the same transaction. outbound_event.created_at is now(), the
# transaction's start: the statement's, with one statement per transaction.
cat >"$RUN_DIR/event.pgbench" <<'EOF'
\set c random(1, :cases)
\set s random(1, 3)
insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action, detail)
select id, 'STATUS_CHANGED', 'IN_PROGRESS', (array['ACTION_REQUIRED', 'IN_REVIEW', 'IN_PROGRESS'])[:s],
       'COMPLETE_VERIFICATION', (array['PROVIDE_DOCUMENT', 'WAIT', 'COMPLETE_VERIFICATION'])[:s],
       '{"reasons": ["DOCUMENT_EXPIRED"]}'::jsonb
from proof.outbound_case where n = :c;
EOF

# pgbench_start NAME RATE SECONDS: in the background (PGBENCH_PID), with a per-transaction log.
pgbench_start() {
    local name=$1 rate=$2 seconds=$3
    mkdir -p "$RUN_DIR/pgbench-$name-log"
    pgbench -n -M prepared -c "$CLIENTS" -j 2 -R "$rate" -T "$seconds" -D cases="$CASES" -f "$RUN_DIR/event.pgbench" \
        --log --log-prefix="$RUN_DIR/pgbench-$name-log/log" -h "$DB_HOST" -p "$DB_PORT" -U postgres "$DB_NAME" \
        >"$RUN_DIR/pgbench-$name.txt" 2>&1 &
    PGBENCH_PID=$!
}

pgbench_wait() {
    local name=$1
    wait "$PGBENCH_PID" || die "pgbench failed: see ${RUN_DIR#"$ROOT"/}/pgbench-$name.txt"
    PGBENCH_PID=
}

# pgbench's own figures: transactions per second (without connection time), its transactions' latency (the time
# from their start, where created_at is read, to their commit) p50 / p99, nearest rank, and when its last one ended
# (epoch microseconds), from its log.
pgbench_figures() {
    local name=$1 tps
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$RUN_DIR/pgbench-$name.txt")
    tps=$(awk -v t="$tps" 'BEGIN { printf "%.1f", t }')
    # Its log's time runs from the scheduled start under -R: less the schedule lag (7th field), the transaction's own.
    cat "$RUN_DIR/pgbench-$name-log"/log* | awk '{ print (NF >= 7) ? $3 - $7 : $3, $5 * 1000000 + $6 }' | sort -n |
        awk -v tps="$tps" '
        function rank(p) { return int((p * NR + 99) / 100) }
        { v[NR] = $1; if ($2 > ended) ended = $2 }
        END { printf "transactions=%d per_s=%s tx_p50_ms=%.2f tx_p99_ms=%.2f ended_us=%.0f\n", NR, tps,
                     v[rank(50)] / 1000, v[rank(99)] / 1000, ended }'
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
hub_ticks() { awk '{ print $14 + $15 }' "/proc/$HUB_PID/stat"; }
last_event_id() { psql_db -c "select coalesce(max(id), 0) from outbound_event"; }

# A sleep that a TERM interrupts (bash runs its trap only once a foreground command is over).
pause() {
    sleep "$1" &
    wait $!
}

# wait_delivered PHASE: waits until every delivery is DELIVERED or DEAD; DRAIN[PHASE] = the seconds it took, or
# "timeout" after DRAIN_TIMEOUT.
wait_delivered() {
    local started=$SECONDS
    DRAIN[$1]=timeout
    while (( SECONDS - started < DRAIN_TIMEOUT )); do
        if [[ $(psql_db -c "select count(*) from event_delivery where state = 'PENDING'" 2>/dev/null) == 0 ]]; then
            DRAIN[$1]=$((SECONDS - started))
            return 0
        fi
        pause 1
    done
}

# --- The hub, the store, the endpoint ---------------------------------------------------------------------------------
unset KYC_EVENTS_RABBITMQ_URI
export KYC_EVENTS_RETRY_SCHEDULE=$RETRY_SCHEDULE
HUB_ARGS=(--kyc.events.allow-http=true "--kyc.events.lease=$LEASE")
ensure_database
log "starting the hub on port $PORT (log: ${HUB_LOG#"$ROOT"/}); retry schedule $RETRY_SCHEDULE, lease $LEASE"
start_hub
wait_healthy 600
STORE_TABLES="$STORE_TABLES, event_delivery, outbound_event, event_endpoint"
reset_store

psql_db <<SQL
create schema proof;
create table proof.outbound_case (n int primary key, id uuid not null);
with cases as (
    insert into kyc_case (provider, provider_ref, status, next_action)
    select 'striga', 'bench-outbound-' || n, 'IN_PROGRESS', 'COMPLETE_VERIFICATION' from generate_series(1, $CASES) n
    returning id, provider_ref)
insert into proof.outbound_case select substr(provider_ref, 16)::int, id from cases;
analyze proof.outbound_case;
SQL

# The receiver's endpoint, through the operators' API; written into the table when the API is not there.
created=$(operator_curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"url\": \"$RECEIVER_URL/webhook\", \"description\": \"bench/outbound.sh receiver\"}" \
    "http://127.0.0.1:$PORT/api/v1/event-endpoints")
if [[ ${created##*$'\n'} == 201 || ${created##*$'\n'} == 200 ]]; then
    read -r ENDPOINT_ID ENDPOINT_SECRET < <(python3 -c 'import json, sys; e = json.loads(sys.argv[1]); print(e["id"], e["secret"])' \
        "${created%$'\n'*}")
    ENDPOINT_HOW="created through POST /api/v1/event-endpoints"
else
    ENDPOINT_SECRET=whsec_$(openssl rand -base64 32)
    ENDPOINT_ID=$(psql_db -c "insert into event_endpoint (kind, url, description, secret)
                              values ('WEBHOOK', '$RECEIVER_URL/webhook', 'bench/outbound.sh receiver', '$ENDPOINT_SECRET')
                              returning id")
    ENDPOINT_HOW="written into event_endpoint (POST /api/v1/event-endpoints answered ${created##*$'\n'})"
fi
[[ $ENDPOINT_SECRET == whsec_* ]] || die "the endpoint has no whsec_ secret"
log "endpoint $ENDPOINT_ID $ENDPOINT_HOW"
start_receiver
log "receiver on $RECEIVER_URL ($(head -n 1 "$RUN_DIR/receiver.log"))"

# The hub's claim plans its NOT EXISTS over a case's earlier pending deliveries from the tables' statistics, and each
# settled delivery leaves a dead row version in the pending-only indexes: a server with autovacuum on keeps both up to
# date as the tables grow. This machine's CI configuration switches autovacuum off; in its stead, while the script
# runs, VACUUM (ANALYZE) of the tables the events go through every VACUUM_EVERY seconds.
AUTOVACUUM=$(psql_db -c 'show autovacuum')
VACUUM_LINE="the server's autovacuum is $AUTOVACUUM"
vacuum_outbound() { psql_db -c 'vacuum (analyze) event_delivery, outbound_event, kyc_event, kyc_case'; }
if [[ $AUTOVACUUM == off ]] && (( VACUUM_EVERY > 0 )); then
    (
        while sleep "$VACUUM_EVERY"; do
            vacuum_outbound || true
        done
    ) >>"$RUN_DIR/vacuum.log" 2>&1 &
    VACUUM_PID=$!
    VACUUM_LINE="$VACUUM_LINE: the script runs VACUUM (ANALYZE) of event_delivery, outbound_event, kyc_event, kyc_case every $VACUUM_EVERY s in its stead"
fi

# Each case opens with its audit event (one transaction for all): the first deliveries, part of the warm-up.
psql_db -c "insert into kyc_event (case_id, type, to_status, to_next_action)
            select id, 'CASE_OPENED', 'IN_PROGRESS', 'COMPLETE_VERIFICATION' from proof.outbound_case order by n"
[[ -z $VACUUM_PID ]] || vacuum_outbound

# --- Phase 1: the rate ------------------------------------------------------------------------------------------------
declare -A FIRST_ID LAST_ID ENDED_US PGBENCH LOAD HUB_CPU
# A phase's events are those whose ids pgbench's run of that name made: from FIRST_ID to LAST_ID.
phase_begin() {
    FIRST_ID[$1]=$(( $(last_event_id) + 1 ))
}
phase_end() {
    LAST_ID[$1]=$(last_event_id)
    PGBENCH[$1]=$(pgbench_figures "$1")
    ENDED_US[$1]=$(field "${PGBENCH[$1]}" ended_us)
}

log "warm-up: $RATE events/s for $WARMUP s (not counted)"
phase_begin warmup
pgbench_start warmup "$RATE" "$WARMUP"
pgbench_wait warmup
phase_end warmup
wait_delivered warmup
[[ ${DRAIN[warmup]} != timeout ]] || die "the warm-up's events were not delivered within $DRAIN_TIMEOUT s"

log "rate: $RATE events/s for $DURATION s"
psql_db -c checkpoint
ticks_before=$(hub_ticks)
phase_begin rate
pgbench_start rate "$RATE" "$DURATION"
pgbench_wait rate
phase_end rate
LOAD[rate]=$(cut -d' ' -f1-3 /proc/loadavg)
wait_delivered rate
HUB_CPU[rate]=$(awk -v t=$(( $(hub_ticks) - ticks_before )) -v hz="$TICKS_PER_SECOND" -v d="$DURATION" \
    'BEGIN { printf "%.2f", t / hz / d }')
log "rate: delivered ${DRAIN[rate]} s after the load ended"

# --- Phase 2: kill -9 while it delivers -------------------------------------------------------------------------------
KILL_LINE="not run (KILL=0)"
if (( KILL == 1 )); then
    log "kill -9: $RATE events/s for $KILL_DURATION s, the hub killed at $KILL_AT s"
    phase_begin kill
    pgbench_start kill "$RATE" "$KILL_DURATION"
    pause $((KILL_AT - 1))
    received_before=$(curl -s "$RECEIVER_URL/control/count")
    sleep 1
    # Delivering: the receiver's requests in the last second, and what the hub has not yet recorded as delivered.
    received_last_second=$(( $(curl -s "$RECEIVER_URL/control/count") - received_before ))
    in_flight=$(psql_db -c "select count(*) from event_delivery where state = 'PENDING'")
    killed_ms=$(now_ms)
    kill -KILL "$HUB_PID"
    wait "$HUB_PID" 2>/dev/null || true
    HUB_PID=
    log "kill -9 with $in_flight deliveries pending, $received_last_second requests received in the last second; starting the hub again"
    start_hub
    wait_healthy 600
    up_ms=$(now_ms)
    pgbench_wait kill
    phase_end kill
    LOAD[kill]=$(cut -d' ' -f1-3 /proc/loadavg)
    wait_delivered kill
    KILL_LINE="kill -9 at ${KILL_AT} s of load, delivering ($received_last_second requests received in the second before, $in_flight deliveries pending); healthy again $(awk -v a="$killed_ms" -v b="$up_ms" 'BEGIN { printf "%.1f", (b - a) / 1000 }') s after the kill; all delivered ${DRAIN[kill]} s after both the load had ended and the hub was up again"
    log "kill: $KILL_LINE"
fi

# --- Phase 3: the receiver down ---------------------------------------------------------------------------------------
OUTAGE_LINE="not run (OUTAGE_MINUTES=0)"
if (( OUTAGE_SECONDS > 0 )); then
    log "outage: the receiver out for $OUTAGE_MINUTES min ($OUTAGE_MODE) while $OUTAGE_RATE events/s keep coming"
    phase_begin outage
    pgbench_start outage "$OUTAGE_RATE" "$OUTAGE_SECONDS"
    outage_started_ms=$(now_ms)
    case $OUTAGE_MODE in
        503) receiver_answers 503; pause "$OUTAGE_SECONDS" ;;
        down) stop_receiver; pause "$OUTAGE_SECONDS" ;;
        both) receiver_answers 503; pause $((OUTAGE_SECONDS / 2)); stop_receiver
              pause $((OUTAGE_SECONDS - OUTAGE_SECONDS / 2)) ;;
    esac
    pgbench_wait outage
    phase_end outage
    if [[ -n $RECEIVER_PID ]]; then receiver_answers 204; else start_receiver; fi
    back_ms=$(now_ms)
    log "outage: the receiver is back after $(( (back_ms - outage_started_ms) / 1000 )) s"
    LOAD[outage]=$(cut -d' ' -f1-3 /proc/loadavg)
    wait_delivered outage
fi
stop_receiver
if [[ -n $VACUUM_PID ]]; then
    kill -TERM "$VACUUM_PID" 2>/dev/null || true
    wait "$VACUUM_PID" 2>/dev/null || true
    VACUUM_PID=
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
# What the hub did not deliver by now is reported below, not waited for.
# --- The records ------------------------------------------------------------------------------------------------------
psql_db <<SQL
-- event_id: the request's webhook-id header.
create table proof.receipt (line bigserial primary key, received_us bigint not null, status int not null,
                            event_id text, case_id uuid, sequence bigint, signature boolean, pid int not null);
\copy proof.receipt (received_us, status, event_id, case_id, sequence, signature, pid) from '$RECEIPTS'
create index on proof.receipt (event_id);
analyze proof.receipt;
-- Each event's first 2xx receipt (in the receiver's file order: a request is written down before it is answered, so
-- the answer to an event precedes every request the hub makes after it).
create table proof.first_receipt as
select distinct on (event_id) event_id, line, received_us from proof.receipt
where status between 200 and 299 order by event_id, line;
create unique index on proof.first_receipt (event_id);
analyze proof.first_receipt;
SQL
q() { psql_db -F ' ' -c "$1"; }

# phase_figures NAME: events, delivered/s, commit-to-receipt p50 / p99 / max (ms), receipts of the phase's events.
phase_figures() {
    local name=$1
    q "with e as (select o.event_id, (extract(epoch from o.created_at) * 1e6)::bigint created_us, f.received_us
                  from outbound_event o left join proof.first_receipt f on f.event_id = o.event_id
                  where o.id between ${FIRST_ID[$name]} and ${LAST_ID[$name]})
       select 'events=' || count(*),
              'received=' || count(received_us),
              'delivered_per_s=' || round((count(received_us) / greatest((max(received_us) - min(created_us)) / 1e6, 1e-6))::numeric, 1),
              'p50_ms=' || round((percentile_disc(0.5) within group (order by received_us - created_us) / 1e3)::numeric, 1),
              'p99_ms=' || round((percentile_disc(0.99) within group (order by received_us - created_us) / 1e3)::numeric, 1),
              'max_ms=' || round((max(received_us - created_us) / 1e3)::numeric, 1),
              'last_after_load_s=' || round(((max(received_us) - ${ENDED_US[$name]}) / 1e6)::numeric, 1),
              'requests=' || (select count(*) from proof.receipt r join e using (event_id)),
              'answered_2xx=' || (select count(*) from proof.receipt r join e using (event_id) where r.status between 200 and 299)
       from e" | sed 's/ \+/ /g'
}

declare -A FIG
PHASES_RUN="rate"
(( KILL == 1 )) && PHASES_RUN="$PHASES_RUN kill"
(( OUTAGE_SECONDS > 0 )) && PHASES_RUN="$PHASES_RUN outage"
for phase in warmup $PHASES_RUN; do
    FIG[$phase]=$(phase_figures "$phase")
done

# --- The checks over every event of the run ---------------------------------------------------------------------------
read -r EVENTS RECEIVED MISSING <<<"$(q "
    select count(*), count(f.event_id), count(*) - count(f.event_id)
    from outbound_event o left join proof.first_receipt f on f.event_id = o.event_id")"
read -r DELIVERIES DELIVERED DEAD PENDING <<<"$(q "
    select count(*), count(*) filter (where state = 'DELIVERED'), count(*) filter (where state = 'DEAD'),
           count(*) filter (where state = 'PENDING')
    from event_delivery where endpoint_id = '$ENDPOINT_ID'")"
NO_DELIVERY=$(q "select count(*) from outbound_event o where not exists (
                     select 1 from event_delivery d where d.event_id = o.id and d.endpoint_id = '$ENDPOINT_ID')")
# Every request names its event by the webhook-id the trigger gave it, with that event's case and sequence: a
# re-delivery carries the same webhook-id, and no event came under two.
read -r REQUESTS UNKNOWN_ID WRONG_BODY IDS_PER_EVENT <<<"$(q "
    select count(*), count(*) filter (where o.id is null),
           count(*) filter (where o.id is not null and (r.case_id is distinct from o.case_id or r.sequence <> o.sequence)),
           (select count(*) from (select case_id, sequence from proof.receipt group by 1, 2
                                  having count(distinct event_id) > 1) s)
    from proof.receipt r left join outbound_event o on o.event_id = r.event_id")"
read -r ANSWERED_2XX DUPLICATES <<<"$(q "
    select count(*), count(*) - count(distinct event_id) from proof.receipt where status between 200 and 299")"
read -r SIGNED_OK SIGNED_BAD SIGNED_UNCHECKED <<<"$(q "
    select count(*) filter (where signature), count(*) filter (where not signature),
           count(*) filter (where signature is null) from proof.receipt")"
# Per case: the first receipts in file order carry sequences 1, 2, 3, ... up to the case's last event, none missing
# and none out of place.
read -r ORDER_CASES ORDER_BROKEN ORDER_INCOMPLETE <<<"$(q "
    with firsts as (
        select o.case_id, o.sequence, row_number() over (partition by o.case_id order by f.line) rank
        from proof.first_receipt f join outbound_event o on o.event_id = f.event_id),
    per_case as (
        select c.case_id, count(f.sequence) received, (select count(*) from outbound_event o where o.case_id = c.case_id) events,
               count(*) filter (where f.sequence <> f.rank) misplaced
        from (select distinct case_id from outbound_event) c left join firsts f using (case_id) group by c.case_id)
    select count(*), count(*) filter (where misplaced > 0), count(*) filter (where received <> events) from per_case")"
# No request for an event (answered or not) before its case's previous event had been answered 2xx.
SENT_EARLY=$(q "
    select count(*) from proof.receipt r join outbound_event o on o.event_id = r.event_id
    join outbound_event p on p.case_id = o.case_id and p.sequence = o.sequence - 1
    left join proof.first_receipt f on f.event_id = p.event_id
    where f.line is null or f.line > r.line")
ATTEMPTS=$(q "select coalesce(string_agg(attempts || ':' || n, ' ' order by attempts), 'none')
              from (select attempts, count(*) n from event_delivery group by 1) s")
OUTAGE_ANSWERS=$(q "select coalesce(string_agg(status || '=' || n, ', ' order by status), 'none')
                    from (select status, count(*) n from proof.receipt where status not between 200 and 299 group by 1) s")
RECEIVER_STARTS=$(q "select count(distinct pid) from proof.receipt")

# --- The summary ------------------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
phase_line() {
    local name=$1 fig=${FIG[$1]} pgb=${PGBENCH[$1]}
    printf '%-7s %8s %11s %9s %8s %8s %8s   %9s %9s %9s   %6s   %s\n' "$name" "$(field "$fig" events)" \
        "$(field "$fig" delivered_per_s)" "$(field "$fig" p50_ms)" "$(field "$fig" p99_ms)" "$(field "$fig" max_ms)" \
        "$(field "$fig" last_after_load_s)" "$(field "$pgb" per_s)" "$(field "$pgb" tx_p50_ms)" \
        "$(field "$pgb" tx_p99_ms)" "$(ratio "$(field "$fig" delivered_per_s)" "$(field "$pgb" per_s)")" \
        "$(field "$fig" requests) requests, $(field "$fig" answered_2xx) answered 2xx"
}
P99_RATE=$(field "${FIG[rate]}" p99_ms)
{
    echo "=== Outbound events: webhooks to a receiver on loopback ($TS) ==="
    header_lines
    echo "settings   : kyc.events.retry-schedule=$RETRY_SCHEDULE (KYC_EVENTS_RETRY_SCHEDULE, for this run: the default's 30 min and hours would outlast the outage), kyc.events.lease=$LEASE (default 60s), other kyc.events.* the hub's defaults"
    echo "vacuum     : $VACUUM_LINE"
    echo "endpoint   : $ENDPOINT_ID, $ENDPOINT_HOW; receiver $RECEIVER_URL/webhook, $RECEIVER_THREADS threads, answers 204 after writing the request down, signatures $([[ $SIGNED_UNCHECKED == 0 ]] && echo "checked with com.standardwebhooks.Webhook.verify" || echo "not all checked ($SIGNED_UNCHECKED unchecked)")"
    echo "load       : pgbench -R (Poisson arrivals), $CLIENTS clients, one INSERT INTO kyc_event per transaction, $CASES cases at random (the V16 trigger makes the outbound event and the delivery in that transaction); warm-up $WARMUP s at $RATE/s, then rate $DURATION s at $RATE/s; load average at the end of the rate phase ${LOAD[rate]}"
    echo "kill       : $KILL_LINE"
    if (( OUTAGE_SECONDS > 0 )); then
        OUTAGE_LINE="receiver out for $OUTAGE_MINUTES min ($([[ $OUTAGE_MODE == both ]] && echo "answering 503 for the first half, stopped for the second" || echo "$OUTAGE_MODE")) while pgbench wrote $(field "${PGBENCH[outage]}" transactions) events at $OUTAGE_RATE/s; all delivered ${DRAIN[outage]} s after it came back; non-2xx answers over the run: $OUTAGE_ANSWERS"
    fi
    echo "outage     : $OUTAGE_LINE"
    echo
    echo "commit-to-receipt = the receiver's clock when the request arrives - outbound_event.created_at (now(): the start of"
    echo "pgbench's one-statement transaction, earlier than its commit by at most the transaction's time, tx p50/p99 below)"
    printf '%-7s %8s %11s %9s %8s %8s %8s   %9s %9s %9s   %6s   %s\n' phase events delivered/s "p50 ms" "p99 ms" \
        "max ms" "tail s" pgbench/s "tx p50" "tx p99" ratio "receiver"
    for phase in $PHASES_RUN; do phase_line "$phase"; done
    echo "delivered/s: the phase's events / (last first receipt - first commit); tail: last receipt after pgbench ended;"
    echo "ratio: delivered/s / pgbench's transactions/s. The kill and outage phases' latencies include the hub down and"
    echo "the receiver out: only the rate phase's are the steady state."
    echo "hub CPU in the rate phase: ${HUB_CPU[rate]} cores; delivery attempts per delivery (attempts:deliveries): $ATTEMPTS"
    echo
    check "$([[ $MISSING == 0 && $EVENTS -gt 0 ]] && echo t)" \
        "every event delivered at least once (a 2xx from the receiver): $RECEIVED of $EVENTS, $MISSING never"
    check "$([[ $DELIVERED == "$DELIVERIES" && $DEAD == 0 && $PENDING == 0 && $NO_DELIVERY == 0 ]] && echo t)" \
        "every delivery DELIVERED in the hub's store: $DELIVERED of $DELIVERIES, DEAD $DEAD, PENDING $PENDING; events without a delivery: $NO_DELIVERY"
    check "$([[ $UNKNOWN_ID == 0 && $WRONG_BODY == 0 && $IDS_PER_EVENT == 0 ]] && echo t)" \
        "every request carried its event's webhook-id, re-deliveries included: $REQUESTS requests, $DUPLICATES re-deliveries of an event already answered 2xx; unknown webhook-id $UNKNOWN_ID, case/sequence not the event's $WRONG_BODY, events under more than one webhook-id $IDS_PER_EVENT"
    check "$([[ $SIGNED_BAD == 0 && $SIGNED_UNCHECKED == 0 ]] && echo t)" \
        "every request signed (Standard Webhooks, the endpoint's secret): $SIGNED_OK valid, $SIGNED_BAD invalid, $SIGNED_UNCHECKED unchecked"
    check "$([[ $ORDER_BROKEN == 0 && $ORDER_INCOMPLETE == 0 && $ORDER_CASES == "$CASES" ]] && echo t)" \
        "per-case order: each case's first receipts carry sequences 1, 2, 3, ... to its last event, complete: $ORDER_CASES cases, $ORDER_BROKEN out of order, $ORDER_INCOMPLETE incomplete (events never received)"
    check "$([[ $SENT_EARLY == 0 ]] && echo t)" \
        "no request for an event before its case's previous event was answered 2xx (503s and re-deliveries included): $SENT_EARLY"
    if (( KILL == 1 )); then
        check "$([[ ${DRAIN[kill]} != timeout ]] && echo t)" \
            "after the kill -9, the hub delivered everything: ${DRAIN[kill]} s after the load ended (lease $LEASE)"
    fi
    if (( OUTAGE_SECONDS > 0 )); then
        check "$([[ ${DRAIN[outage]} != timeout && $RECEIVER_STARTS -ge 1 ]] && echo t)" \
            "after the receiver's $OUTAGE_MINUTES-minute outage, everything delivered: ${DRAIN[outage]} s after it came back"
    fi
    echo "aim (issue 14): p99 under 1 s at $RATE events/s: $P99_RATE ms ($(awk -v p="$P99_RATE" 'BEGIN { print (p != "" && p < 1000) ? "met" : "NOT met" }'))"
    echo "load average at the end: $LOAD_END"
    for phase in warmup $PHASES_RUN; do
        echo "RESULT outbound-$phase ${FIG[$phase]} pgbench_${PGBENCH[$phase]// / pgbench_}"
    done
    if (( FAILED_CHECKS == 0 )); then echo "RESULT PASS"; else echo "RESULT FAIL ($FAILED_CHECKS checks failed)"; fi
} >"$RUN_DIR/summary.txt"
save_summary <"$RUN_DIR/summary.txt"
(( FAILED_CHECKS == 0 ))
