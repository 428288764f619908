#!/usr/bin/env bash
# WIDTH poller benchmark, two phases against a WireMock stand-in for WIDTH on loopback that answers RUNNING.
#
# 1. Lateness: EXECUTIONS concurrent WIDTH executions started through the hub API (by a hub that polls each once, then
#    not for an hour), then the hub restarted to poll each every POLL_EVERY. For every two consecutive
#    workflow.execution.status requests of one execution (the later one inside the measured window), lateness = the
#    time between them - POLL_EVERY. Reports p50 / p99 / max lateness and polls per second.
# 2. Saturation (SATURATION=1): the hub restarted with a poll period of SAT_POLL_EVERY_MS, so that every execution is
#    always due, and a rate limit far above what it can do: it polls as fast as it can (the stub restarted without
#    its request journal). Measures polls per second and the poll time p50 / p99 (the hub's Micrometer timer of route
#    width-poll-execution), the hub's CPU per poll and the server's WAL per poll. Then, with the hub stopped, pgbench runs
#    the SQL the hub runs per poll, taken from the code (DueCases.CLAIM, WidthPoller.storePolledStatus), -M prepared,
#    with SAT_POLL_THREADS clients for the same warm-up and measured window, and the summary gives the ratios
#    hub/pgbench (and pgbench's WAL per poll).
#
#   bench/width-poller.sh                                        # defaults below
#   EXECUTIONS=100 DURATION=15 WARMUP=5 SAT_WARMUP=5 SAT_DURATION=10 LAST=0 bench/width-poller.sh   # smoke run
#
# Settings (environment):
#   EXECUTIONS=500    executions started through the hub API (register + workflow.apply.submit each)
#   DURATION=60       measured seconds
#   WARMUP=30         seconds not counted once the measured hub polls every execution (it has just started: its JIT
#                     compiles the poll path in the first seconds; 10 s on a hub warmed by the set-up until 2026-12-07 21:00)
#   POLL_EVERY_MS=3000  kyc.providers.width.poll-every
#   TICK_MILLIS=250   kyc.providers.width.poll-tick-millis (the continuous poller's longest wait when nothing is due)
#   POLL_THREADS=8    kyc.providers.width.poll-threads (the bounded parallel split)
#   RPS=1000          kyc.providers.width.requests-per-second (the hub's own rate limit; WIDTH's is not public)
#   SATURATION=1      0: skip the saturation phase
#   SAT_POLL_EVERY_MS=1  SAT_TICK_MILLIS=20  SAT_POLL_BATCH=200  SAT_POLL_THREADS=8  SAT_RPS=1000000
#                     the hub's settings in the saturation phase (poll-every, poll-tick-millis, poll-batch,
#                     poll-threads = pgbench's clients, requests-per-second); the same EXECUTIONS are polled
#   SAT_WARMUP=60 / SAT_DURATION=30   seconds not counted / measured, for the hub and for pgbench alike; the hub has
#                     just restarted, and until its JIT has compiled the poll path its compiler threads take a fifth
#                     of its CPU or more (bench/profile.sh: 17 to 21% after 30 s), which a hub that runs for days does not pay
#   PORT=18081 / STUB_PORT=18089   the hub's and the stub's ports (127.0.0.1 only)
#   BUILD=0           1: rebuild the jar even if it exists
#   BENCH_DB=kyc_hub_bench_width   the database (on the local server 127.0.0.1:5432); it is TRUNCATED
#   HUB_JAVA_OPTS=    extra JVM options for the hub
#   LAST=1            also save the summary as bench/last/width-poller.txt (0: do not)
#   NOTE=             a line added to the summary (say when the machine was shared)
#
# Output: a summary on stdout, also saved as bench/results/width-poller-<UTC timestamp>.txt (and bench/last/); the
# hub's logs in bench/results/width-hub-setup.log, width-hub.log and width-hub-saturation.log, the stub's in bench/results/width-stub.log,
# pgbench's scripts, output and per-transaction log in bench/results/width-pgbench/.
set -euo pipefail

