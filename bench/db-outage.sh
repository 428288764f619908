#!/usr/bin/env bash
# Database outage: under load, stop the hub's PostgreSQL (pg_ctl stop -m fast, then -m immediate: a crash), keep it
# down DOWN seconds, start it again. While it is down the hub must answer 503 (providers retry), never a 2xx for a
# message it did not store, and it must recover by itself. Details in bench/README.md.
#
# The machine's PostgreSQL is never touched: the script runs a throw-away cluster of its own (initdb into /tmp,
# loopback only, trust auth, port PG_PORT) and points the hub at it with KYC_DB_URL.
#
#   bench/db-outage.sh                                            # two outages of 45 s
#   WARMUP=5 DOWN=5 BETWEEN=10 OUTAGES=immediate LAST=0 bench/db-outage.sh   # quick smoke run
#
# Settings (environment): OUTAGES ("fast immediate": one outage per pg_ctl stop mode), DOWN (45 s down: many times
# kyc.db.connection-timeout, 3 s, so that each client gets many 503s while it is down), WARMUP (10 s
# of load before the first outage), BETWEEN (20 s of load after each outage), CONCURRENCY (8), RATE (0: closed loop),
# PROVIDERS (striga,argos,ondato), PORT (18211), STUB_PORT (18212), PG_PORT (55432), BENCH_DB
# (kyc_hub_bench_proof_outage), DRAIN_TIMEOUT (600 s), BUILD, HUB_JAVA_OPTS, LAST (1: also save
# bench/last/db-outage.txt), NOTE.
set -euo pipefail

NAME=db-outage
OUTAGES=${OUTAGES:-fast immediate}
DOWN=${DOWN:-45}
WARMUP=${WARMUP:-10}
BETWEEN=${BETWEEN:-20}
CONCURRENCY=${CONCURRENCY:-8}
RATE=${RATE:-0}
PROVIDERS=${PROVIDERS:-striga,argos,ondato}
PORT=${PORT:-18211}
STUB_PORT=${STUB_PORT:-18212}
PG_PORT=${PG_PORT:-55432}
DB_PORT=$PG_PORT
DB_NAME=${BENCH_DB:-kyc_hub_bench_proof_outage}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-600}
source "$(dirname "${BASH_SOURCE[0]}")/proof-lib.sh"

for n in DOWN WARMUP BETWEEN CONCURRENCY PORT STUB_PORT PG_PORT DRAIN_TIMEOUT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
for mode in $OUTAGES; do
    [[ $mode == fast || $mode == immediate || $mode == smart ]] || die "OUTAGES holds pg_ctl stop modes, got '$mode'"
