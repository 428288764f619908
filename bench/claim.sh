#!/usr/bin/env bash
# Claim benchmark: what one claim of the inbox worker costs PostgreSQL during a burst when the statistics were
# taken while the inbox was settled (nothing ACCEPTED: its usual state), as the hub runs it (sorting off for the
# claim, DurableQueue.claim) against the same statement left to the planner (as the hub ran it before), in the same
# run, for a growing backlog. pgbench runs both; the statement is copied from Inbox.java at run time, so it cannot
# drift from the code. Then the outbound dispatcher's claim, timed before and after an ANALYZE. See bench/README.md.
#
#   bench/claim.sh                         # defaults below
#   BACKLOGS="1000 5000" DURATION=5 LAST=0 bench/claim.sh   # quick smoke run
#
# Settings (environment):
#   SETTLED=300000            processed messages in the inbox when ANALYZE takes the statistics
#   BACKLOGS="1000 5000 25000"  due (ACCEPTED) messages per provider (four providers) at each step, added after ANALYZE
#   DURATION=10               seconds pgbench runs each form at each step
#   CLIENTS=4                 pgbench clients (-c): the four providers' workers of one hub
#   DELIVERIES=10000          pending outbound deliveries of one endpoint for the dispatcher's claim (0: skip it)
#   BENCH_DB=kyc_hub_bench    the database on 127.0.0.1:5432 (a schema claim_bench of its own, dropped at the end)
#   LAST (1: also save bench/last/claim.txt), NOTE: as in proof-lib.sh
set -euo pipefail

NAME=claim
SETTLED=${SETTLED:-300000}
BACKLOGS=${BACKLOGS:-1000 5000 25000}
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-4}
DELIVERIES=${DELIVERIES:-10000}
DB_NAME=${BENCH_DB:-kyc_hub_bench}

# shellcheck source=bench/proof-lib.sh
# die, log, psql_db, ensure_database, machine_line, save_summary (no hub is started here).
source "$(dirname "${BASH_SOURCE[0]}")/proof-lib.sh"
RUN_DIR=$RESULTS/$NAME-$TS

[[ $DELIVERIES =~ ^[0-9]+$ ]] || die "DELIVERIES must be a whole number, got '$DELIVERIES'"
for n in SETTLED DURATION CLIENTS; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a whole number above 0, got '${!n}'"
done
for b in $BACKLOGS; do
    [[ $b =~ ^[1-9][0-9]*$ ]] || die "BACKLOGS holds whole numbers above 0, got '$b'"
done
[[ $DB_NAME =~ ^[a-z_][a-z0-9_]*$ ]] || die "the database name must be a plain lowercase identifier"
for tool in psql pgbench python3; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
mkdir -p "$RUN_DIR"
ensure_database
cleanup() { psql_db -c 'set client_min_messages = warning; drop schema if exists claim_bench cascade' || true; }
trap cleanup EXIT

# The inbox's table as the hub's migrations make it, in a schema of this script's: the hub's own migrations, applied
# in order to an empty schema (plain SQL files; the Quartz tables and the rest come along and stay empty).
# Autovacuum is off on it, so that no ANALYZE changes the statistics under measure.
log "the hub's schema in claim_bench (its migrations), $SETTLED settled messages, ANALYZE"
cleanup
{
    echo 'set client_min_messages = warning; create schema claim_bench; set search_path = claim_bench;'
    for f in $(ls "$ROOT"/src/main/resources/db/migration/V*.sql | sort -V); do cat "$f"; echo; done
    echo 'alter table inbound_message set (autovacuum_enabled = false);'
    echo "insert into inbound_message (provider, channel, dedup_key, body, state, outcome, processed_at)
          select (array['striga', 'connectfi', 'argos', 'ondato'])[1 + n % 4], 'WEBHOOK', 'settled-' || n,
                 '{\"settled\": \"' || repeat('x', 400) || '\"}', 'PROCESSED', 'RECORDED', now()
          from generate_series(1, $SETTLED) n;"
    echo 'analyze inbound_message;'
} | psql_db >/dev/null

# The claim as Inbox.java has it (the text block passed to claim(...)), for a worker's first claim of a batch (the
# oldest due message of its provider: after InboxPosition.START); pgbench draws the provider.
python3 - "$ROOT/src/main/java/com/kychub/inbound/Inbox.java" "$RUN_DIR" <<'PY' || die "cannot find the claim in Inbox.java"
import re, sys
source, out = open(sys.argv[1]).read(), sys.argv[2]
block = re.search(r'claim\("""\n(.*?)"""', source, re.S).group(1)
sql = " ".join(line.strip() for line in block.splitlines() if line.strip())
assert sql.count("?") == 3, sql
for name in ("provider = ?", "(?, ?)"):
    assert name in sql, name
