#!/usr/bin/env bash
# WIDTH poller benchmark: EXECUTIONS concurrent WIDTH executions, each to be polled every POLL_EVERY, against a
# WireMock stand-in for WIDTH on loopback that answers RUNNING. Measures how late each poll comes: for every two
# consecutive workflow.execution.status requests of one execution (the later one inside the measured window),
# lateness = the time between them - POLL_EVERY. Reports p50 / p99 / max lateness and polls per second.
#
#   bench/width-poller.sh                                        # defaults below
#   EXECUTIONS=100 DURATION=20 WARMUP=5 bench/width-poller.sh    # short smoke run
#
# Settings (environment):
#   EXECUTIONS=500    executions started through the hub API (register + workflow.apply.submit each)
#   DURATION=60       measured seconds
#   WARMUP=10         seconds after every execution is polled, not counted
#   POLL_EVERY_MS=3000  kyc.providers.width.poll-every
#   TICK_MILLIS=250   kyc.providers.width.poll-tick-millis (how often the Quartz poller claims due executions)
#   POLL_THREADS=8    kyc.providers.width.poll-threads (the bounded parallel split)
#   RPS=1000          kyc.providers.width.requests-per-second (the hub's own rate limit; WIDTH's is not public)
#   PORT=18081 / STUB_PORT=18089   the hub's and the stub's ports (127.0.0.1 only)
#   BUILD=0           1: rebuild the jar even if it exists
#   BENCH_DB=kyc_hub_bench_width   the database (on the local server 127.0.0.1:5432); it is TRUNCATED
#   HUB_JAVA_OPTS=    extra JVM options for the hub
#
# Output: a summary on stdout, also saved as bench/results/width-poller-<UTC timestamp>.txt; the hub's log in
# bench/results/width-hub.log, the stub's in bench/results/width-stub.log.
set -euo pipefail

EXECUTIONS=${EXECUTIONS:-500}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-10}
POLL_EVERY_MS=${POLL_EVERY_MS:-3000}
TICK_MILLIS=${TICK_MILLIS:-250}
POLL_THREADS=${POLL_THREADS:-8}
RPS=${RPS:-1000}
PORT=${PORT:-18081}
STUB_PORT=${STUB_PORT:-18089}
BUILD=${BUILD:-0}
BENCH_DB=${BENCH_DB:-kyc_hub_bench_width}
HUB_JAVA_OPTS=${HUB_JAVA_OPTS:-}
WIREMOCK_VERSION=3.13.2

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RESULTS=$BENCH_DIR/results
JAR=$ROOT/target/kyc-hub-0.1.0-SNAPSHOT.jar
WIREMOCK=${WIREMOCK_JAR:-$HOME/.m2/repository/org/wiremock/wiremock-standalone/$WIREMOCK_VERSION/wiremock-standalone-$WIREMOCK_VERSION.jar}
TS=$(date -u +%Y%m%dT%H%M%SZ)
SUMMARY=$RESULTS/width-poller-$TS.txt
HUB_URL=http://127.0.0.1:$PORT
STUB_URL=http://127.0.0.1:$STUB_PORT
STUB_DIR=$RESULTS/width-stub
HUB_PID=
STUB_PID=

die() { echo "width-poller: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

for n in EXECUTIONS DURATION WARMUP POLL_EVERY_MS TICK_MILLIS POLL_THREADS RPS PORT STUB_PORT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( EXECUTIONS >= 1 && DURATION >= 1 && POLL_THREADS >= 1 )) || die "EXECUTIONS, DURATION, POLL_THREADS must be >= 1"
[[ $BENCH_DB =~ ^[a-z_][a-z0-9_]*$ && $BENCH_DB == *bench* ]] || die "BENCH_DB must be a plain identifier containing 'bench'"
for tool in java psql curl openssl python3 xargs; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done

PG_CONN=(-h 127.0.0.1 -p 5432 -U postgres)
psql_db() { psql -X -q -A -t -v ON_ERROR_STOP=1 "${PG_CONN[@]}" -d "$BENCH_DB" "$@"; }
if [[ $(id -un) == root ]]; then
    HUB_DB_ENV=()   # as root the hub itself uses 127.0.0.1:5432 and creates the database
else
    HUB_DB_ENV=("KYC_DB_URL=jdbc:postgresql://127.0.0.1:5432/$BENCH_DB" "KYC_DB_USER=postgres" "KYC_DB_PASSWORD=")
fi