done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -n $PG_BIN && -x $PG_BIN/initdb ]] || PG_BIN=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
[[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] || die "initdb and pg_ctl not found (looked in /usr/lib/postgresql/*/bin and PATH)"
if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    die "something already listens on port $PG_PORT: choose another PG_PORT"
fi
proof_setup

# --- The throw-away cluster -------------------------------------------------------------------------------------------
PG_DATA=$(mktemp -d /tmp/kyc-proof-pg.XXXXXX)
as_pg_owner() {
    # PostgreSQL refuses to run as root.
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[[ $(id -u) != 0 ]] || chown postgres: "$PG_DATA"
pg_ctl_() { as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA/data" "$@"; }
proof_cleanup_more() {
    [[ -z ${CLIENT_PID:-} ]] || kill -TERM "$CLIENT_PID" 2>/dev/null || true
    if [[ -f $PG_DATA/data/postmaster.pid ]]; then
        pg_ctl_ stop -m immediate >/dev/null 2>&1 || true
    fi
    cp "$PG_DATA/postgresql.log" "$RUN_DIR/postgresql.log" 2>/dev/null || true
    [[ $PG_DATA == /tmp/kyc-proof-pg.* ]] && rm -rf "$PG_DATA"
}
log "creating a throw-away PostgreSQL cluster in $PG_DATA (port $PG_PORT)"
as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA/data" -U postgres -A trust -E UTF8 --no-instructions >"$RUN_DIR/initdb.log" 2>&1 \
    || die "initdb failed: see ${RUN_DIR#"$ROOT"/}/initdb.log"
pg_start() {
    pg_ctl_ start -w -t 120 -l "$PG_DATA/postgresql.log" \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DATA" >/dev/null
}
pg_start || die "the cluster did not start: see $PG_DATA/postgresql.log"
ensure_database

if [[ ,$PROVIDERS, == *,ondato,* ]]; then
    log "starting the provider stub on port $STUB_PORT"
    start_stub "$STUB_PORT"
fi
log "starting the hub on port $PORT against 127.0.0.1:$PG_PORT/$DB_NAME (log: ${HUB_LOG#"$ROOT"/})"
start_hub
wait_healthy
FIRST_HUB_PID=$HUB_PID
reset_store
LOAD_AVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Load, with outages -------------------------------------------------------------------------------------------------
STOP_FILE=$RUN_DIR/stop-load
log "load: $PROVIDERS webhooks, $CONCURRENCY clients; outages: $OUTAGES, $DOWN s each"
proof_client_background stream --providers "$PROVIDERS" \
    --concurrency "$CONCURRENCY" --duration 86400 --until-file "$STOP_FILE" --rate "$RATE" --drain "$DRAIN_TIMEOUT"
wait_client_started
sleep "$WARMUP"
n=0
for mode in $OUTAGES; do
    n=$((n + 1))
    stop_begin=$(now_ms)
    pg_ctl_ stop -m "$mode" -w -t 120 >/dev/null || die "pg_ctl stop -m $mode failed"
    stop_done=$(now_ms)
    log "outage $n: database stopped (-m $mode) in $((stop_done - stop_begin)) ms; down for $DOWN s"
    sleep "$DOWN"
    start_begin=$(now_ms)
    pg_start || die "the cluster did not start again: see $PG_DATA/postgresql.log"
    start_done=$(now_ms)
    log "outage $n: database accepting connections again after $((start_done - start_begin)) ms"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$mode" "$stop_begin" "$stop_done" "$start_begin" "$start_done" \
        >>"$RUN_DIR/outages.tsv"
    sleep "$BETWEEN"
done
touch "$STOP_FILE"
set +e
wait "$CLIENT_PID"
client_rc=$?
set -e
CLIENT_PID=
cat "$RUN_DIR/client.txt" >&2
grep -q '^RESULT stream ' "$RUN_DIR/client.txt" || die "the client gave no result (exit $client_rc)"
log "waiting for the inbox to drain (at most $DRAIN_TIMEOUT s)"
DRAIN_SECONDS=$(wait_drained "$DRAIN_TIMEOUT")
HUB_SAME=$([[ $HUB_PID == "$FIRST_HUB_PID" && $HUB_STARTS == 1 ]] && kill -0 "$HUB_PID" 2>/dev/null && echo t || echo f)
load_records "$RUN_DIR"
psql_db -c "create table proof.outage (n int, mode text, stop_begin bigint, stop_done bigint, start_begin bigint,
                                       start_done bigint)" \
    -c "\\copy proof.outage from '$RUN_DIR/outages.tsv'"

q() { psql_db -F ' ' -c "$1"; }

# Per outage: the requests sent and answered while the database was down, and how the hub came back.
OUTAGE_LINES=$(q "
    with inside as (
        select o.n, r.* from proof.outage o join proof.request r
        on r.done_ms >= o.stop_done and r.done_ms <= o.start_begin),
    around as (
        select o.n, r.* from proof.outage o join proof.request r
        on (r.done_ms >= o.stop_begin and r.done_ms < o.stop_done)
        or (r.done_ms > o.start_begin and r.done_ms <= o.start_done)),
    after as (
        select n, start_begin, start_done,
               coalesce(lead(stop_begin) over (order by n), 9223372036854775807) next_stop
        from proof.outage),
    first_ok as (
        select a.n, min(r.done_ms) - a.start_done after_up
        from after a join proof.request r on r.done_ms >= a.start_begin and r.done_ms < a.next_stop
        where r.status between 200 and 299 group by a.n, a.start_done),
    last_503 as (
        select a.n, max(r.done_ms) - a.start_done after_up
        from after a join proof.request r on r.done_ms >= a.start_begin and r.done_ms < a.next_stop
        where r.status = 503 group by a.n, a.start_done)
    select format('outage %s (pg_ctl stop -m %s): down %s s (stop took %s ms, start %s ms); answered while down: %s, '
                  || '%s of them 503 (latency p50 %s ms, p99 %s ms, max %s ms), other %s; answered while stopping '
                  || 'or starting: %s 2xx, %s 503, %s other; first 2xx %s s after the database was back, last 503 %s s '
                  || 'after',
                  o.n, o.mode, round((o.start_done - o.stop_begin) / 1000.0, 1), o.stop_done - o.stop_begin,
                  o.start_done - o.start_begin,
                  (select count(*) from inside i where i.n = o.n),
                  (select count(*) from inside i where i.n = o.n and i.status = 503),
                  (select coalesce(percentile_disc(0.5) within group (order by done_ms - sent_ms)::text, '-')
                   from inside i where i.n = o.n and i.status = 503),
                  (select coalesce(percentile_disc(0.99) within group (order by done_ms - sent_ms)::text, '-')
                   from inside i where i.n = o.n and i.status = 503),
                  (select coalesce(max(done_ms - sent_ms)::text, '-') from inside i where i.n = o.n and i.status = 503),
                  (select count(*) from inside i where i.n = o.n and i.status <> 503),
                  (select count(*) from around a where a.n = o.n and a.status between 200 and 299),
                  (select count(*) from around a where a.n = o.n and a.status = 503),
                  (select count(*) from around a where a.n = o.n and a.status not between 200 and 299 and a.status <> 503),
                  coalesce(to_char(f.after_up / 1000.0, 'FM9990.0'), 'never'),
                  coalesce(to_char(l.after_up / 1000.0, 'FM9990.0'), '-'))
    from proof.outage o left join first_ok f using (n) left join last_503 l using (n) order by o.n")
INSIDE_OTHER=$(q "select count(*) from proof.outage o join proof.request r
                  on r.done_ms >= o.stop_done and r.done_ms <= o.start_begin where r.status <> 503")
INSIDE_503=$(q "select count(*) from proof.outage o join proof.request r
                on r.done_ms >= o.stop_done and r.done_ms <= o.start_begin where r.status = 503")
NEVER_RECOVERED=$(q "
    select count(*) from (select start_begin, coalesce(lead(stop_begin) over (order by n), 9223372036854775807) next_stop
                          from proof.outage) o
    where not exists (select 1 from proof.request r
                      where r.done_ms >= o.start_begin and r.done_ms < o.next_stop and r.status between 200 and 299)")
ALL_503=$(q "select count(*) || ' (p50 ' || coalesce(percentile_disc(0.5) within group (order by done_ms - sent_ms)::text, '-')
                    || ' ms, p99 ' || coalesce(percentile_disc(0.99) within group (order by done_ms - sent_ms)::text, '-')
                    || ' ms, max ' || coalesce(max(done_ms - sent_ms)::text, '-') || ' ms)'
             from proof.request where status = 503")
OTHER_ERRORS=$(q "select count(*) from proof.request where status not between 200 and 299 and status <> 503")
ANSWERS=$(q "
    select string_agg(kind || '=' || n, ', ' order by kind) from (
        select case when status = 0 then 'no answer (' || error || ')' else status || coalesce(' ' || ack, '') end kind,
               count(*) n
        from proof.request group by 1) s")
MESSAGES=$(q "select count(*) from proof.message")
read -r ACKED FOUND PROCESSED <<<"$(q "
    with acked as (select distinct key from proof.request where status between 200 and 299)
    select count(*), count(i.id), count(i.id) filter (where i.state = 'PROCESSED')
    from acked a join proof.message m using (key)
    left join inbound_message i on i.provider = m.provider and i.body = m.body and i.channel = 'WEBHOOK'")"
WRONG_ID=$(q "
    select count(*) from proof.request r join proof.message m using (key) left join inbound_message i on i.id = r.ack_id
    where r.status between 200 and 299 and (i.id is null or i.body <> m.body)")
STORED_UNACKED=$(q "
    select count(*) from inbound_message i where i.channel = 'WEBHOOK' and not exists (
        select 1 from proof.message m join proof.request r using (key)
        where m.provider = i.provider and m.body = i.body and r.status between 200 and 299)")
# A 503 whose message turned out to be stored: the commit went through, its answer did not; the re-send said duplicate.
STORED_AFTER_503=$(q "
    select count(distinct key) from proof.request r where r.status = 503 and exists (
        select 1 from proof.request later where later.key = r.key and later.ack = 'duplicate')
      and not exists (select 1 from proof.request ok where ok.key = r.key and ok.ack = 'accepted')")
NOT_PROCESSED=$(q "select coalesce(string_agg(state || '=' || n, ' '), 'none')
                   from (select state, count(*) n from inbound_message where state <> 'PROCESSED' group by state) s")

{
    echo "=== Database outage under load ($TS) ==="
    header_lines
    echo "database   : a throw-away cluster of its own ($("$PG_BIN/postgres" --version), $PG_BIN), 127.0.0.1:$PG_PORT"
    echo "load       : $PROVIDERS webhooks (signed, each about a case of its own), $CONCURRENCY concurrent keep-alive clients, rate $([[ $RATE == 0 ]] && echo unlimited || echo "$RATE/s"); a webhook without a 2xx is re-sent after 0.2 s doubling to 2 s; $WARMUP s before the first outage, $BETWEEN s after each; load average before $LOAD_AVG_BEFORE"
    echo "$OUTAGE_LINES"
    grep '^stream: ' "$RUN_DIR/client.txt"
    echo "answers    : $ANSWERS"
    echo "503s       : $ALL_503 over the whole run"
    echo "inbox      : drained ${DRAIN_SECONDS} s after the load ended; stored although answered 503 (the re-send got 'duplicate'): $STORED_AFTER_503"
    echo
    if (( INSIDE_503 + INSIDE_OTHER == 0 )); then
        echo "note  no request was answered while the database was down: each waited for a connection past the outage's end (the pool's connection timeout is longer than DOWN)"
    fi
    check "$([[ $INSIDE_OTHER == 0 ]] && echo t)" \
        "while the database was down every answer was 503: $INSIDE_503 answers, $INSIDE_OTHER other"
    check "$([[ $OTHER_ERRORS == 0 ]] && echo t)" \
        "no other error over the whole run (no 4xx, no 500, no request without an answer): $OTHER_ERRORS"
    check "$([[ $FOUND == "$ACKED" && $WRONG_ID == 0 ]] && echo t)" \
        "no 2xx for a message not in the store: $ACKED messages acknowledged, $FOUND found, $((ACKED - FOUND)) missing; 2xx naming a row without the message: $WRONG_ID"
    check "$([[ $client_rc == 0 && $ACKED == "$MESSAGES" && $STORED_UNACKED == 0 ]] && echo t)" \
        "every webhook acknowledged in the end, by re-sending: $ACKED of $MESSAGES; stored but never acknowledged: $STORED_UNACKED"
    check "$([[ $NEVER_RECOVERED == 0 && $HUB_SAME == t ]] && echo t)" \
        "2xx resumed after every outage without restarting the hub: outages without a later 2xx $NEVER_RECOVERED, same hub process throughout: $HUB_SAME"
    check "$([[ $PROCESSED == "$ACKED" && $NOT_PROCESSED == none && $DRAIN_SECONDS != timeout ]] && echo t)" \
        "everything accepted was processed: PROCESSED $PROCESSED of $ACKED; inbox rows in other states: $NOT_PROCESSED"
    echo
    if (( FAILED_CHECKS == 0 )); then echo "RESULT PASS"; else echo "RESULT FAIL ($FAILED_CHECKS checks failed)"; fi
} >"$RUN_DIR/summary.txt"
save_summary <"$RUN_DIR/summary.txt"
(( FAILED_CHECKS == 0 ))
