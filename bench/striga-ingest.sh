#!/usr/bin/env bash
# Striga webhook ingest benchmark: how fast the hub durably acknowledges signed Striga KYC webhooks, next to
# pgbench running the hub's own per-webhook INSERT (Inbox.store) against the same PostgreSQL server.
#
#   bench/striga-ingest.sh                                   # defaults below
#   CONCURRENCY=8 DURATION=5 WARMUP=2 bench/striga-ingest.sh # short smoke run
#
# Settings (environment):
#   CONCURRENCY=32  closed-loop HTTP workers for the hub, and pgbench clients (-c)
#   DURATION=20     measured seconds, for both
#   WARMUP=5        seconds of load before measuring (not counted), for both
#   PORT=18080      the hub's HTTP port (127.0.0.1 only)
#   BUILD=0         1: rebuild the jar even if it exists (mvn -q -B -DskipTests package)
#   BENCH_DB=kyc_hub_bench   database used when KYC_DB_URL is not set
#   HUB_JAVA_OPTS=  extra JVM options for the hub
#   KYC_DB_URL / KYC_DB_USER / KYC_DB_PASSWORD: honoured when set (passed to the hub, and pgbench pointed at the
#                   same database). The host must be loopback, and the database is TRUNCATED: its name must contain
#                   "bench", or BENCH_ALLOW_TRUNCATE must equal its name.
#
# Output: a summary on stdout, also saved as bench/results/striga-ingest-<UTC timestamp>.txt; the hub's log in
# bench/results/hub.log, the raw outputs in bench/results/hub-load.txt and bench/results/pgbench.txt, pgbench's
# script and the stored webhook it replays in bench/results/striga-insert.pgbench and pgbench-template.txt.
set -euo pipefail

CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
PORT=${PORT:-18080}
BUILD=${BUILD:-0}
BENCH_DB=${BENCH_DB:-kyc_hub_bench}
HUB_JAVA_OPTS=${HUB_JAVA_OPTS:-}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RESULTS=$BENCH_DIR/results
JAR=$ROOT/target/kyc-hub-0.1.0-SNAPSHOT.jar
TS=$(date -u +%Y%m%dT%H%M%SZ)
SUMMARY=$RESULTS/striga-ingest-$TS.txt
HUB_URL=http://127.0.0.1:$PORT
HUB_PID=

die() { echo "striga-ingest: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

for n in CONCURRENCY DURATION WARMUP PORT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( CONCURRENCY >= 1 && DURATION >= 1 )) || die "CONCURRENCY and DURATION must be at least 1"
for tool in java psql pgbench curl openssl awk sort; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done