EXECUTIONS=${EXECUTIONS:-500}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-30}
POLL_EVERY_MS=${POLL_EVERY_MS:-3000}
TICK_MILLIS=${TICK_MILLIS:-250}
POLL_THREADS=${POLL_THREADS:-8}
RPS=${RPS:-1000}
PORT=${PORT:-18081}
STUB_PORT=${STUB_PORT:-18089}
BUILD=${BUILD:-0}
BENCH_DB=${BENCH_DB:-kyc_hub_bench_width}
HUB_JAVA_OPTS=${HUB_JAVA_OPTS:-}
SATURATION=${SATURATION:-1}
SAT_POLL_EVERY_MS=${SAT_POLL_EVERY_MS:-1}
SAT_TICK_MILLIS=${SAT_TICK_MILLIS:-20}
SAT_POLL_BATCH=${SAT_POLL_BATCH:-200}
SAT_POLL_THREADS=${SAT_POLL_THREADS:-8}
SAT_RPS=${SAT_RPS:-1000000}
SAT_WARMUP=${SAT_WARMUP:-60}
SAT_DURATION=${SAT_DURATION:-30}
LAST=${LAST:-1}
NOTE=${NOTE:-}
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

for n in EXECUTIONS DURATION WARMUP POLL_EVERY_MS TICK_MILLIS POLL_THREADS RPS PORT STUB_PORT SATURATION \
         SAT_POLL_EVERY_MS SAT_TICK_MILLIS SAT_POLL_BATCH SAT_POLL_THREADS SAT_RPS SAT_WARMUP SAT_DURATION LAST; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( EXECUTIONS >= 1 && DURATION >= 1 && POLL_THREADS >= 1 )) || die "EXECUTIONS, DURATION, POLL_THREADS must be >= 1"
(( SAT_DURATION >= 1 && SAT_POLL_THREADS >= 1 && SAT_POLL_BATCH >= 1 && SAT_POLL_EVERY_MS >= 1 && SAT_TICK_MILLIS >= 1 \
   && SAT_RPS >= 1 )) || die "the SAT_ settings must be >= 1 (SAT_WARMUP >= 0)"
[[ $BENCH_DB =~ ^[a-z_][a-z0-9_]*$ && $BENCH_DB == *bench* ]] || die "BENCH_DB must be a plain identifier containing 'bench'"
TOOLS=(java psql curl openssl python3 xargs)
[[ $SATURATION == 0 ]] || TOOLS+=(pgbench)
for tool in "${TOOLS[@]}"; do
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
JAR_BUILT=$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)
# What the jar was built from is not recorded: the summary gives its build time and the commit checked out now.
REV=$(TZ=UTC git -C "$ROOT" log -1 --format='%h (committed %cd)' --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo unknown)
[[ -z $(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null) ]] || REV="$REV + uncommitted changes in src/ or pom.xml"
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
# start_stub LOG [extra WireMock arguments]: STUB_PID is its java process.
start_stub() {
    local logfile=$1
    shift
    log "starting the WIDTH stub on $STUB_URL${*:+ ($*)}"
    java -jar "$WIREMOCK" --port "$STUB_PORT" --bind-address 127.0.0.1 --root-dir "$STUB_DIR" \
        --global-response-templating --disable-banner "$@" >"$logfile" 2>&1 &
    STUB_PID=$!
}
start_stub "$RESULTS/width-stub.log"

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
# The actuator beyond health (Prometheus, read below) takes an operator key.
OPERATOR_KEY=$(openssl rand -hex 24)
# start_hub POLL_EVERY_MS TICK_MILLIS POLL_THREADS RPS POLL_BATCH LOG [extra Spring arguments]: starts the hub and waits
# until it is healthy; HUB_PID is its java process.
start_hub() {
    local every=$1 tick=$2 threads=$3 rps=$4 batch=$5 logfile=$6 deadline
    shift 6
    log "starting the hub on $HUB_URL (log: ${logfile#"$ROOT"/})"
    (
        cd "$ROOT"
        # shellcheck disable=SC2086
        exec env ${HUB_DB_ENV[@]+"${HUB_DB_ENV[@]}"} KYC_API_KEYS="$API_KEY" KYC_OPERATOR_API_KEYS="$OPERATOR_KEY" \
            KYC_WIDTH_BASE_URL="$STUB_URL" KYC_WIDTH_API_KEY="$WIDTH_API_KEY" KYC_WIDTH_API_SECRET="$WIDTH_API_SECRET" \
            KYC_WIDTH_DOMAIN_ID=bench KYC_WIDTH_POLL_EVERY="${every}ms" KYC_WIDTH_POLL_TICK_MILLIS="$tick" \
            KYC_WIDTH_POLL_THREADS="$threads" KYC_WIDTH_REQUESTS_PER_SECOND="$rps" KYC_WIDTH_POLL_BATCH="$batch" \
            java $HUB_JAVA_OPTS -jar "$RESULTS/.kyc-hub-width-bench.jar" \
            --server.port="$PORT" --server.address=127.0.0.1 --kyc.db.local-database="$BENCH_DB" \
            --kyc.webhooks.vertx-port=$((PORT + 1000)) "$@"
    ) >"$logfile" 2>&1 &
    HUB_PID=$!
    deadline=$((SECONDS + 120))
    until health=$(curl -s --max-time 2 "$HUB_URL/actuator/health") && [[ $health == '{"status":"UP"'* ]]; do
        kill -0 "$HUB_PID" 2>/dev/null || { tail -n 30 "$logfile" >&2; die "the hub exited during start-up"; }
        (( SECONDS < deadline )) || { tail -n 30 "$logfile" >&2; die "the hub was not healthy within 120 s"; }
        sleep 1
    done
}
WIDTH_API_KEY=$(openssl rand -hex 16)
WIDTH_API_SECRET=$(openssl rand -hex 32)
# The set-up's hub polls each execution once (its first status, stored and processed as in production) and then
# not for an hour, so that the measured hub starts on executions spread over one POLL_EVERY_MS, not on the set-up's
# order, with a JIT of its own (WARMUP) and the stub's journal holding only its polls. (With EXECUTIONS=10000 the
# set-up takes about 11.5 minutes on 2 cores either way: the onboardings themselves, not the polls.)
SETUP_POLL_EVERY_MS=3600000
start_hub "$SETUP_POLL_EVERY_MS" "$TICK_MILLIS" "$POLL_THREADS" "$RPS" 200 "$RESULTS/width-hub-setup.log"
curl -s -o /dev/null --max-time 5 "$STUB_URL/__admin/mappings" || die "the stub did not start: see bench/results/width-stub.log"
reset_tables

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
until [[ $(psql_db -c "select count(*) from inbound_message where state <> 'PROCESSED'") == 0 ]]; do
    (( SECONDS < deadline )) || die "the first statuses were not processed within 180 s"
    sleep 1