stop() {
    local pid=$1 name=$2
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    log "stopping the $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop "$HUB_PID" hub; HUB_PID=
    stop "$STUB_PID" stub; STUB_PID=
    rm -f "$RESULTS/.kyc-hub-width-bench.jar"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$RESULTS"
[[ -f $WIREMOCK ]] || die "WireMock standalone not found at $WIREMOCK (run the test suite once, or set WIREMOCK_JAR)"
if [[ $BUILD == 1 || ! -f $JAR ]]; then
    log "building $JAR"
    (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the build failed"
fi
cp "$JAR" "$RESULTS/.kyc-hub-width-bench.jar"
for url in "$HUB_URL/" "$STUB_URL/"; do
    ! curl -s -o /dev/null --max-time 2 "$url" || die "something already answers at $url: choose other ports"
done

# --- The WIDTH stand-in: every method answers at once; each execution stays RUNNING ---------------------------
rm -rf "$STUB_DIR"; mkdir -p "$STUB_DIR/mappings"
cat >"$STUB_DIR/mappings/width.json" <<'JSON'
{"mappings": [
  {"request": {"method": "POST", "urlPath": "/api/workflow.applicant.register"},
   "response": {"status": 200, "jsonBody": {"success": true}}},
  {"request": {"method": "POST", "urlPath": "/api/workflow.apply.submit"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "body": "{\"executionId\":\"bench-exec-{{jsonPath request.body '$.data.customerId'}}\",\"status\":\"CREATED\"}"}},
  {"request": {"method": "POST", "urlPath": "/api/workflow.execution.status"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "body": "{\"executionId\":\"{{jsonPath request.body '$.executionId'}}\",\"status\":\"RUNNING\"}"}}
]}
JSON
log "starting the WIDTH stub on $STUB_URL"
java -jar "$WIREMOCK" --port "$STUB_PORT" --bind-address 127.0.0.1 --root-dir "$STUB_DIR" \
    --global-response-templating --disable-banner >"$RESULTS/width-stub.log" 2>&1 &
STUB_PID=$!

# --- The hub ----------------------------------------------------------------------------------------------------
if ! psql -X -A -t "${PG_CONN[@]}" -d "$BENCH_DB" -c 'select 1' >/dev/null 2>&1; then
    psql -X -q -v ON_ERROR_STOP=1 "${PG_CONN[@]}" -d postgres -c "create database \"$BENCH_DB\"" >/dev/null
fi
reset_tables() {
    if [[ $(psql_db -c "select to_regclass('public.kyc_case') is not null") == t ]]; then
        psql_db -c 'set client_min_messages = warning; truncate kyc_event, kyc_check, provider_action, inbound_message,
                    provider_customer, customer_document, kyc_case, customer restart identity cascade'
    fi
}
# Before the hub starts (a previous run's executions would be polled at once), and again once Flyway made the schema.
reset_tables
API_KEY=$(openssl rand -hex 24)
log "starting the hub on $HUB_URL (log: bench/results/width-hub.log)"
(
    cd "$ROOT"
    # shellcheck disable=SC2086
    exec env ${HUB_DB_ENV[@]+"${HUB_DB_ENV[@]}"} KYC_API_KEYS="$API_KEY" KYC_WIDTH_BASE_URL="$STUB_URL" \
        KYC_WIDTH_API_KEY="$(openssl rand -hex 16)" KYC_WIDTH_API_SECRET="$(openssl rand -hex 32)" \
        KYC_WIDTH_DOMAIN_ID=bench KYC_WIDTH_POLL_EVERY="${POLL_EVERY_MS}ms" KYC_WIDTH_POLL_TICK_MILLIS="$TICK_MILLIS" \
        KYC_WIDTH_POLL_THREADS="$POLL_THREADS" KYC_WIDTH_REQUESTS_PER_SECOND="$RPS" \
        java $HUB_JAVA_OPTS -jar "$RESULTS/.kyc-hub-width-bench.jar" \
        --server.port="$PORT" --server.address=127.0.0.1 --kyc.db.local-database="$BENCH_DB"
) >"$RESULTS/width-hub.log" 2>&1 &
HUB_PID=$!
deadline=$((SECONDS + 120))
until health=$(curl -s --max-time 2 "$HUB_URL/actuator/health") && [[ $health == '{"status":"UP"'* ]]; do
    kill -0 "$HUB_PID" 2>/dev/null || { tail -n 30 "$RESULTS/width-hub.log" >&2; die "the hub exited during start-up"; }
    (( SECONDS < deadline )) || { tail -n 30 "$RESULTS/width-hub.log" >&2; die "the hub was not healthy within 120 s"; }
    sleep 1
done
curl -s -o /dev/null --max-time 5 "$STUB_URL/__admin/mappings" || die "the stub did not start: see bench/results/width-stub.log"
reset_tables
curl -s -o /dev/null -X DELETE "$STUB_URL/__admin/requests"

# --- EXECUTIONS onboardings through the hub API ------------------------------------------------------------------
log "starting $EXECUTIONS executions"
export HUB_URL API_KEY
seq -f 'b%06g' 1 "$EXECUTIONS" | xargs -P 8 -I{} sh -c '
    curl -sf -o /dev/null -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" \
        "$HUB_URL/api/v1/customers" -d "{\"customerId\":\"{}\"}" &&
    curl -sf -o /dev/null -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" \
        "$HUB_URL/api/v1/customers/{}/onboardings" -d "{\"provider\":\"width\"}"' || die "the hub API refused an onboarding"
deadline=$((SECONDS + 180))
until [[ $(psql_db -c "select count(*) from kyc_case where provider = 'width' and provider_ref like 'bench-exec-%'") == "$EXECUTIONS" ]]; do
    (( SECONDS < deadline )) || die "not every execution started within 180 s"
    sleep 1
done
START_MS=$(( $(date +%s%N) / 1000000 ))
log "all $EXECUTIONS executions are polled; warm-up ${WARMUP} s, measuring ${DURATION} s"
# The hub's CPU time (user + system, from /proc) over the measured window, to divide by the polls made in it.
HUB_JAVA=$(pgrep -f -- "-jar $RESULTS/.kyc-hub-width-bench.jar" | head -n 1)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sleep "$WARMUP"
CPU0=$(cpu_ticks "$HUB_JAVA")
sleep "$DURATION"
CPU1=$(cpu_ticks "$HUB_JAVA")
HUB_CPU_MS=$(( (CPU1 - CPU0) * 1000 / $(getconf CLK_TCK) ))
sleep 1
END_MS=$(( $(date +%s%N) / 1000000 ))
INBOX=$(psql_db -F ' ' -c "select coalesce(string_agg(state || '=' || n, ' ' order by state), 'none')
                             from (select state, count(*) n from inbound_message group by state) s")

curl -sf -X POST "$STUB_URL/__admin/requests/find" -H 'Content-Type: application/json' \
    -d '{"method": "POST", "urlPath": "/api/workflow.execution.status"}' >"$RESULTS/.width-journal.json" \
    || die "cannot read the stub's request journal"
RESULT=$(python3 - "$RESULTS/.width-journal.json" "$START_MS" "$WARMUP" "$DURATION" "$POLL_EVERY_MS" "$EXECUTIONS" \
    "$HUB_CPU_MS" <<'PY'
import json, sys
journal, start, warmup, duration, every, executions, cpu_ms = sys.argv[1], *map(int, sys.argv[2:])
frm, until = start + warmup * 1000, start + (warmup + duration) * 1000
polls = {}
for request in json.load(open(journal))["requests"]:
    execution = json.loads(request["body"])["executionId"]
    polls.setdefault(execution, []).append(request["loggedDate"])
late, counted, seen = [], 0, set()
for execution, times in polls.items():
    times.sort()
    for before, after in zip(times, times[1:]):
        if frm <= after < until:
            late.append(after - before - every)
            seen.add(execution)
    counted += sum(1 for t in times if frm <= t < until)
late.sort()
rank = lambda p: late[max(0, -(-p * len(late) // 100) - 1)] if late else float("nan")
print("RESULT width-poller executions=%d polled=%d polls=%d polls_per_s=%.1f expected_per_s=%.1f "
      "late_p50_ms=%d late_p99_ms=%d late_max_ms=%d late_min_ms=%d hub_cpu_ms_per_poll=%.2f hub_cpu_cores=%.2f"
      % (executions, len(seen), counted, counted / duration, executions * 1000 / every,
         rank(50), rank(99), late[-1] if late else -1, late[0] if late else -1,
         cpu_ms / counted if counted else float("nan"), cpu_ms / 1000 / duration))
PY
)
rm -f "$RESULTS/.width-journal.json"

{
    echo "width-poller benchmark, $TS"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
    echo "settings: EXECUTIONS=$EXECUTIONS POLL_EVERY_MS=$POLL_EVERY_MS TICK_MILLIS=$TICK_MILLIS POLL_THREADS=$POLL_THREADS RPS=$RPS WARMUP=$WARMUP DURATION=$DURATION"
    echo "database: 127.0.0.1:5432/$BENCH_DB; hub, stub and PostgreSQL on this machine"
    echo "inbox at the end: $INBOX"
    echo "$RESULT"
} | tee "$SUMMARY"