sql = sql.replace("provider = ?", "provider = (array['striga', 'connectfi', 'argos', 'ondato'])[:p]")
sql = sql.replace("(?, ?)", "('-infinity'::timestamptz, 0)")
head = "\\set p random(1, 4)\nbegin;\n"
open(out + "/planner.sql", "w").write(head + sql + ";\ncommit;\n")
open(out + "/sorting-off.sql", "w").write(head + "set local enable_sort = off;\n" + sql
                                          + ";\nset local enable_sort to default;\ncommit;\n")
PY

# pgbench FORM: "claims/s mean_ms" of one form over DURATION.
run_form() {
    PGOPTIONS='-c search_path=claim_bench' pgbench -n -M prepared -c "$CLIENTS" -j 1 -T "$DURATION" \
        -f "$RUN_DIR/$1.sql" -h "$DB_HOST" -p "$DB_PORT" -U postgres "$DB_NAME" >"$RUN_DIR/pgbench-$1-$2.txt" 2>&1 \
        || { cat "$RUN_DIR/pgbench-$1-$2.txt" >&2; die "pgbench failed"; }
    awk '/^tps = / { tps = $3 } /^latency average = / { ms = $4 } END { printf "%.1f %.3f\n", tps, ms }' \
        "$RUN_DIR/pgbench-$1-$2.txt"
}