done
stop "$HUB_PID" hub; HUB_PID=
# The measured hub, started while no execution is due; then each execution's next poll is spread at random over one
# POLL_EVERY_MS, as a hub that has run for a while spreads them, and the stub's journal starts empty.
start_hub "$POLL_EVERY_MS" "$TICK_MILLIS" "$POLL_THREADS" "$RPS" 200 "$RESULTS/width-hub.log"
curl -s -o /dev/null -X DELETE "$STUB_URL/__admin/requests"
psql_db -c "update kyc_case set next_poll_at = now() + random() * $POLL_EVERY_MS * interval '1 millisecond'
            where provider = 'width' and next_poll_at is not null" >/dev/null
START_MS=$(( $(date +%s%N) / 1000000 ))
log "all $EXECUTIONS executions are polled every ${POLL_EVERY_MS} ms; warm-up ${WARMUP} s, measuring ${DURATION} s"
# The hub's CPU time (user + system, from /proc) over the measured window, to divide by the polls made in it.
HUB_JAVA=$(pgrep -f -- "-jar $RESULTS/.kyc-hub-width-bench.jar" | head -n 1)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# busy and total jiffies of the whole machine (all CPUs), from /proc/stat
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
CLK=$(getconf CLK_TCK)
sleep "$WARMUP"
CPU0=$(cpu_ticks "$HUB_JAVA"); STUB_CPU0=$(cpu_ticks "$STUB_PID"); read -r BUSY0 _ <<<"$(machine_ticks)"
sleep "$DURATION"
CPU1=$(cpu_ticks "$HUB_JAVA"); STUB_CPU1=$(cpu_ticks "$STUB_PID"); read -r BUSY1 _ <<<"$(machine_ticks)"
HUB_CPU_MS=$(( (CPU1 - CPU0) * 1000 / CLK ))
STUB_CPU_MS=$(( (STUB_CPU1 - STUB_CPU0) * 1000 / CLK ))
BUSY_MS=$(( (BUSY1 - BUSY0) * 1000 / CLK ))
sleep 1
END_MS=$(( $(date +%s%N) / 1000000 ))
INBOX=$(psql_db -F ' ' -c "select coalesce(string_agg(state || '=' || n, ' ' order by state), 'none')
                             from (select state, count(*) n from inbound_message group by state) s")

curl -sf -X POST "$STUB_URL/__admin/requests/find" -H 'Content-Type: application/json' \
    -d '{"method": "POST", "urlPath": "/api/workflow.execution.status"}' >"$RESULTS/.width-journal.json" \
    || die "cannot read the stub's request journal"
RESULT=$(python3 - "$RESULTS/.width-journal.json" "$START_MS" "$WARMUP" "$DURATION" "$POLL_EVERY_MS" "$EXECUTIONS" \
    "$HUB_CPU_MS" "$STUB_CPU_MS" "$BUSY_MS" <<'PY'
import json, sys
journal, start, warmup, duration, every, executions, cpu_ms, stub_ms, busy_ms = sys.argv[1], *map(int, sys.argv[2:])
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
      "late_p50_ms=%d late_p99_ms=%d late_max_ms=%d late_min_ms=%d hub_cpu_ms_per_poll=%.2f hub_cpu_cores=%.2f "
      "stub_cpu_cores=%.2f machine_busy_cores=%.2f"
      % (executions, len(seen), counted, counted / duration, executions * 1000 / every,
         rank(50), rank(99), late[-1] if late else -1, late[0] if late else -1,
         cpu_ms / counted if counted else float("nan"), cpu_ms / 1000 / duration,
         stub_ms / 1000 / duration, busy_ms / 1000 / duration))
PY
)
rm -f "$RESULTS/.width-journal.json"