# --- Which database: the one KYC_DB_URL names, or the local server's $BENCH_DB --------------------------------
if [[ -n ${KYC_DB_URL:-} ]]; then
    re='^jdbc:postgresql://(\[[^]]+\]|[^/:?,]+)(:([0-9]+))?/([^?]+)(\?(.*))?$'
    [[ $KYC_DB_URL =~ $re ]] || die "cannot parse KYC_DB_URL (expected jdbc:postgresql://host[:port]/db[?...])"
    DB_HOST=${BASH_REMATCH[1]}; DB_HOST=${DB_HOST#[}; DB_HOST=${DB_HOST%]}
    DB_PORT=${BASH_REMATCH[3]:-5432}
    DB_NAME=${BASH_REMATCH[4]}
    params=${BASH_REMATCH[6]:-}
    DB_USER=${KYC_DB_USER:-}
    DB_PASSWORD=${KYC_DB_PASSWORD:-}
    if [[ -z $DB_USER && $params =~ (^|&)user=([^&]*) ]]; then DB_USER=${BASH_REMATCH[2]}; fi
    if [[ -z $DB_PASSWORD && $params =~ (^|&)password=([^&]*) ]]; then DB_PASSWORD=${BASH_REMATCH[2]}; fi
    DB_USER=${DB_USER:-postgres}
    DB_SOURCE="KYC_DB_URL"
    HUB_DB_ENV=()   # the hub reads KYC_DB_* from the inherited environment
else
    [[ $BENCH_DB =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DB must be a plain lowercase identifier"
    DB_HOST=127.0.0.1; DB_PORT=5432; DB_NAME=$BENCH_DB; DB_USER=postgres; DB_PASSWORD=
    DB_SOURCE="local server"
    if [[ $(id -un) == root ]]; then
        # As root the hub itself uses 127.0.0.1:5432 and creates the database (HubDataSourceConfiguration).
        HUB_DB_ENV=()
    else
        # An ordinary user's hub would start an embedded PostgreSQL, which pgbench could not share: point the
        # hub at the local server instead.
        HUB_DB_ENV=("KYC_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB_NAME" "KYC_DB_USER=postgres" "KYC_DB_PASSWORD=")
    fi
fi
case $DB_HOST in
    127.0.0.1|localhost|::1) ;;
    *) die "the database host must be loopback (127.0.0.1), got '$DB_HOST'" ;;
esac
if [[ $DB_NAME != *bench* && ${BENCH_ALLOW_TRUNCATE:-} != "$DB_NAME" ]]; then
    die "refusing to truncate database '$DB_NAME': its name does not contain 'bench' (set BENCH_ALLOW_TRUNCATE=$DB_NAME)"
fi
[[ -n $DB_PASSWORD ]] && export PGPASSWORD=$DB_PASSWORD
PG_CONN=(-h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER")

psql_db() { psql -X -q -A -t -v ON_ERROR_STOP=1 "${PG_CONN[@]}" -d "$DB_NAME" "$@"; }

ensure_database() {
    if ! psql -X -A -t "${PG_CONN[@]}" -d "$DB_NAME" -c 'select 1' >/dev/null 2>&1; then
        log "creating database $DB_NAME"
        psql -X -q -v ON_ERROR_STOP=1 "${PG_CONN[@]}" -d postgres -c "create database \"$DB_NAME\"" >/dev/null
    fi
}

# Empties the hub's tables in the bench database only (DB_NAME was checked above), so each phase starts equal.
reset_tables() {
    if [[ $(psql_db -c "select to_regclass('public.inbound_message') is not null") == t ]]; then
        psql_db -c 'truncate inbound_message, kyc_event, kyc_check, kyc_case, customer restart identity cascade'
        # Start each phase without dirty pages from the previous one (needs superuser or pg_checkpoint).
        psql_db -c 'checkpoint' 2>/dev/null || log "note: CHECKPOINT not permitted for $DB_USER, skipped"
    fi
}

stop_hub() {
    [[ -n $HUB_PID ]] || return 0
    if kill -0 "$HUB_PID" 2>/dev/null; then
        log "stopping the hub (pid $HUB_PID)"
        kill -TERM "$HUB_PID" 2>/dev/null || true
        for _ in $(seq 60); do
            kill -0 "$HUB_PID" 2>/dev/null || break
            sleep 1
        done
        if kill -0 "$HUB_PID" 2>/dev/null; then
            log "the hub did not stop within 60 s: killing it"
            kill -KILL "$HUB_PID" 2>/dev/null || true
        fi
    fi
    wait "$HUB_PID" 2>/dev/null || true
    HUB_PID=
}
cleanup() {
    stop_hub
    rm -f "$RESULTS/.kyc-hub-bench.jar" "$RESULTS/.pgbench-totals"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$RESULTS"

# --- Build -------------------------------------------------------------------------------------------------------
if [[ $BUILD == 1 || ! -f $JAR ]]; then
    log "building $JAR"
    (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the build failed"
fi
# Run a copy, so that a rebuild of target/ during the run cannot pull the jar from under the running hub.
cp "$JAR" "$RESULTS/.kyc-hub-bench.jar"
JAR_BUILT=$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)

# --- Phase 1: the hub ------------------------------------------------------------------------------------------
if curl -s -o /dev/null --max-time 2 "$HUB_URL/"; then
    die "something already answers on 127.0.0.1:$PORT: choose another PORT"
fi
ensure_database
reset_tables

STRIGA_KEY=$(openssl rand -hex 32)
API_KEY=$(openssl rand -hex 24)
log "starting the hub on port $PORT (log: bench/results/hub.log)"
# From the repository root, so that ./config/application.yml (the operator configuration) applies as in production.
(
    cd "$ROOT"
    # shellcheck disable=SC2086
    exec env ${HUB_DB_ENV[@]+"${HUB_DB_ENV[@]}"} KYC_STRIGA_API_KEY="$STRIGA_KEY" KYC_API_KEYS="$API_KEY" \
        java $HUB_JAVA_OPTS -jar "$RESULTS/.kyc-hub-bench.jar" \
        --server.port="$PORT" --server.address=127.0.0.1 --kyc.db.local-database="$DB_NAME"
) >"$RESULTS/hub.log" 2>&1 &
HUB_PID=$!

deadline=$((SECONDS + 120))
# The overall status, not a component's: Tomcat (and the db component) are up well before Camel's routes are, and
# until then the webhook path answers 404.
until health=$(curl -s --max-time 2 "$HUB_URL/actuator/health") && [[ $health == '{"status":"UP"'* ]]; do
    kill -0 "$HUB_PID" 2>/dev/null || { tail -n 30 "$RESULTS/hub.log" >&2; die "the hub exited during start-up"; }
    (( SECONDS < deadline )) || { tail -n 30 "$RESULTS/hub.log" >&2; die "the hub was not healthy within 120 s"; }
    sleep 1
done
log "the hub is up"
# The schema exists now (Flyway): start from empty tables.
reset_tables

log "hub load: $CONCURRENCY workers, warm-up ${WARMUP} s, measured ${DURATION} s"
set +e
timeout $((WARMUP + DURATION + 120)) java "$BENCH_DIR/StrigaLoad.java" --url "$HUB_URL/webhooks/striga/kyc" \
    --key "$STRIGA_KEY" --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP" \
    >"$RESULTS/hub-load.txt" 2>&1
load_rc=$?
set -e
cat "$RESULTS/hub-load.txt" >&2
HUB_RESULT=$(grep '^RESULT hub ' "$RESULTS/hub-load.txt" || true)
[[ -n $HUB_RESULT ]] || die "the load client gave no result (exit $load_rc)"
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

# What the hub stored, while it runs: the inbox worker's progress, and one stored webhook as pgbench's template.
HUB_STATES=$(psql_db -F ' ' -c "select coalesce(string_agg(state || '=' || n, ' ' order by state), 'none')
                                  from (select state, count(*) n from inbound_message group by state) s")
SAMPLE_HEADERS=$(psql_db -c "select headers::text from inbound_message where provider = 'striga' order by id desc limit 1")
SAMPLE_BODY=$(psql_db -c "select body from inbound_message where provider = 'striga' order by id desc limit 1")
[[ -n $SAMPLE_HEADERS && -n $SAMPLE_BODY ]] || die "the hub stored no webhook: see bench/results/hub.log"

stop_hub

# --- Phase 2: pgbench --------------------------------------------------------------------------------------------
# Run with the hub stopped, not idle: each side then gets the whole machine to itself, as the hub did in phase 1
# (where the load client shared it, as pgbench's client does here). An idle hub would still poll the inbox every
# 500 ms and could still be draining the backlog of its own run, taking CPU and I/O from pgbench.
reset_tables
PGB_SCRIPT=$RESULTS/striga-insert.pgbench
# Inbox.store's statement, one autocommit transaction each. Like the JDBC driver, pgbench -M prepared binds every
# value as a parameter. The dedup key has the hub's length ("sha256:" + 64 characters), is unique per client and
# transaction, and lands at a random place in the unique index, as a SHA-256 does.
cat >"$PGB_SCRIPT" <<'EOF'
\set r random(1, 9223372036854775806)
insert into inbound_message (provider, channel, dedup_key, headers, body)
values (:provider, :channel, 'sha256:' || lpad(:client_id::text || '-' || :r::text, 64, '0'), :headers::jsonb, :body)
on conflict (provider, dedup_key) do nothing
returning id;
EOF
printf 'headers=%s\nbody=%s\n' "$SAMPLE_HEADERS" "$SAMPLE_BODY" >"$RESULTS/pgbench-template.txt"
JOBS=$(( CONCURRENCY < 2 ? CONCURRENCY : 2 ))
# One extra second, so that the measured window is under full load to its end; the window is cut from the log.
PGB_SECONDS=$((WARMUP + DURATION + 1))
PGB_LOG_DIR=$RESULTS/pgbench-log
rm -rf "$PGB_LOG_DIR"
mkdir -p "$PGB_LOG_DIR"
log "pgbench: -c $CONCURRENCY -j $JOBS -T $PGB_SECONDS -M prepared (warm-up ${WARMUP} s cut from the log)"
set +e
timeout $((PGB_SECONDS + 120)) pgbench -n -M prepared -c "$CONCURRENCY" -j "$JOBS" -T "$PGB_SECONDS" \
    -f "$PGB_SCRIPT" -D provider=striga -D channel=WEBHOOK -D headers="$SAMPLE_HEADERS" -D body="$SAMPLE_BODY" \
    --log --log-prefix="$PGB_LOG_DIR/pgbench" "${PG_CONN[@]}" "$DB_NAME" >"$RESULTS/pgbench.txt" 2>&1
pgb_rc=$?
set -e
cat "$RESULTS/pgbench.txt" >&2
(( pgb_rc == 0 )) || die "pgbench failed (exit $pgb_rc)"
PGB_ROWS=$(psql_db -c "select count(*) from inbound_message where provider = 'striga'")

# Per-transaction log: client_id transaction_no time_us script_no epoch_s epoch_us. A transaction counts when it
# completes inside [start + WARMUP, start + WARMUP + DURATION), start being the earliest transaction start: the
# same rule as the load client's.
PGB_TOTALS=$RESULTS/.pgbench-totals
PGB_RESULT=$(cat "$PGB_LOG_DIR"/pgbench* | awk -v warmup="$WARMUP" -v duration="$DURATION" -v totals="$PGB_TOTALS" '
    $3 ~ /^[0-9]+$/ {
        n++; lat[n] = $3; end[n] = ($5 - 1700000000) * 1000000 + $6
        s = end[n] - $3; if (n == 1 || s < start) start = s
        next
    }
    { failed++ }   # "failed" or "skipped" instead of a time
    END {
        from = start + warmup * 1000000; until = from + duration * 1000000
        for (i = 1; i <= n; i++) if (end[i] >= from && end[i] < until) print lat[i]
        printf "%d %d\n", failed + 0, n > totals
    }' | sort -n | awk -v duration="$DURATION" '
    function rank(p) { return int((p * NR + 99) / 100) }   # nearest rank, p in percent
    { v[NR] = $1; sum += $1 }
    END {
        n = NR
        printf "RESULT pgbench transactions=%d tps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f\n",
            n, n / duration, (n ? v[rank(50)] : 0) / 1000, (n ? v[rank(99)] : 0) / 1000,
            (n ? v[n] : 0) / 1000, (n ? sum / n : 0) / 1000
    }')
read -r PGB_FAILED PGB_ALL <"$PGB_TOTALS"
rm -f "$PGB_TOTALS"
reset_tables   # leave no ACCEPTED pgbench rows for the next hub start to process

# --- Summary -----------------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
HUB_TPS=$(field "$HUB_RESULT" acks_per_s); PGB_TPS=$(field "$PGB_RESULT" tps)
HUB_P50=$(field "$HUB_RESULT" p50_ms);     PGB_P50=$(field "$PGB_RESULT" p50_ms)
HUB_P99=$(field "$HUB_RESULT" p99_ms);     PGB_P99=$(field "$PGB_RESULT" p99_ms)
HUB_MAX=$(field "$HUB_RESULT" max_ms);     PGB_MAX=$(field "$PGB_RESULT" max_ms)
HUB_OK=$(field "$HUB_RESULT" ok);          HUB_REQ=$(field "$HUB_RESULT" requests)
PROBLEMS=
if (( load_rc != 0 )) || [[ $(field "$HUB_RESULT" duplicates) != 0 || $HUB_OK != "$HUB_REQ" ]]; then
    PROBLEMS+="; the hub answered something other than 200 accepted (see bench/results/hub-load.txt)"
fi
if (( PGB_FAILED > 0 || PGB_ROWS != PGB_ALL )); then
    PROBLEMS+="; pgbench: $PGB_FAILED failed transactions, $PGB_ROWS rows inserted for $PGB_ALL transactions"
fi
VALID=${PROBLEMS:+NO${PROBLEMS}}
VALID=${VALID:-yes (every counted request acknowledged once; every pgbench transaction inserted a row)}
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$ROOT" status --porcelain -- src pom.xml routes config 2>/dev/null) ]]; then
    GIT_REV="$GIT_REV + uncommitted changes"
fi
CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MEM_TOTAL=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
PG_SETTING() { psql_db -c "show $1"; }

{
    echo "=== Striga webhook ingest: hub vs pgbench ($TS) ==="
    echo "machine    : $(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, $MEM_TOTAL RAM, load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "postgresql : $(PG_SETTING server_version), synchronous_commit=$(PG_SETTING synchronous_commit), fsync=$(PG_SETTING fsync), shared_buffers=$(PG_SETTING shared_buffers)"
    echo "database   : $DB_HOST:$DB_PORT/$DB_NAME as $DB_USER ($DB_SOURCE)"
    echo "hub        : jar built $JAR_BUILT, tree now at $GIT_REV, java $(java -version 2>&1 | awk -F'"' 'NR == 1 { print $2 }')"
    echo "load       : $CONCURRENCY concurrent clients, warm-up ${WARMUP} s, measured ${DURATION} s; body $(field "$HUB_RESULT" body_bytes) bytes, headers ${#SAMPLE_HEADERS} bytes"
    echo
    printf '%-9s %12s %10s %10s %10s   %s\n' "" "per second" "p50 ms" "p99 ms" "max ms" "counted"
    printf '%-9s %12s %10s %10s %10s   %s\n' hub "$HUB_TPS" "$HUB_P50" "$HUB_P99" "$HUB_MAX" \
        "$HUB_OK acks of $HUB_REQ requests, non-2xx $(field "$HUB_RESULT" non2xx), duplicates $(field "$HUB_RESULT" duplicates), errors $(field "$HUB_RESULT" errors)"
    printf '%-9s %12s %10s %10s %10s   %s\n' pgbench "$PGB_TPS" "$PGB_P50" "$PGB_P99" "$PGB_MAX" \
        "$(field "$PGB_RESULT" transactions) transactions, failed $PGB_FAILED"
    echo
    echo "hub/pgbench: throughput $(ratio "$HUB_TPS" "$PGB_TPS"), p50 latency $(ratio "$HUB_P50" "$PGB_P50"), p99 latency $(ratio "$HUB_P99" "$PGB_P99")"
    echo "hub inbox at end of load (the worker runs alongside): $HUB_STATES"
    echo "valid      : $VALID"
    echo "$HUB_RESULT"
    echo "$PGB_RESULT"
} | tee "$SUMMARY"
echo "saved: ${SUMMARY#"$ROOT"/}" >&2