declare -A PLANNER SORTING_OFF SORTS
due=0
for backlog in $BACKLOGS; do
    (( backlog > due )) || die "BACKLOGS must grow, got $backlog after $due"
    log "backlog of $backlog due messages per provider"
    psql_db -c "set search_path = claim_bench;
        insert into inbound_message (provider, channel, dedup_key, body, next_attempt_at)
        select (array['striga', 'connectfi', 'argos', 'ondato'])[1 + n % 4], 'WEBHOOK', 'due-' || n,
               '{\"burst\": \"' || repeat('x', 1000) || '\"}', now() - interval '1 hour'
        from generate_series($(( due * 4 + 1 )), $(( backlog * 4 ))) n" >/dev/null
    due=$backlog
    PLANNER[$backlog]=$(run_form planner "$backlog")
    SORTING_OFF[$backlog]=$(run_form sorting-off "$backlog")
    # Whether the planner's form sorts (EXPLAIN), for the record.
    SORTS[$backlog]=$(psql_db -c "set search_path = claim_bench; prepare c as $(sed -n '3p' "$RUN_DIR/planner.sql" | sed "s/:p/1/");
        explain execute c;" | grep -c 'Sort' || true)
done
# The outbound dispatcher's claim (EventDeliveries.CLAIM: each endpoint's first pending delivery of each order key),
# timed once (EXPLAIN ANALYZE, in a transaction rolled back) with the statistics of a settled table (SETTLED / 10
# delivered), and again after an ANALYZE of it: one endpoint, DELIVERIES pending, 5,000 order keys (cases).
# outbound_event's reference to the audit trail is dropped in this schema: the rows are written here, not by the
# audit trail's trigger.
if (( DELIVERIES > 0 )); then
    log "the dispatcher's claim at $DELIVERIES pending deliveries"
    python3 - "$ROOT/src/main/java/com/kychub/outbound/EventDeliveries.java" "$RUN_DIR" <<'PY' \
        || die "cannot find the claim in EventDeliveries.java"
import re, sys
source, out = open(sys.argv[1]).read(), sys.argv[2]
sql = re.search(r'String CLAIM = """\n(.*?)"""', source, re.S).group(1)
values = ["'{WEBHOOK}'", "'{}'", "'{}'", "8", "200"]   # kinds, busy endpoints, their counts, slots, limit
assert sql.count("?") == len(values), sql
for value in values:
    sql = sql.replace("?", value, 1)
open(out + "/delivery-claim.sql", "w").write(sql)
PY
    psql_db >/dev/null <<SQL
set client_min_messages = warning; set search_path = claim_bench;
alter table event_delivery set (autovacuum_enabled = false);
alter table outbound_event set (autovacuum_enabled = false);
alter table outbound_event drop constraint outbound_event_kyc_event_id_fkey;
insert into event_endpoint (id, url, secret) values ('00000000-0000-0000-0000-000000000001', 'http://127.0.0.1/', 's');
insert into outbound_event (event_id, kyc_event_id, type, order_key, sequence, payload)
select 'settled-' || n, n, 'kyc.case.updated', 'case-' || (n % 5000), 1, '{}' from generate_series(1, $((SETTLED / 10))) n;
insert into event_delivery (event_id, endpoint_id, order_key, state, delivered_at)
select id, '00000000-0000-0000-0000-000000000001', order_key, 'DELIVERED', now() from outbound_event;
analyze event_delivery; analyze outbound_event;
insert into outbound_event (event_id, kyc_event_id, type, order_key, sequence, payload)
select 'pending-' || n, $SETTLED + n, 'kyc.case.updated', 'case-' || (n % 5000), 1, '{}'
from generate_series(1, $DELIVERIES) n;
insert into event_delivery (event_id, endpoint_id, order_key)
select id, '00000000-0000-0000-0000-000000000001', order_key from outbound_event where event_id like 'pending-%';
SQL
    # Milliseconds of one claim: the execution time EXPLAIN ANALYZE reports.
    time_delivery_claim() {
        psql_db -c "set search_path = claim_bench; begin;
                    explain (analyze, format json) $(cat "$RUN_DIR/delivery-claim.sql"); rollback;" \
            | python3 -c 'import json, sys; print("%.1f" % json.loads(sys.stdin.read())[0]["Execution Time"])'
    }
    DELIVERY_STALE=$(time_delivery_claim)
    psql_db -c 'set search_path = claim_bench; analyze event_delivery' >/dev/null
    DELIVERY_ANALYZED=$(time_delivery_claim)
fi

ANALYZED=$(psql_db -c "select analyze_count + autoanalyze_count from pg_stat_user_tables
                       where schemaname = 'claim_bench' and relname = 'inbound_message'")

{
    echo "claim: one inbox claim during a burst, with statistics taken on a settled inbox"
    machine_line
    echo "postgresql : $(psql_db -c 'show server_version'), work_mem=$(psql_db -c 'show work_mem'), $DB_HOST:$DB_PORT/$DB_NAME (schema claim_bench)"
    echo "code       : the claim of src/main/java/com/kychub/inbound/Inbox.java at $(git -C "$ROOT" rev-parse --short HEAD)"
    [[ -z $NOTE ]] || echo "note       : $NOTE"
    echo "inbox      : $SETTLED processed messages when ANALYZE ran; then the due messages below, 1 kB bodies"
    echo "load       : pgbench -M prepared, $CLIENTS clients, $DURATION s per form and backlog; each transaction one claim"
    echo "             (the oldest due message of one of four providers, FOR UPDATE SKIP LOCKED), nothing settled"
    echo
    printf '%-22s %16s %10s %16s %10s %8s\n' "due per provider" "planner claims/s" "ms each" \
        "sorting off /s" "ms each" ratio
    for backlog in $BACKLOGS; do
        read -r p_tps p_ms <<<"${PLANNER[$backlog]}"
        read -r s_tps s_ms <<<"${SORTING_OFF[$backlog]}"
        printf '%-22s %16s %10s %16s %10s %8s\n' "$backlog$( (( SORTS[$backlog] > 0 )) && echo ' (planner sorts)')" \
            "$p_tps" "$p_ms" "$s_tps" "$s_ms" "$(awk -v a="$s_tps" -v b="$p_tps" 'BEGIN { printf "%.1f", a / b }')"
    done
    echo
    echo "planner: the claim left to the planner (the hub before b66b62d); sorting off: as the hub runs it now"
    echo "         (DurableQueue.claim). ratio: sorting off / planner. (planner sorts): EXPLAIN of the planner's form"
    echo "         shows a Sort. ANALYZE runs of the table after the first: $((ANALYZED - 1)) (must be 0)"
    if (( DELIVERIES > 0 )); then
        echo
        echo "The outbound dispatcher's claim (EventDeliveries.CLAIM), one endpoint, $DELIVERIES pending deliveries of 5,000"
        echo "cases, $((SETTLED / 10)) delivered when ANALYZE ran: one claim (EXPLAIN ANALYZE) took ${DELIVERY_STALE} ms with those"
        echo "statistics, ${DELIVERY_ANALYZED} ms after an ANALYZE of event_delivery (V21: every 1,000 rows changed)"
    fi
    (( ANALYZED == 1 )) && echo "RESULT PASS" || echo "RESULT FAIL: the statistics changed during the run"
} | save_summary