# --- Saturation: the hub polls as fast as it can, then pgbench runs the same SQL --------------------------------
SAT_LINES=()
if [[ $SATURATION == 1 ]]; then
    PGB_DIR=$RESULTS/width-pgbench
    rm -rf "$PGB_DIR"; mkdir -p "$PGB_DIR"
    stop "$HUB_PID" hub; HUB_PID=
    # The stub again, without its request journal: the lateness phase reads the journal, this one counts the polls
    # with the hub's own timer. A journal that keeps every poll costs the stub CPU (the summary's stub cores) taken
    # from the two cores the hub and PostgreSQL share, while pgbench runs with no stub at all.
    stop "$STUB_PID" stub; STUB_PID=
    start_stub "$RESULTS/width-stub-saturation.log" --no-request-journal
    # Bounds (Micrometer SLO buckets) of the hub's route timers, so that /actuator/prometheus gives a histogram that
    # the window's start and end can be subtracted from: 50 us apart up to 2 ms, then at most about 5% apart.
    SLO=$(python3 -c '
b = list(range(50, 2000, 50)) + list(range(2000, 5000, 100)) + list(range(5000, 10000, 250)) \
    + list(range(10000, 50000, 1000)) + list(range(50000, 200000, 5000)) + list(range(200000, 1000000, 50000)) \
    + [1000000, 2000000, 5000000, 10000000, 30000000]
print(",".join("%dus" % v for v in b))')
    start_hub "$SAT_POLL_EVERY_MS" "$SAT_TICK_MILLIS" "$SAT_POLL_THREADS" "$SAT_RPS" "$SAT_POLL_BATCH" \
        "$RESULTS/width-hub-saturation.log" --management.metrics.distribution.slo.camel.route.policy="$SLO"
    log "saturation: the hub polls $EXECUTIONS executions as fast as it can; warm-up ${SAT_WARMUP} s, measuring ${SAT_DURATION} s"
    # the WAL the server has written since its statistics were reset (every database: PostgreSQL counts it server-wide)
    wal_bytes() { psql_db -c 'select wal_bytes from pg_stat_wal'; }
    # snapshot N: the window's start (0) or end (1), every figure taken as close together as possible
    snapshot() {
        local n=$1
        SNAP_MS[n]=$(( $(date +%s%N) / 1000000 ))
        SNAP_HUB_CPU[n]=$(cpu_ticks "$HUB_PID")
        SNAP_STUB_CPU[n]=$(cpu_ticks "$STUB_PID")
        SNAP_MACHINE[n]=$(machine_ticks)
        curl -sf --max-time 10 -H "Authorization: Bearer $OPERATOR_KEY" "$HUB_URL/actuator/prometheus" | grep '^camel_route_policy_seconds' \
            | grep 'routeId="width-poll-execution' >"$PGB_DIR/hub-metrics-$n.txt" || die "cannot read the hub's metrics"
        SNAP_INBOX[n]=$(psql_db -c 'select count(*) from inbound_message')
        SNAP_WAL[n]=$(wal_bytes)
    }
    declare -a SNAP_MS SNAP_HUB_CPU SNAP_STUB_CPU SNAP_MACHINE SNAP_INBOX SNAP_WAL
    [[ $(awk '{print $2}' "/proc/$HUB_PID/stat") == '(java)' ]] || die "pid $HUB_PID is not the hub's java process"
    sleep "$SAT_WARMUP"
    snapshot 0
    sleep "$SAT_DURATION"
    snapshot 1
    read -r M0_BUSY M0_ALL <<<"${SNAP_MACHINE[0]}"
    read -r M1_BUSY M1_ALL <<<"${SNAP_MACHINE[1]}"
    HUB_RESULT=$(python3 - "$PGB_DIR/hub-metrics-0.txt" "$PGB_DIR/hub-metrics-1.txt" \
        $(( SNAP_MS[1] - SNAP_MS[0] )) \
        $(( (SNAP_HUB_CPU[1] - SNAP_HUB_CPU[0]) * 1000 / CLK )) $(( (SNAP_STUB_CPU[1] - SNAP_STUB_CPU[0]) * 1000 / CLK )) \
        $(( (M1_BUSY - M0_BUSY) * 1000 / CLK )) $(( SNAP_INBOX[1] - SNAP_INBOX[0] )) $(( SNAP_WAL[1] - SNAP_WAL[0] )) <<'PY'
import re, sys
start, end = sys.argv[1:3]
window_ms, hub_cpu_ms, stub_cpu_ms, busy_ms, inbox_added, wal_bytes = map(int, sys.argv[3:])
line = re.compile(r'^(camel_route_policy_seconds_(bucket|count|sum))\{(.*)\} (\S+)$')
def read(path):
    """route -> {"count": n, "sum": s, "buckets": {le: cumulative}}, summed over the series (failed or not)."""
    routes = {}
    for text in open(path):
        m = line.match(text.strip())
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(3)))
        r = routes.setdefault(labels["routeId"], {"count": 0.0, "sum": 0.0, "buckets": {}})
        if m.group(2) == "bucket":
            le = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
            r["buckets"][le] = r["buckets"].get(le, 0.0) + float(m.group(4))
        else:
            r[m.group(2)] += float(m.group(4))
    return routes
