#!/usr/bin/env bash
# Durability: under load, kill -9 the hub and start it again, KILLS times; every webhook that got a 2xx must be in the
# store and processed. The client re-sends what got no answer or a non-2xx, as a provider does. Details in
# bench/README.md.
#
#   bench/kill-9.sh                                       # 2 kills, each after 30 s of load on a healthy hub
#   UP=15 KILLS=1 LAST=0 bench/kill-9.sh                  # quick smoke run
#
# Settings (environment): KILLS (2), UP (30 s of load on a healthy hub before each kill and after the last restart),
# DOWN (0 s between the kill and the restart), CONCURRENCY (8), RATE (0: closed loop; else requests/s in all),
# PROVIDERS (striga,argos,ondato), PORT (18201), STUB_PORT (18202, the provider stub), BENCH_DB
# (kyc_hub_bench_proof_kill, emptied first), DRAIN_TIMEOUT (600 s), BUILD, HUB_JAVA_OPTS, LAST (1: also save
# bench/last/kill-9.txt), NOTE.
set -euo pipefail

NAME=kill-9
KILLS=${KILLS:-2}
UP=${UP:-30}
DOWN=${DOWN:-0}
CONCURRENCY=${CONCURRENCY:-8}
RATE=${RATE:-0}
PROVIDERS=${PROVIDERS:-striga,argos,ondato}
PORT=${PORT:-18201}
STUB_PORT=${STUB_PORT:-18202}
DB_NAME=${BENCH_DB:-kyc_hub_bench_proof_kill}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-600}
source "$(dirname "${BASH_SOURCE[0]}")/proof-lib.sh"

for n in KILLS UP DOWN CONCURRENCY PORT STUB_PORT DRAIN_TIMEOUT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( KILLS >= 1 && UP >= 1 )) || die "KILLS and UP must be at least 1"
proof_setup
ensure_database
reset_store
if [[ ,$PROVIDERS, == *,ondato,* ]]; then
    log "starting the provider stub on port $STUB_PORT"
    start_stub "$STUB_PORT"
fi
log "starting the hub on port $PORT (log: ${HUB_LOG#"$ROOT"/})"
start_hub
wait_healthy
reset_store
LOAD_AVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

STOP_FILE=$RUN_DIR/stop-load
log "load: $PROVIDERS webhooks, $CONCURRENCY clients; kill -9 $KILLS times, each after $UP s of load"
proof_client_background stream --providers "$PROVIDERS" \
    --concurrency "$CONCURRENCY" --duration 86400 --until-file "$STOP_FILE" --rate "$RATE" --drain "$DRAIN_TIMEOUT"
proof_cleanup_more() { [[ -z ${CLIENT_PID:-} ]] || kill -TERM "$CLIENT_PID" 2>/dev/null || true; }
wait_client_started
load_started=$SECONDS

KILL_LINES=()
for i in $(seq "$KILLS"); do
    sleep "$UP"
    backlog=$(psql_db -c "select count(*) from inbound_message where state = 'ACCEPTED'")
    killed_ms=$(now_ms)
    kill -KILL "$HUB_PID"
    wait "$HUB_PID" 2>/dev/null || true
    HUB_PID=
    log "kill $i: kill -9 at $((SECONDS - load_started)) s of load (inbox backlog $backlog ACCEPTED)"
    sleep "$DOWN"
    start_hub
    wait_healthy
    up_ms=$(now_ms)
    printf '%s\t%s\n' "$killed_ms" "$up_ms" >>"$RUN_DIR/kills.txt"
    KILL_LINES+=("kill $i at $((killed_ms / 1000 - $(date -r "$RUN_DIR/started" +%s))) s of load: kill -9 with $backlog messages waiting to be processed; healthy again $(awk -v a="$killed_ms" -v b="$up_ms" 'BEGIN { printf "%.1f", (b - a) / 1000 }') s after the kill")
    log "kill $i: the hub is healthy again"
done
sleep "$UP"
touch "$STOP_FILE"
LOAD_SECONDS=$((SECONDS - load_started))
set +e
wait "$CLIENT_PID"
client_rc=$?
set -e
CLIENT_PID=
cat "$RUN_DIR/client.txt" >&2
grep -q '^RESULT stream ' "$RUN_DIR/client.txt" || die "the client gave no result (exit $client_rc)"
log "waiting for the inbox to drain (at most $DRAIN_TIMEOUT s)"
DRAIN_SECONDS=$(wait_drained "$DRAIN_TIMEOUT")
load_records "$RUN_DIR"

q() { psql_db -F ' ' -c "$1"; }

