#!/usr/bin/env bash
# Webhook ingest benchmark: how many webhooks per second the hub durably acknowledges, for each of the four webhook
# providers and for all four mixed, next to pgbench running the hub's one-transaction-per-webhook INSERT against the
# same PostgreSQL server in the same run. See bench/README.md.
#
#   bench/ingest.sh                                              # defaults below
#   WARMUP=20 DURATION=10 REQUESTS=60000 LAST=0 bench/ingest.sh  # quick smoke run
#   PHASES=mixed WORKERS=0 CANDIDATES="shipped= security-observed=--management.observations.enable.spring.security=true" \
#       bench/ingest.sh                                          # candidates side by side, the door's CPU alone
#
# Settings (environment):
#   CONCURRENCY=32   open connections of the load generator (wrk -c), and pgbench clients (-c)
#   THREADS=1        wrk threads (-t) and pgbench threads (-j)
#   WARMUP=180       seconds of mixed load before the first measured phase (the JVM compiles its hot code)
#   DURATION=20      measured seconds per phase, hub and pgbench alike
#   PHASES="striga connectfi argos ondato mixed"
#   REQUESTS=300000  distinct signed webhooks written per phase (more than DURATION x the hub's rate)
#   PORT=18080 STUB_PORT=18090   the hub's and the provider stub's ports (127.0.0.1)
#   BENCH_DB=kyc_hub_bench       the database on 127.0.0.1:5432; it is EMPTIED (its name must contain "bench")
#   CANDIDATES="shipped="        hubs to measure one after the other in this run, each NAME=ARGS: the hub's extra
#                                arguments, comma-separated (a candidate setting against the shipped one)
#   WORKERS=1                    0: the inbox workers stopped (kyc.inbox.processing-enabled=false), the door's CPU alone
#   STATEMENTS=0                 1: PostgreSQL's time per statement in each hub phase (pg_stat_statements, which the
#                                server must preload: shared_preload_libraries; this script changes no server setting)
#   BUILD, HUB_JAVA_OPTS, LAST (1: also save bench/last/ingest.txt), NOTE: as in proof-lib.sh
set -euo pipefail

NAME=ingest
CONCURRENCY=${CONCURRENCY:-32}
THREADS=${THREADS:-1}
WARMUP=${WARMUP:-180}
DURATION=${DURATION:-20}
PHASES=${PHASES:-striga connectfi argos ondato mixed}
REQUESTS=${REQUESTS:-300000}
CANDIDATES=${CANDIDATES:-shipped=}
WORKERS=${WORKERS:-1}
STATEMENTS=${STATEMENTS:-0}
PORT=${PORT:-18080}
STUB_PORT=${STUB_PORT:-18090}
DB_NAME=${BENCH_DB:-kyc_hub_bench}

# shellcheck source=bench/proof-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/proof-lib.sh"

for n in CONCURRENCY THREADS WARMUP DURATION REQUESTS PORT STUB_PORT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( CONCURRENCY >= THREADS && THREADS >= 1 && DURATION >= 1 )) || die "need CONCURRENCY >= THREADS >= 1, DURATION >= 1"
for phase in $PHASES; do
    [[ $phase =~ ^(striga|connectfi|argos|ondato|mixed)$ ]] || die "unknown phase '$phase'"
done
CANDIDATE_NAMES=()
declare -A CANDIDATE_ARGS
for candidate in $CANDIDATES; do
    [[ $candidate =~ ^([a-z0-9-]+)=(--[^ ]*)?$ ]] || die "a candidate is NAME=ARGS (--name=value,...), got '$candidate'"
    CANDIDATE_NAMES+=("${BASH_REMATCH[1]}")
    CANDIDATE_ARGS[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done
[[ $WORKERS =~ ^[01]$ ]] || die "WORKERS is 0 or 1, got '$WORKERS'"
[[ $STATEMENTS =~ ^[01]$ ]] || die "STATEMENTS is 0 or 1, got '$STATEMENTS'"
# A run of the door alone (bench/last/ingest-candidates.txt), or of candidates with their workers
# (ingest-candidates-workers.txt), is kept apart from the shipped hub's.
if (( WORKERS == 0 )); then
    NAME=ingest-candidates
elif [[ $CANDIDATES != shipped= ]]; then
    NAME=ingest-candidates-workers
fi
for tool in wrk pgbench; do
    command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install wrk postgresql-client)"