a, b = read(start), read(end)
def delta(route):
    x, y = a.get(route, {"count": 0, "sum": 0, "buckets": {}}), b.get(route, {"count": 0, "sum": 0, "buckets": {}})
    return (y["count"] - x["count"], y["sum"] - x["sum"],
            sorted((le, n - x["buckets"].get(le, 0.0)) for le, n in y["buckets"].items()))
def quantile(q, buckets, count):
    """Prometheus histogram_quantile: linear inside the bucket holding rank q * count, in ms."""
    rank, lower, below = q * count, 0.0, 0.0
    for le, cumulative in buckets:
        if cumulative >= rank:
            if le == float("inf"):
                return lower * 1000
            return (lower + (le - lower) * (rank - below) / max(cumulative - below, 1e-9)) * 1000
        lower, below = le, cumulative
    return float("nan")
polls, poll_sum, poll_buckets = delta("width-poll-execution")
claims, claim_sum, _ = delta("width-poll-executions")
seconds = window_ms / 1000
print("RESULT width-saturation-hub polls=%d polls_per_s=%.1f p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f "
      "claims=%d polls_per_claim=%.1f claim_mean_ms=%.2f hub_cpu_ms_per_poll=%.3f hub_cpu_cores=%.2f stub_cpu_cores=%.2f "
      "machine_busy_cores=%.2f inbox_rows_added=%d wal_kb_per_poll=%.2f window_s=%.1f"
      % (polls, polls / seconds, quantile(0.50, poll_buckets, polls),
         quantile(0.99, poll_buckets, polls), poll_sum / polls * 1000 if polls else float("nan"),
         claims, polls / claims if claims else float("nan"), claim_sum / claims * 1000 if claims else float("nan"),
         hub_cpu_ms / polls if polls else float("nan"), hub_cpu_ms / 1000 / seconds,
         stub_cpu_ms / 1000 / seconds, busy_ms / 1000 / seconds, inbox_added,
         wal_bytes / 1000 / polls if polls else float("nan"), seconds))