MESSAGES=$(q "select count(*) from proof.message")
# Acknowledged: got at least one 2xx. Found: an inbox row holds exactly the body sent.
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
# Each message is about a case of its own: exactly one case, with exactly one audit event (none processed twice).
read -r CASES ONE_EVENT <<<"$(q "
    select count(c.id), count(*) filter (where (select count(*) from kyc_event e where e.case_id = c.id) = 1)
    from (select distinct key from proof.request where status between 200 and 299) a join proof.message m using (key)
    left join kyc_case c on c.provider = m.provider and c.provider_ref = m.ref")"
EXTRA_CASES=$(q "select (select count(*) from kyc_case) - $CASES")
NOT_PROCESSED=$(q "select count(*) from inbound_message where state <> 'PROCESSED'")
ANSWERS=$(q "
    select string_agg(kind || '=' || n, ', ' order by kind) from (
        select case when status = 0 then 'no answer' else status || coalesce(' ' || ack, '') end kind, count(*) n
        from proof.request group by 1) s")
BAD_ANSWERS=$(q "select count(*) from proof.request where status <> 0 and status not between 200 and 299 and status <> 503")
# The kills' own cases: a request in flight when the hub died got no answer; its message was either stored already
# (the re-send is answered 'duplicate') or not (the re-send is the one 'accepted').
read -r LOST_ANSWERS LOST_STORED LOST_NOT_STORED <<<"$(q "
    with lost as (select distinct key from proof.request where status = 0 and error <> 'ConnectException'),
         final as (select key, bool_or(ack = 'accepted') accepted from proof.request group by key)
    select count(*), count(*) filter (where not f.accepted), count(*) filter (where f.accepted)
    from lost join final f using (key)")"
NO_ANSWER=$(q "select count(*) from proof.request where status = 0")
PER_PROVIDER=$(q "
    select string_agg(provider || ' ' || n, ', ' order by provider) from (
        select m.provider, count(*) n from proof.message m
        where exists (select 1 from proof.request r where r.key = m.key and r.status between 200 and 299)
        group by 1) s")

{
    echo "=== Durability: kill -9 under load ($TS) ==="
    header_lines
    echo "load       : $PROVIDERS webhooks (signed, each about a case of its own), $CONCURRENCY concurrent keep-alive clients, new webhooks for $LOAD_SECONDS s, rate $([[ $RATE == 0 ]] && echo unlimited || echo "$RATE/s"); a webhook without a 2xx is re-sent after 0.2 s doubling to 2 s; load average before $LOAD_AVG_BEFORE"
    printf '%s\n' "${KILL_LINES[@]}"
    grep '^stream: ' "$RUN_DIR/client.txt"
    echo "answers    : $ANSWERS ($NO_ANSWER without an answer: refused while the hub was down, or cut off by a kill)"
    echo "cut off    : $LOST_ANSWERS messages had a request cut off by a kill (connected, no answer): $LOST_STORED had been stored (the re-send was answered duplicate), $LOST_NOT_STORED had not (accepted on re-send)"
    echo "inbox      : drained ${DRAIN_SECONDS} s after the load ended; acknowledged per provider: $PER_PROVIDER"
    echo
    check "$([[ $client_rc == 0 && $ACKED == "$MESSAGES" ]] && echo t)" \
        "every webhook sent was acknowledged in the end: $ACKED of $MESSAGES"
    check "$([[ $FOUND == "$ACKED" ]] && echo t)" \
        "every acknowledged webhook is in the store: acknowledged $ACKED, found $FOUND, missing $((ACKED - FOUND))"
    check "$([[ $WRONG_ID == 0 ]] && echo t)" \
        "every 2xx named the inbox row holding its message: $WRONG_ID did not"
    check "$([[ $PROCESSED == "$ACKED" && $NOT_PROCESSED == 0 ]] && echo t)" \
        "every acknowledged webhook was processed: PROCESSED $PROCESSED of $ACKED; inbox rows not PROCESSED: $NOT_PROCESSED"
    check "$([[ $CASES == "$ACKED" && $ONE_EVENT == "$ACKED" && $EXTRA_CASES == 0 ]] && echo t)" \
        "one case per webhook, each with exactly one audit event (nothing processed twice across the kills): $CASES cases, $ONE_EVENT with one event, $EXTRA_CASES unexpected"
    check "$([[ $STORED_UNACKED == 0 ]] && echo t)" \
        "nothing stored that was never acknowledged: $STORED_UNACKED"
    check "$([[ $BAD_ANSWERS == 0 ]] && echo t)" \
        "no answer other than 2xx or 503 (a 4xx would tell a provider to give up): $BAD_ANSWERS"
    echo
    if (( FAILED_CHECKS == 0 )); then echo "RESULT PASS"; else echo "RESULT FAIL ($FAILED_CHECKS checks failed)"; fi
} >"$RUN_DIR/summary.txt"
save_summary <"$RUN_DIR/summary.txt"
(( FAILED_CHECKS == 0 ))