done

proof_setup

providers_of() { [[ $1 == mixed ]] && echo striga,connectfi,argos,ondato || echo "$1"; }

log "writing $REQUESTS signed webhooks per phase"
for phase in $PHASES warmup; do
    java -cp "$RUN_DIR/client-classes" ProofClient requests --providers "$(providers_of "${phase/warmup/mixed}")" \
        --count "$REQUESTS" --out "$RUN_DIR/$phase.requests" >/dev/null
done

TICKS_PER_SECOND=$(getconf CLK_TCK)
# The commit-batch summary's count and total, from the hub's metrics endpoint.
commit_batches() {
    operator_curl -s "http://127.0.0.1:$PORT/actuator/metrics/kyc.inbox.commit.batch" | python3 -c '
import json, sys
m = {s["statistic"]: s["value"] for s in json.load(sys.stdin)["measurements"]}
print(int(m.get("COUNT", 0)), int(m.get("TOTAL", 0)))'
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
# Messages the workers processed so far (kyc.inbox.messages{outcome=processed}, every provider).
processed_count() {
    operator_curl -s "http://127.0.0.1:$PORT/actuator/metrics/kyc.inbox.messages?tag=outcome:processed" | python3 -c '
import json, sys
print(int(sum(s["value"] for s in json.load(sys.stdin).get("measurements", []) if s["statistic"] == "COUNT")))' \
        2>/dev/null || echo 0
}
# What the whole machine does meanwhile. cpu_now: the clock (ms), the machine's busy CPU time so far in ticks (every
# CPU; not idle, iowait or steal), and the ticks of the processes that share it: the hub, PostgreSQL (its processes,
# and those its postmaster has reaped: autovacuum workers come and go), the load generator (wrk or pgbench: children
# of this script, counted once it has waited for them, with the few psql and curl readings around them) and the
# providers' stand-in.
# wal_now: PostgreSQL's WAL so far (bytes, flushes, flush time in ms: 0 unless the server has track_wal_io_timing on).
cpu_now() {
    local machine
    machine=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v now="$(date +%s%3N)" -v machine="$machine" -v hub="${HUB_PID:-0}" \
        -v stub="${STUB_PID:-0}" -v self="$$" '{
            # pid (comm) state ppid ... utime stime cutime cstime: the name may hold spaces and parentheses.
            lp = index($0, "("); rp = last_paren($0)
            split(substr($0, rp + 2), f, " ")
            name[$1] = substr($0, lp + 1, rp - lp - 1)
            parent[$1] = f[2]; own[$1] = f[12] + f[13]; reaped[$1] = f[14] + f[15] }
        function last_paren(s,   i) { for (i = length(s); i > 0; i--) if (substr(s, i, 1) == ")") return i; return 0 }
        END {
            for (p in own) {
                if (p == hub) h += own[p]
                else if (p == stub) st += own[p]
                else if (p == self) w += reaped[p]
                else if (name[p] == "postgres") {
                    pg += own[p]
                    if (name[parent[p]] != "postgres") pg += reaped[p]
                }
            }
            printf "%d %d %d %d %d %d\n", now, machine, h, pg, w, st }'
}
wal_now() { psql_db -F ' ' -c 'select wal_bytes, wal_sync, wal_sync_time from pg_stat_wal'; }
# "busy cores (hub, PostgreSQL, load generator, stand-in), WAL flushes/s, ms/flush, WAL kB per webhook" over a phase that
# stored $1 webhooks, from cpu_now ($2 $3) and wal_now ($4 $5) before and after.
machine_summary() {
    awk -v n="$1" -v hz="$TICKS_PER_SECOND" -v c0="$2" -v c1="$3" -v before="$4" -v after="$5" 'BEGIN {
        split(c0, x, " "); split(c1, y, " "); d = (y[1] - x[1]) / 1000
        for (i = 2; i <= 6; i++) cores[i] = (y[i] - x[i]) / hz / d
        split(before, b, " "); split(after, a, " "); syncs = a[2] - b[2]
        printf "%.2f cores (hub %.2f, PostgreSQL %.2f, load %.2f, stand-in %.2f), %d WAL flushes/s, %s ms/flush, %.2f kB WAL/webhook",
            cores[2], cores[3], cores[4], cores[5], cores[6], syncs / d,
            (a[3] - b[3] > 0 ? sprintf("%.2f", (a[3] - b[3]) / syncs) : "n/a"), n ? (a[1] - b[1]) / 1024 / n : 0 }'
}
# An empty store and clean buffers, so that the warm-up and every pgbench phase start equal. Only with the hub's
# workers idle or the hub stopped: busy, they keep a table locked most of the time.
fresh_store() {
    reset_store
    psql_db -c 'checkpoint'
}