PY
    )
    stop "$HUB_PID" hub; HUB_PID=
    stop "$STUB_PID" stub; STUB_PID=
    field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

    # pgbench: the hub's per-poll SQL, copied from the code at run time (so it cannot drift from it), every parameter
    # bound by -M prepared as the JDBC driver binds it. Two scripts, picked at random in the proportion the hub ran
    # them in the window: the claim (DueCases.CLAIM, which canonical-claim-due runs through camel-jdbc, its own
    # autocommit statement, limit = the hub's polls per claim) once per POLLS_PER_CLAIM checks. A check is what
    # WidthPoller.storePolledStatus reads when the status is the same as the last one stored (the stub answers the same
    # RUNNING): the last status stored (Inbox.last), its own autocommit statement; whether anything the case depends on
    # changed since came with the claim (kyc_case.inputs_changed_at, V22). The check reads the case its client claimed
    # last (\aset keeps the last row). Polls = check transactions. The INSERT of storePolledStatus
    # runs only when a status changed; it ran in the window as often as inbox_rows_added says, and pgbench does not
    # run it.
    POLLS_PER_CLAIM=$(python3 -c "import sys; v = float(sys.argv[1]); print(max(1, min(int(sys.argv[2]), round(v))) if v == v else int(sys.argv[2]))" \
        "$(field "$HUB_RESULT" polls_per_claim)" "$SAT_POLL_BATCH")
    python3 - "$ROOT/src/main/java/com/kychub" "$PGB_DIR" <<'PY' || die "cannot take the poll SQL from the code"
import re, sys, textwrap
code, out = sys.argv[1:]
def statement(path, marker, names):
    """The first SQL string after the marker (a text block or a one-line literal), its '?' named for pgbench."""
    source = open(code + "/" + path).read()
    at = source.index(marker)
    block = re.compile(r'"""(.*?)"""|"((?:[^"\\]|\\.)*)"', re.S).search(source, at)
    sql = textwrap.dedent(block.group(1)).strip() if block.group(1) is not None else block.group(2)
    if sql.count("?") != len(names):
        sys.exit("%s: expected %d parameters in the statement after %r, found %d" % (path, len(names), marker, sql.count("?")))
    for name in names:
        sql = sql.replace("?", ":" + name, 1)
    return sql
claim = open(code + "/canonical/DueCases.java").read()
claim = textwrap.dedent(re.search(r'CLAIM = """(.*?)"""', claim, re.S).group(1)).strip()
for named, variable in (("everyMillis", "every"), ("provider", "provider"), ("batch", "batch")):
    claim = claim.replace(":?" + named, ":" + variable)
open(out + "/claim.sql", "w").write(claim + " \\aset\n")
open(out + "/check.sql", "w").write("".join(sql + ";\n" for sql in (
    statement("inbound/Inbox.java", "public Optional<Received> last(", ["provider", "message_type", "provider_ref"]),)))