ensure_database
reset_store
start_stub "$STUB_PORT"
if (( STATEMENTS == 1 )); then
    psql_db -c 'set client_min_messages = warning; create extension if not exists pg_stat_statements' >/dev/null \
        && psql_db -c 'select count(*) from pg_stat_statements' >/dev/null 2>&1 \
        || die "STATEMENTS=1 needs pg_stat_statements preloaded by the server (shared_preload_libraries), then a restart"
fi
# statements KEY PROCESSED: the statements of the hub's phase KEY by their time in PostgreSQL, per processed message.
statements() {
    psql_db -F $'\t' -c "
        select calls, round(total_exec_time::numeric, 1), regexp_replace(query, '\s+', ' ', 'g')
        from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        order by total_exec_time desc limit 15" | awk -F'\t' -v key="$1" -v n="$2" '
        { printf "%-28s %10.3f %10.2f   %s\n", key, n ? $2 / n : 0, n ? $1 / n : 0, substr($3, 1, 100) }'
}

# --- The hub, per candidate: a warm-up, then one phase per provider and one mixed ------------------------------------
# The store is not emptied between phases: the workers are still processing the backlog (as they would after a
# burst in production), and that is CPU the next phase shares. Each phase's rows are those after its first id.
declare -A HUB_RESULT HUB_ROWS HUB_CPU HUB_BATCH HUB_STATES HUB_MACHINE HUB_PROCESSED HUB_STATEMENTS
for candidate in "${CANDIDATE_NAMES[@]}"; do
    HUB_ARGS=()
    IFS=, read -r -a HUB_ARGS <<<"${CANDIDATE_ARGS[$candidate]}"
    (( WORKERS == 1 )) || HUB_ARGS+=(--kyc.inbox.processing-enabled=false)
    # The webhooks go where the providers are sent: the doors' own port (kyc.webhooks.engine both, the default, or
    # vertx), or the hub's port for a candidate that serves them there only (kyc.webhooks.engine=servlet).
    WEBHOOK_PORT=$(doors_port)
    [[ ! ${CANDIDATE_ARGS[$candidate]} =~ --kyc.webhooks.vertx-port=([0-9]+) ]] || WEBHOOK_PORT=${BASH_REMATCH[1]}
    [[ ! ${CANDIDATE_ARGS[$candidate]} =~ --kyc.webhooks.engine=servlet ]] || WEBHOOK_PORT=$PORT
    fresh_store
    start_hub
    wait_healthy
    log "hub $candidate is up (${HUB_ARGS[*]:-shipped settings}; log: ${HUB_LOG#"$ROOT"/})"
    log "hub $candidate, warm-up: ${WARMUP} s of mixed load"
    send_webhooks "$WARMUP" "$RUN_DIR/warmup.requests" "$RUN_DIR/warmup-$candidate.txt"
    for phase in $PHASES; do
        key=$candidate/$phase
        psql_db -c 'checkpoint'
        first_id=$(psql_db -c "select coalesce(max(id), 0) + 1 from inbound_message")
        log "hub $candidate, $phase: ${DURATION} s"
        processed_before=$(processed_count)
        read -r batches_before stored_before < <(commit_batches)
        (( STATEMENTS == 0 )) || psql_db -c 'select pg_stat_statements_reset()' >/dev/null
        machine_before=$(cpu_now) wal_before=$(wal_now)
        send_webhooks "$DURATION" "$RUN_DIR/$phase.requests" "$RUN_DIR/hub-$candidate-$phase.txt"
        machine_after=$(cpu_now) wal_after=$(wal_now)
        processed_after=$(processed_count)
        (( STATEMENTS == 0 )) || HUB_STATEMENTS[$key]=$(statements "$key" $((processed_after - processed_before)))
        # The hub's CPU time over the phase, in clock ticks: cpu_now's third field.
        read -r _ _ ticks_before _ <<<"$machine_before"
        read -r _ _ ticks_after _ <<<"$machine_after"
        read -r batches_after stored_after < <(commit_batches)
        result=$(grep '^RESULT wrk ' "$RUN_DIR/hub-$candidate-$phase.txt") \
            || die "wrk gave no result: see $RUN_DIR/hub-$candidate-$phase.txt"
        HUB_RESULT[$key]=$result
        HUB_ROWS[$key]=$(psql_db -c "select count(*) from inbound_message where channel = 'WEBHOOK' and id >= $first_id")
        acks=$(( $(field "$result" requests) - $(field "$result" non2xx) ))
        HUB_CPU[$key]=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$TICKS_PER_SECOND" -v n="$acks" \
            -v d="$DURATION" 'BEGIN { printf "%.3f ms/ack, %.2f cores", n ? t * 1000 / hz / n : 0, t / hz / d }')
        HUB_MACHINE[$key]=$(machine_summary "$acks" "$machine_before" "$machine_after" "$wal_before" "$wal_after")
        # Over the same clock as the machine's readings (a little longer than DURATION: wrk's start and end).
        HUB_PROCESSED[$key]=$(( (processed_after - processed_before) * 1000
                                / (${machine_after%% *} - ${machine_before%% *}) ))
        HUB_BATCH[$key]=$(awk -v n=$((batches_after - batches_before)) -v s=$((stored_after - stored_before)) \
            'BEGIN { printf "%.1f", n ? s / n : 0 }')
        # One stored webhook of each provider: pgbench's template.
        for provider in ${phase/mixed/striga connectfi argos ondato}; do
            psql_db -c "select headers::text from inbound_message where provider = '$provider' and channel = 'WEBHOOK'
                        order by id desc limit 1" >"$RUN_DIR/template-$provider.headers"
            psql_db -c "select body from inbound_message where provider = '$provider' and channel = 'WEBHOOK'
                        order by id desc limit 1" >"$RUN_DIR/template-$provider.body"
        done
    done
    HUB_STATES[$candidate]=$(psql_db -F ' ' -c "select coalesce(string_agg(state || '=' || n, ' ' order by state), 'none')
                                      from (select state, count(*) n from inbound_message group by state) s")
    stop_hub
done
fresh_store

# --- pgbench: the hub's per-webhook INSERT, one autocommit transaction each ------------------------------------
# Run with the hub stopped, so that each side has the machine to itself (an idle hub still polls its inbox).
# Like the JDBC driver, -M prepared binds every value as a parameter. The dedup key has the hub's shape ("sha256:"
# and 64 characters), unique, at a random place in the unique index, as a SHA-256 is.
for provider in striga connectfi argos ondato; do
    cat >"$RUN_DIR/$provider.pgbench" <<EOF
\\set r random(1, 9223372036854775806)
insert into inbound_message (provider, channel, message_type, dedup_key, headers, body)
values ('$provider', 'WEBHOOK', 'webhook', 'sha256:' || lpad(:client_id::text || '-' || :r::text, 64, '0'),
        :${provider}_headers::jsonb, :${provider}_body)
on conflict (provider, dedup_key) do nothing
returning id;
EOF
done
declare -A PGB_RESULT PGB_MACHINE
for phase in $PHASES; do
    fresh_store
    scripts=() variables=()
    for provider in ${phase/mixed/striga connectfi argos ondato}; do
        scripts+=(-f "$RUN_DIR/$provider.pgbench")
        variables+=(-D "${provider}_headers=$(cat "$RUN_DIR/template-$provider.headers")"
                    -D "${provider}_body=$(cat "$RUN_DIR/template-$provider.body")")
    done
    log "pgbench, $phase: ${DURATION} s"
    rm -rf "$RUN_DIR/pgbench-$phase-log" && mkdir -p "$RUN_DIR/pgbench-$phase-log"
    machine_before=$(cpu_now) wal_before=$(wal_now)
    pgbench -n -M prepared -c "$CONCURRENCY" -j "$THREADS" -T "$DURATION" "${scripts[@]}" "${variables[@]}" \
        --log --log-prefix="$RUN_DIR/pgbench-$phase-log/log" -h "$DB_HOST" -p "$DB_PORT" -U postgres "$DB_NAME" \
        >"$RUN_DIR/pgbench-$phase.txt" 2>&1 || die "pgbench failed: see $RUN_DIR/pgbench-$phase.txt"
    machine_after=$(cpu_now) wal_after=$(wal_now)
    rows=$(psql_db -c "select count(*) from inbound_message")
    PGB_MACHINE[$phase]=$(machine_summary "$rows" "$machine_before" "$machine_after" "$wal_before" "$wal_after")
    # Per-transaction log: client_id transaction_no time_us script_no epoch_s epoch_us.
    PGB_RESULT[$phase]=$(cat "$RUN_DIR/pgbench-$phase-log"/log* | awk '$3 ~ /^[0-9]+$/ { print $3; next } { failed++ }
        END { if (failed) print "failed " failed > "/dev/stderr" }' | sort -n | awk -v d="$DURATION" -v rows="$rows" '
        function rank(p) { return int((p * NR + 99) / 100) }
        { v[NR] = $1; sum += $1 }
        END { printf "RESULT pgbench transactions=%d rows=%d per_s=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
                  NR, rows, NR / d, v[rank(50)] / 1000, v[rank(99)] / 1000, v[NR] / 1000 }')
done
fresh_store

# --- Summary -----------------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
{
    echo "=== Webhook ingest: hub vs pgbench ($TS) ==="
    header_lines
    echo "load       : $CONCURRENCY connections (wrk -t $THREADS) and $CONCURRENCY pgbench clients (-j $THREADS); warm-up ${WARMUP} s mixed per hub; ${DURATION} s measured per phase"
    echo "workers    : $( (( WORKERS == 1 )) && echo "running, as in production" || echo "stopped: the door's CPU alone")"
    for candidate in "${CANDIDATE_NAMES[@]}"; do
        echo "candidate  : $candidate: ${CANDIDATE_ARGS[$candidate]:-the shipped settings}"
    done
    echo
    printf '%-28s %10s %9s %9s   %10s %9s %9s   %10s %10s   %s\n' "hub/phase" "hub acks/s" "p50 ms" "p99 ms" \
        "pgbench/s" "p50 ms" "p99 ms" "rate ratio" "p99 ratio" "hub: CPU, webhooks per commit"
    for candidate in "${CANDIDATE_NAMES[@]}"; do
        for phase in $PHASES; do
            key=$candidate/$phase hub=${HUB_RESULT[$candidate/$phase]} pgb=${PGB_RESULT[$phase]}
            acks=$(( $(field "$hub" requests) - $(field "$hub" non2xx) ))
            hub_rate=$(awk -v n="$acks" -v us="$(field "$hub" duration_us)" 'BEGIN { printf "%.1f", n * 1e6 / us }')
            printf '%-28s %10s %9s %9s   %10s %9s %9s   %10s %10s   %s\n' "$key" "$hub_rate" \
                "$(field "$hub" p50_ms)" "$(field "$hub" p99_ms)" "$(field "$pgb" per_s)" "$(field "$pgb" p50_ms)" \
                "$(field "$pgb" p99_ms)" "$(ratio "$hub_rate" "$(field "$pgb" per_s)")" \
                "$(ratio "$(field "$hub" p99_ms)" "$(field "$pgb" p99_ms)")" "${HUB_CPU[$key]}, ${HUB_BATCH[$key]}"
        done
    done
    echo
    echo "rate ratio: hub acks/s / pgbench transactions/s (above 1: the hub acknowledges more webhooks per second than"
    echo "            PostgreSQL commits one-INSERT transactions); p99 ratio: hub p99 / pgbench p99 (HTTP included)"
    echo
    printf '%-28s %-130s %s\n' "phase" "the machine: busy CPU, PostgreSQL's WAL flushes" "processed by the workers"
    for candidate in "${CANDIDATE_NAMES[@]}"; do
        for phase in $PHASES; do
            printf '%-28s %-130s %s\n' "$candidate/$phase" "${HUB_MACHINE[$candidate/$phase]}" \
                "$( (( WORKERS == 1 )) && echo "${HUB_PROCESSED[$candidate/$phase]} messages/s" || echo "stopped")"
        done
    done
    for phase in $PHASES; do
        printf '%-28s %-130s %s\n' "pgbench/$phase" "${PGB_MACHINE[$phase]}" "-"
    done
    echo "the machine: busy CPU over the phase in cores of $(nproc), all processes and the kernel, and the part of it of the"
    echo "             hub, PostgreSQL (every process of the server), the load generator (wrk or pgbench) and the"
    echo "             providers' stand-in; PostgreSQL's WAL flushes and their time (which needs the server's"
    echo "             track_wal_io_timing), and WAL per webhook"
    if (( STATEMENTS == 1 )); then
        printf '%-28s %10s %10s   %s\n' phase "ms each" "calls each" "statement (pg_stat_statements), by its time in the phase"
        for candidate in "${CANDIDATE_NAMES[@]}"; do
            for phase in $PHASES; do
                echo "${HUB_STATEMENTS[$candidate/$phase]}"
            done
        done
        echo "ms each, calls each: PostgreSQL's execution time and calls over the phase, divided by the messages the"
        echo "             workers processed in it (the door's statements too: the INSERT of webhooks, its COMMIT)"
    fi
    for candidate in "${CANDIDATE_NAMES[@]}"; do
        for phase in $PHASES; do
            key=$candidate/$phase hub=${HUB_RESULT[$candidate/$phase]}
            acks=$(( $(field "$hub" requests) - $(field "$hub" non2xx) ))
            rows=${HUB_ROWS[$key]}
            # A webhook stored but whose answer was lost (wrk counts a read error: the connection closed under it) is
            # one more row, as it would be a redelivery for a provider.
            lost=$(field "$hub" read_errors)
            check "$( (( $(field "$hub" non2xx) == 0 && $(field "$hub" wraps) == 0 && rows >= acks
                       && rows <= acks + CONCURRENCY + lost )) && echo t)" \
                "$key: every answer 2xx and every acknowledged webhook stored: $acks acks, $(field "$hub" non2xx) non-2xx, $(field "$hub" wraps) re-sent (duplicates), $rows rows (at most $CONCURRENCY more, answered after the window, and $lost more, answers lost)"
        done
    done
    for phase in $PHASES; do
        pgb=${PGB_RESULT[$phase]}
        check "$([[ $(field "$pgb" transactions) == "$(field "$pgb" rows)" ]] && echo t)" \
            "$phase: pgbench inserted one row per transaction: $(field "$pgb" transactions) transactions, $(field "$pgb" rows) rows"
    done
    for candidate in "${CANDIDATE_NAMES[@]}"; do
        echo "hub $candidate's inbox after its last phase: ${HUB_STATES[$candidate]}"
    done
    for candidate in "${CANDIDATE_NAMES[@]}"; do
        for phase in $PHASES; do
            echo "${HUB_RESULT[$candidate/$phase]/RESULT wrk/RESULT hub $candidate $phase}"
        done
    done
    for phase in $PHASES; do
        echo "${PGB_RESULT[$phase]/RESULT pgbench/RESULT pgbench $phase}"
    done
    if (( FAILED_CHECKS == 0 )); then echo "RESULT PASS"; else echo "RESULT FAIL ($FAILED_CHECKS checks failed)"; fi
} >"$RUN_DIR/summary.txt"
save_summary <"$RUN_DIR/summary.txt"
(( FAILED_CHECKS == 0 ))