PY
    FIRST_REF=$(psql_db -c "select provider_ref from kyc_case where provider = 'width' and provider_ref like 'bench-exec-%' order by id limit 1")
    INBOX_BEFORE=$(psql_db -c 'select count(*) from inbound_message')
    PGB_JOBS=$(( SAT_POLL_THREADS < $(nproc) ? SAT_POLL_THREADS : $(nproc) ))
    # One extra second, so that the measured window is under full load to its end; the window is cut from the log.
    PGB_SECONDS=$((SAT_WARMUP + SAT_DURATION + 1))
    PGB_ARGS=(-n -M prepared -c "$SAT_POLL_THREADS" -j "$PGB_JOBS" -T "$PGB_SECONDS"
              -f "$PGB_DIR/claim.sql@1" -f "$PGB_DIR/check.sql@$POLLS_PER_CLAIM"
              -D every="$SAT_POLL_EVERY_MS" -D batch="$POLLS_PER_CLAIM" -D provider=width -D provider_ref="$FIRST_REF"
              -D message_type=execution-status)
    PGB_SHOWN="pgbench ${PGB_ARGS[*]}"
    PGB_SHOWN=${PGB_SHOWN//"$ROOT"\//}
    log "$PGB_SHOWN (hub and stub stopped; warm-up ${SAT_WARMUP} s cut from the log)"
    PGB_MACHINE0=$(machine_ticks)
    timeout $((PGB_SECONDS + 120)) pgbench "${PGB_ARGS[@]}" --log --log-prefix="$PGB_DIR/log" \
        "${PG_CONN[@]}" "$BENCH_DB" >"$PGB_DIR/pgbench.txt" 2>&1 &
    PGB_PID=$!
    sleep "$SAT_WARMUP"
    PGB_M0=$(machine_ticks)
    PGB_WAL0=$(wal_bytes)
    sleep "$SAT_DURATION"
    PGB_M1=$(machine_ticks)
    PGB_WAL1=$(wal_bytes)
    wait "$PGB_PID" || { cat "$PGB_DIR/pgbench.txt" >&2; die "pgbench failed: see bench/results/width-pgbench/pgbench.txt"; }
    INBOX_AFTER=$(psql_db -c 'select count(*) from inbound_message')
    read -r P0_BUSY _ <<<"$PGB_M0"
    read -r P1_BUSY _ <<<"$PGB_M1"
    # Per-transaction log: client_id transaction_no time_us script_no epoch_s epoch_us. A transaction counts when it
    # completes inside [start + SAT_WARMUP, start + SAT_WARMUP + SAT_DURATION), start = the earliest transaction start.
    PGB_RESULT=$(cat "$PGB_DIR"/log.* | python3 -c '
import sys
warmup, duration, busy_ms, wal_bytes = map(int, sys.argv[1:5])
done, failed = [], 0
for line in sys.stdin:
    f = line.split()
    if not f[2].isdigit():
        failed += 1
        continue
    done.append((int(f[4]) * 1000000 + int(f[5]), int(f[2]), int(f[3])))
start = min(end - took for end, took, _ in done)
frm, until = start + warmup * 1000000, start + (warmup + duration) * 1000000
window = [(took, script) for end, took, script in done if frm <= end < until]
checks = sorted(took for took, script in window if script == 1)
claims = sorted(took for took, script in window if script == 0)
rank = lambda v, p: v[max(0, -(-p * len(v) // 100) - 1)] / 1000 if v else float("nan")
print("RESULT width-saturation-pgbench polls=%d polls_per_s=%.1f p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f claims=%d "
      "claim_p99_ms=%.3f failed=%d machine_busy_cores=%.2f wal_kb_per_poll=%.2f"
      % (len(checks), len(checks) / duration, rank(checks, 50), rank(checks, 99),
         sum(checks) / len(checks) / 1000 if checks else float("nan"), len(claims), rank(claims, 99), failed,
         busy_ms / 1000 / duration, wal_bytes / 1000 / len(checks) if checks else float("nan")))
' "$SAT_WARMUP" "$SAT_DURATION" $(( (P1_BUSY - P0_BUSY) * 1000 / CLK )) $(( PGB_WAL1 - PGB_WAL0 )))
    ratio() { python3 -c 'import sys; a, b = map(float, sys.argv[1:]); print("%.3f" % (a / b) if b else "n/a")' "$1" "$2"; }
    TPUT_RATIO=$(ratio "$(field "$HUB_RESULT" polls_per_s)" "$(field "$PGB_RESULT" polls_per_s)")
    P99_RATIO=$(ratio "$(field "$HUB_RESULT" p99_ms)" "$(field "$PGB_RESULT" p99_ms)")
    P50_RATIO=$(ratio "$(field "$HUB_RESULT" p50_ms)" "$(field "$PGB_RESULT" p50_ms)")
    VALID="yes"
    (( $(field "$PGB_RESULT" failed) == 0 )) || VALID="NO: pgbench had failed transactions"
    [[ $INBOX_BEFORE == "$INBOX_AFTER" ]] || VALID="NO: pgbench stored inbox rows"
    (( $(field "$HUB_RESULT" inbox_rows_added) == 0 )) \
        || VALID="NO: the hub stored $(field "$HUB_RESULT" inbox_rows_added) statuses in the window (an INSERT pgbench does not run)"
    SAT_LINES=(
        ""
        "saturation: EXECUTIONS=$EXECUTIONS SAT_POLL_EVERY_MS=$SAT_POLL_EVERY_MS SAT_TICK_MILLIS=$SAT_TICK_MILLIS SAT_POLL_BATCH=$SAT_POLL_BATCH SAT_POLL_THREADS=$SAT_POLL_THREADS SAT_RPS=$SAT_RPS SAT_WARMUP=$SAT_WARMUP SAT_DURATION=$SAT_DURATION"
        "  hub     : restarted with the settings above, stub answering RUNNING (restarted with no request journal); polls = the hub's timer of route width-poll-execution (one per workflow.execution.status request); poll time = the hub's timer of route width-poll-execution (request, signature, rate limit, circuit breaker, HTTP call to the stub, inbox check), p50/p99 interpolated in its histogram (buckets 50 us apart below 2 ms, <= 5% apart above)"
        "  pgbench : hub and stub stopped; $PGB_SHOWN; one transaction = one script: the claim (DueCases.CLAIM, limit $POLLS_PER_CLAIM: the hub's polls per claim) with weight 1, or the check (WidthPoller.storePolledStatus when the status is unchanged: the last status stored, autocommitted; when the case's inputs last changed comes with the claim) with weight $POLLS_PER_CLAIM; polls = check transactions; p50/p99 = check transactions, nearest rank; SQL in bench/results/width-pgbench/"
        "$(printf '  %-8s %10s %9s %9s %9s' '' 'polls/s' 'p50 ms' 'p99 ms' 'mean ms')"
        "$(printf '  %-8s %10s %9s %9s %9s' hub "$(field "$HUB_RESULT" polls_per_s)" "$(field "$HUB_RESULT" p50_ms)" "$(field "$HUB_RESULT" p99_ms)" "$(field "$HUB_RESULT" mean_ms)")"
        "$(printf '  %-8s %10s %9s %9s %9s' pgbench "$(field "$PGB_RESULT" polls_per_s)" "$(field "$PGB_RESULT" p50_ms)" "$(field "$PGB_RESULT" p99_ms)" "$(field "$PGB_RESULT" mean_ms)")"
        "  hub/pgbench: throughput $TPUT_RATIO, p50 $P50_RATIO, p99 $P99_RATIO"
        "  hub claims: $(field "$HUB_RESULT" claims) runs of the continuous poller (route width-poll-executions: wait for a free poll thread, claim, hand out), $(field "$HUB_RESULT" polls_per_claim) polls per claim, $(field "$HUB_RESULT" claim_mean_ms) ms each on average (the wait for a free thread included)"
        "  hub CPU: $(field "$HUB_RESULT" hub_cpu_ms_per_poll) ms per poll, $(field "$HUB_RESULT" hub_cpu_cores) cores; stub $(field "$HUB_RESULT" stub_cpu_cores) cores; whole machine busy: $(field "$HUB_RESULT" machine_busy_cores) cores (hub phase), $(field "$PGB_RESULT" machine_busy_cores) cores (pgbench phase)"
        "  WAL: $(field "$HUB_RESULT" wal_kb_per_poll) kB per poll (hub phase), $(field "$PGB_RESULT" wal_kb_per_poll) kB (pgbench phase; the server's whole WAL over the window, claims included)"
        "  valid: $VALID"
        "$HUB_RESULT"
        "$PGB_RESULT"
    )
fi

{
    echo "width-poller benchmark, $TS"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "hub: jar built $JAR_BUILT; HEAD at the start of the run $REV; java $(java -version 2>&1 | awk -F'"' 'NR == 1 { print $2 }')"
    [[ -z $NOTE ]] || echo "note: $NOTE"
    echo "settings: EXECUTIONS=$EXECUTIONS POLL_EVERY_MS=$POLL_EVERY_MS TICK_MILLIS=$TICK_MILLIS POLL_THREADS=$POLL_THREADS RPS=$RPS WARMUP=$WARMUP DURATION=$DURATION"
    echo "database: 127.0.0.1:5432/$BENCH_DB (PostgreSQL $(psql_db -c 'show server_version'), synchronous_commit=$(psql_db -c 'show synchronous_commit')); hub, stub and PostgreSQL on this machine"
    echo "inbox at the end of the lateness phase: $INBOX"
    echo "$RESULT"
    (( ${#SAT_LINES[@]} == 0 )) || printf '%s\n' "${SAT_LINES[@]}"
} | tee "$SUMMARY"
echo "saved: ${SUMMARY#"$ROOT"/}" >&2
if [[ $LAST == 1 ]]; then
    mkdir -p "$BENCH_DIR/last"
    cp "$SUMMARY" "$BENCH_DIR/last/width-poller.txt"
    echo "saved: bench/last/width-poller.txt" >&2
fi
