#!/usr/bin/env bash
# Where the hub's CPU goes: a JFR profile of the webhook path and of the WIDTH poll path under load, summarised as CPU
# per request per stage (bench/JfrStages.java). See bench/README.md.
#
#   bench/profile.sh                                                            # defaults below
#   WARMUP=20 DURATION=15 REQUESTS=60000 EXECUTIONS=100 POLL_WARMUP=10 POLL_DURATION=15 LAST=0 bench/profile.sh   # smoke run
#
# 1. Webhook path: the hub (as ingest.sh starts it), WARMUP seconds of mixed signed webhooks (wrk, bench/ingest.lua),
#    then a JFR recording (jcmd JFR.start / JFR.stop) around DURATION seconds more of them; the hub's CPU per thread
#    (/proc) at the window's start and end; requests = the 2xx wrk counted in the window.
# 2. Poll path: the hub restarted polling EXECUTIONS WIDTH executions as fast as it can (width-poller.sh's saturation
#    settings) against a WireMock stand-in answering RUNNING; POLL_WARMUP seconds, then a recording around
#    POLL_DURATION seconds; requests = the stand-in's workflow.execution.status count in the window.
# 3. Drain path: the inbox workers alone. The hub with its workers stopped takes DRAIN_FILL seconds of mixed webhooks,
#    then restarts with them running and no more load; DRAIN_WARMUP seconds, then a recording around DRAIN_DURATION
#    seconds; requests = the messages the workers processed in the window. The workers' samples are split by the code
#    they run (JfrStages --by-code): Camel, JSON, JDBC, the provider calls (the pulls Ondato's and Connect
#    Financial's webhooks ask for, from the WireMock stand-in), the mapping and the canonical store.
# Each recording goes through JfrStages: a table stage | samples | share | CPU ms/request, and the hot methods.
#
# Settings (environment):
#   PATHS="webhook poll drain"  the paths to profile
#   CONCURRENCY=32 THREADS=1  wrk's connections and threads (as ingest.sh)
#   WARMUP=180 DURATION=60    webhook path: seconds of load before the recording (the JVM compiles meanwhile), and recorded
#   REQUESTS=300000           distinct signed webhooks written for the recorded window (and as many for the warm-up)
#   WORKERS=1                 0: the inbox workers stopped (kyc.inbox.processing-enabled=false), the webhook path alone
#   EXECUTIONS=500            poll path: WIDTH executions polled
#   POLL_WARMUP=30 POLL_DURATION=60   poll path: seconds before the recording, and recorded
#   DRAIN_FILL=60 DRAIN_WARMUP=60 DRAIN_DURATION=60   drain path: seconds of webhooks into the stopped inbox, then
#                             seconds of draining before the recording, and recorded (the inbox must not run dry)
#   SAT_POLL_EVERY_MS=1 SAT_TICK_MILLIS=20 SAT_POLL_BATCH=200 SAT_POLL_THREADS=8 SAT_RPS=1000000
#                             the poller's settings (as width-poller.sh's saturation phase)
#   SAMPLE_MS=10              JFR's execution sampling period (jdk.ExecutionSample#period)
#   STACK_DEPTH=256           JFR's stack depth (-XX:FlightRecorderOptions:stackdepth; its default, 64, cuts the hub's stacks)
#   TOP=15                    hot methods listed per path
#   PORT=18082 STUB_PORT=18092  the hub's and the stub's ports (127.0.0.1)
#   BENCH_DB=kyc_hub_bench_profile  the database on 127.0.0.1:5432; it is EMPTIED (its name must contain "bench")
#   BUILD, HUB_JAVA_OPTS, LAST (1: also save bench/last/profile.txt), NOTE: as in proof-lib.sh
#
# Output: bench/results/profile-<UTC timestamp>.txt (and bench/last/profile.txt); the recordings (<path>.jfr), the
# CPU snapshots, wrk's output and the hub's log in bench/results/profile-<timestamp>/.
set -euo pipefail

NAME=profile
PATHS=${PATHS:-webhook poll drain}
CONCURRENCY=${CONCURRENCY:-32}
THREADS=${THREADS:-1}
WARMUP=${WARMUP:-180}
DURATION=${DURATION:-60}
REQUESTS=${REQUESTS:-300000}
WORKERS=${WORKERS:-1}
EXECUTIONS=${EXECUTIONS:-500}
POLL_WARMUP=${POLL_WARMUP:-30}
POLL_DURATION=${POLL_DURATION:-60}
DRAIN_FILL=${DRAIN_FILL:-60}
DRAIN_WARMUP=${DRAIN_WARMUP:-60}
DRAIN_DURATION=${DRAIN_DURATION:-60}
SAT_POLL_EVERY_MS=${SAT_POLL_EVERY_MS:-1}
SAT_TICK_MILLIS=${SAT_TICK_MILLIS:-20}
SAT_POLL_BATCH=${SAT_POLL_BATCH:-200}
SAT_POLL_THREADS=${SAT_POLL_THREADS:-8}
SAT_RPS=${SAT_RPS:-1000000}
SAMPLE_MS=${SAMPLE_MS:-10}
STACK_DEPTH=${STACK_DEPTH:-256}
TOP=${TOP:-15}
PORT=${PORT:-18082}
STUB_PORT=${STUB_PORT:-18092}
DB_NAME=${BENCH_DB:-kyc_hub_bench_profile}

# shellcheck source=bench/proof-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/proof-lib.sh"
# The webhooks go where the providers are sent: the doors' own port (start_hub gives it to the hub).
WEBHOOK_PORT=$(doors_port)

for n in CONCURRENCY THREADS WARMUP DURATION REQUESTS WORKERS EXECUTIONS POLL_WARMUP POLL_DURATION DRAIN_FILL \
         DRAIN_WARMUP DRAIN_DURATION SAT_POLL_EVERY_MS \
         SAT_TICK_MILLIS SAT_POLL_BATCH SAT_POLL_THREADS SAT_RPS SAMPLE_MS STACK_DEPTH TOP PORT STUB_PORT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( CONCURRENCY >= THREADS && THREADS >= 1 && DURATION >= 1 && POLL_DURATION >= 1 && EXECUTIONS >= 1
   && DRAIN_FILL >= 1 && DRAIN_DURATION >= 1 )) \
    || die "need CONCURRENCY >= THREADS >= 1, DURATION, POLL_DURATION, EXECUTIONS, DRAIN_FILL, DRAIN_DURATION >= 1"
for path in $PATHS; do
    [[ $path =~ ^(webhook|poll|drain)$ ]] || die "unknown path '$path' (webhook, poll, drain)"
done
for tool in wrk jcmd python3; do
    command -v "$tool" >/dev/null || die "$tool is not installed (wrk: apt-get install wrk; jcmd: the JDK)"
done

proof_setup
# JfrStages' rules are checked before they are used; compiled once, like ProofClient.
javac -d "$RUN_DIR/jfrstages-classes" "$BENCH_DIR/JfrStages.java" || die "JfrStages.java does not compile"
java -cp "$RUN_DIR/jfrstages-classes" JfrStages --self-test >&2 || die "JfrStages' self-test failed"
# The execution sampler every SAMPLE_MS and the GC events, nothing else: JFR's own settings files add socket, file,
# lock and allocation events, which the stages do not need and whose start re-instruments JDK classes.
cat >"$RUN_DIR/profile.jfc" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="profile.sh" description="Execution samples and garbage collections">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">$SAMPLE_MS ms</setting></event>
  <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
</configuration>
EOF
# Without DebugNonSafepoints compiled code maps a sample only to the nearest safepoint's method, often not the one
# that ran (inlined code); with it JFR names the inlined method itself.
HUB_JAVA_OPTS="-XX:FlightRecorderOptions:stackdepth=$STACK_DEPTH -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints $HUB_JAVA_OPTS"

# busy and all jiffies of the whole machine (all CPUs), from /proc/stat
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# JFR's first recording in a JVM loads and compiles its own code: one thrown away before the warm-up keeps that out
# of the measured window.
jfr_initialise() {
    jcmd "$HUB_PID" JFR.start name=initialise settings="$RUN_DIR/profile.jfc" >/dev/null || die "jcmd JFR.start failed"
    sleep 2
    jcmd "$HUB_PID" JFR.stop name=initialise >/dev/null || die "jcmd JFR.stop failed"
}

# The CPU clock ticks so far of PostgreSQL (every server process, and through the postmaster's cutime/cstime those
# that ended) and of the provider stub: "PG STUB". The hub's CPU is not all a request costs on this machine.
others_ticks() {
    python3 - "${STUB_PID:-0}" <<'PY'
import os, sys
stub = sys.argv[1]
procs = {}
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        stat = open("/proc/%s/stat" % pid).read()
    except OSError:
        continue
    rest = stat[stat.rindex(")") + 2:].split()   # from field 3 (state) on: ppid is field 4, utime 14 ... cstime 17
    procs[pid] = (stat[stat.index("(") + 1:stat.rindex(")")], rest[1], [int(n) for n in rest[11:15]])
pg = stub_ticks = 0
for pid, (name, ppid, (utime, stime, cutime, cstime)) in procs.items():
    if name == "postgres":
        pg += utime + stime
        if procs.get(ppid, ("",))[0] != "postgres":   # the postmaster: its children that ended
            pg += cutime + cstime
    if pid == stub:
        stub_ticks = utime + stime
print(pg, stub_ticks)
PY
}

# others_line REQUESTS: PostgreSQL's and the stub's CPU per request over the last recorded window.
others_line() {
    awk -v a="$OTHERS0" -v b="$OTHERS1" -v n="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { split(a, x, " "); split(b, y, " ");
        printf "  beside the hub, in the window: PostgreSQL %.3f ms of CPU per request, the provider stub (WireMock) %.3f ms\n",
            (y[1] - x[1]) * 1000 / hz / n, (y[2] - x[2]) * 1000 / hz / n }'
}

# record PATH COMMAND...: a JFR recording and the hub's CPU per thread around COMMAND (the measured window).
record() {
    local path=$1 m0 m1
    shift
    jcmd "$HUB_PID" JFR.start name="$path" settings="$RUN_DIR/profile.jfc" >/dev/null || die "jcmd JFR.start failed"
    jvm_cpu_snapshot "$HUB_PID" "$RUN_DIR/$path-cpu-before.txt"
    m0=$(machine_ticks)
    OTHERS0=$(others_ticks)
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    "$@"
    jvm_cpu_snapshot "$HUB_PID" "$RUN_DIR/$path-cpu-after.txt"
    m1=$(machine_ticks)
    OTHERS1=$(others_ticks)
    jcmd "$HUB_PID" JFR.stop name="$path" filename="$RUN_DIR/$path.jfr" >/dev/null || die "jcmd JFR.stop failed"
    MACHINE_BUSY=$(awk -v a="$m0" -v b="$m1" -v ncpu="$(nproc)" 'BEGIN { split(a, x, " "); split(b, y, " ");
        printf "%.2f of %d cores busy", (y[1] - x[1]) / (y[2] - x[2]) * ncpu, ncpu }')
}

# counted_window SECONDS COUNTER: a measured window of SECONDS; COUNTER (a function printing one number) at its start
# and end (COUNT0, COUNT1), and the count's rate in it (WINDOW_RATE, per second).
counted_window() {
    local started ended
    COUNT0=$("$2") || die "$2 failed"
    started=$(now_ms)
    sleep "$1"
    COUNT1=$("$2") || die "$2 failed"
    ended=$(now_ms)
    WINDOW_RATE=$(awk -v n=$((COUNT1 - COUNT0)) -v ms=$((ended - started)) 'BEGIN { printf "%.1f", n * 1000 / ms }')
}

# stages PATH REQUESTS [--by-code]: JfrStages' table for the path's recording.
stages() {
    java -cp "$RUN_DIR/jfrstages-classes" JfrStages --path "$1" --requests "$2" --top "$TOP" ${3:-} \
        --cpu "$RUN_DIR/$1-cpu-before.txt" "$RUN_DIR/$1-cpu-after.txt" "$RUN_DIR/$1.jfr" \
        >"$RUN_DIR/$1-stages.txt" || die "JfrStages failed on $1.jfr"
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
# The series in the hub's Micrometer registry (Prometheus' view of it): a registry that grows makes every search of
# it slower.
# meter_series FILE: the scrape is kept in FILE (which meters grow, and with what tags).
meter_series() {
    operator_curl -s --max-time 30 "http://127.0.0.1:$PORT/actuator/prometheus" >"$1" || true
    grep -vc '^#' "$1" || true
}

ensure_database
reset_store

# --- The webhook path -------------------------------------------------------------------------------------------
if [[ " $PATHS " == *" webhook "* ]]; then
    log "writing $REQUESTS signed webhooks (mixed providers) for the warm-up and as many for the recorded window"
    for part in warmup webhook; do
        java -cp "$RUN_DIR/client-classes" ProofClient requests --providers striga,connectfi,argos,ondato \
            --count "$REQUESTS" --out "$RUN_DIR/$part.requests" >/dev/null
    done
    start_stub "$STUB_PORT"
    HUB_ARGS=()
    [[ $WORKERS == 1 ]] || HUB_ARGS=(--kyc.inbox.processing-enabled=false)
    start_hub
    wait_healthy
    log "the hub is up (log: ${HUB_LOG#"$ROOT"/})"
    jfr_initialise
    series_start=$(meter_series "$RUN_DIR/webhook-prometheus-0.txt")
    log "webhook path: warm-up ${WARMUP} s of mixed load"
    send_webhooks "$WARMUP" "$RUN_DIR/warmup.requests" "$RUN_DIR/warmup.txt"
    psql_db -c 'checkpoint'
    first_id=$(psql_db -c "select coalesce(max(id), 0) + 1 from inbound_message")
    series_before=$(meter_series "$RUN_DIR/webhook-prometheus-1.txt")
    log "webhook path: recording ${DURATION} s"
    record webhook send_webhooks "$DURATION" "$RUN_DIR/webhook.requests" "$RUN_DIR/webhook-wrk.txt"
    series_after=$(meter_series "$RUN_DIR/webhook-prometheus-2.txt")
    result=$(grep '^RESULT wrk ' "$RUN_DIR/webhook-wrk.txt") || die "wrk gave no result: see $RUN_DIR/webhook-wrk.txt"
    acks=$(( $(field "$result" requests) - $(field "$result" non2xx) ))
    rows=$(psql_db -c "select count(*) from inbound_message where channel = 'WEBHOOK' and id >= $first_id")
    (( acks > 0 )) || die "no webhook was acknowledged in the window: see $RUN_DIR/webhook-wrk.txt"
    stages webhook "$acks"
    {
        echo "webhook path: mixed Striga, Connect Financial, ARGOS, Ondato webhooks, $CONCURRENCY connections (wrk -t $THREADS), inbox workers $([[ $WORKERS == 1 ]] && echo running || echo stopped); warm-up ${WARMUP} s, recorded ${DURATION} s"
        echo "  load: $acks acknowledged (2xx) in the window, $(awk -v n="$acks" -v us="$(field "$result" duration_us)" 'BEGIN { printf "%.1f", n * 1e6 / us }')/s, p50 $(field "$result" p50_ms) ms, p99 $(field "$result" p99_ms) ms; machine: $MACHINE_BUSY, load average $LOAD_BEFORE at the start"
        check "$( (( $(field "$result" non2xx) == 0 && $(field "$result" wraps) == 0 && rows >= acks
                   && rows <= acks + CONCURRENCY )) && echo t)" \
            "every answer 2xx and every acknowledged webhook stored: $acks acks, $(field "$result" non2xx) non-2xx, $(field "$result" wraps) re-sent, $rows rows"
        others_line "$acks"
        sed 's/^/  /' "$RUN_DIR/webhook-stages.txt"
        echo "  the hub's metrics registry: $series_start series before the warm-up, $series_before at the window's start, $series_after at its end (/actuator/prometheus)"
        echo "${result/RESULT wrk/RESULT profile-webhook-load}"
    } >"$RUN_DIR/webhook-summary.txt"
    stop_hub
    stop_stub
fi

# --- The poll path ----------------------------------------------------------------------------------------------
if [[ " $PATHS " == *" poll "* ]]; then
    reset_store
    width_stub_mappings "$RUN_DIR/width-stub.json"
    start_stub "$STUB_PORT" "$RUN_DIR/width-stub.json" journal
    export KYC_WIDTH_BASE_URL=$STUB_URL KYC_WIDTH_API_KEY KYC_WIDTH_API_SECRET KYC_WIDTH_DOMAIN_ID=bench \
        KYC_WIDTH_POLL_EVERY="${SAT_POLL_EVERY_MS}ms" KYC_WIDTH_POLL_TICK_MILLIS=$SAT_TICK_MILLIS \
        KYC_WIDTH_POLL_THREADS=$SAT_POLL_THREADS KYC_WIDTH_REQUESTS_PER_SECOND=$SAT_RPS KYC_WIDTH_POLL_BATCH=$SAT_POLL_BATCH
    KYC_WIDTH_API_KEY=$(openssl rand -hex 16)
    KYC_WIDTH_API_SECRET=$(openssl rand -hex 32)
    HUB_ARGS=()
    start_hub
    wait_healthy
    log "the hub is up (log: ${HUB_LOG#"$ROOT"/})"
    jfr_initialise
    log "poll path: starting $EXECUTIONS WIDTH executions, polled as fast as the hub can"
    start_width_executions "$EXECUTIONS"
    status_count() {
        curl -sf -X POST "$STUB_URL/__admin/requests/count" -H 'Content-Type: application/json' \
            -d '{"method": "POST", "urlPath": "/api/workflow.execution.status"}' \
            | python3 -c 'import json, sys; print(json.load(sys.stdin)["count"])'
    }
    log "poll path: warm-up ${POLL_WARMUP} s"
    sleep "$POLL_WARMUP"
    log "poll path: recording ${POLL_DURATION} s"
    INBOX0=$(psql_db -c 'select count(*) from inbound_message')
    record poll counted_window "$POLL_DURATION" status_count
    INBOX1=$(psql_db -c 'select count(*) from inbound_message')
    polls=$((COUNT1 - COUNT0))
    (( polls > 0 )) || die "the hub made no poll in the window: see ${HUB_LOG#"$ROOT"/}"
    stages poll "$polls"
    {
        echo "poll path: $EXECUTIONS WIDTH executions always due (poll-every ${SAT_POLL_EVERY_MS} ms, tick ${SAT_TICK_MILLIS} ms, batch $SAT_POLL_BATCH, $SAT_POLL_THREADS poll threads, rate limit $SAT_RPS/s), stand-in answering RUNNING; warm-up ${POLL_WARMUP} s, recorded ${POLL_DURATION} s"
        echo "  load: $polls polls (the stand-in's workflow.execution.status count) in the window, $WINDOW_RATE/s; machine: $MACHINE_BUSY, load average $LOAD_BEFORE at the start"
        check "$( (( INBOX1 == INBOX0 )) && echo t)" \
            "every poll found the status unchanged (nothing stored in the window): $((INBOX1 - INBOX0)) inbox rows added"
        others_line "$polls"
        sed 's/^/  /' "$RUN_DIR/poll-stages.txt"
    } >"$RUN_DIR/poll-summary.txt"
    stop_hub
    stop_stub
fi

# --- The drain path --------------------------------------------------------------------------------------------
if [[ " $PATHS " == *" drain "* ]]; then
    reset_store
    log "writing $REQUESTS signed webhooks (mixed providers) for the inbox to drain"
    java -cp "$RUN_DIR/client-classes" ProofClient requests --providers striga,connectfi,argos,ondato \
        --count "$REQUESTS" --out "$RUN_DIR/drain.requests" >/dev/null
    start_stub "$STUB_PORT"
    HUB_ARGS=(--kyc.inbox.processing-enabled=false)
    start_hub
    wait_healthy
    log "drain path: ${DRAIN_FILL} s of mixed webhooks into the inbox, workers stopped"
    send_webhooks "$DRAIN_FILL" "$RUN_DIR/drain.requests" "$RUN_DIR/drain-fill.txt"
    stop_hub
    filled=$(psql_db -c "select count(*) from inbound_message where state = 'ACCEPTED'")
    HUB_ARGS=()
    start_hub
    wait_healthy
    log "the hub is up with its workers, $filled messages to process (log: ${HUB_LOG#"$ROOT"/})"
    jfr_initialise
    processed_count() { psql_db -c "select count(*) from inbound_message where state <> 'ACCEPTED'"; }
    log "drain path: warm-up ${DRAIN_WARMUP} s"
    sleep "$DRAIN_WARMUP"
    log "drain path: recording ${DRAIN_DURATION} s"
    record drain counted_window "$DRAIN_DURATION" processed_count
    LEFT1=$(psql_db -c "select count(*) from inbound_message where state = 'ACCEPTED'")
    drained=$((COUNT1 - COUNT0))
    (( drained > 0 )) || die "the workers processed nothing in the window: see ${HUB_LOG#"$ROOT"/}"
    stages drain "$drained" --by-code
    states=$(psql_db -c "select string_agg(state || '=' || n, ' ' order by state) from
                         (select state, count(*) as n from inbound_message group by state) s")
    {
        echo "drain path: $filled mixed webhooks stored with the workers stopped, then processed by the hub's inbox workers with no more load (pulls from a WireMock stand-in); warm-up ${DRAIN_WARMUP} s, recorded ${DRAIN_DURATION} s; the workers' samples split by the code they run"
        echo "  load: $drained messages processed in the window, $WINDOW_RATE/s; machine: $MACHINE_BUSY, load average $LOAD_BEFORE at the start"
        check "$( (( LEFT1 > 0 )) && echo t)" \
            "the inbox did not run dry in the window (the workers were never idle): $LEFT1 left to process at its end; $states after the run"
        others_line "$drained"
        sed 's/^/  /' "$RUN_DIR/drain-stages.txt"
    } >"$RUN_DIR/drain-summary.txt"
    stop_hub
    stop_stub
fi

# --- Summary -----------------------------------------------------------------------------------------------------
{
    echo "=== Where the hub's CPU goes: JFR profile per stage ($TS) ==="
    header_lines
    echo "settings   : JFR recording jdk.ExecutionSample every ${SAMPLE_MS} ms and jdk.GarbageCollection only, stack depth $STACK_DEPTH, -XX:+DebugNonSafepoints; jcmd JFR.start / JFR.stop around each measured window"
    echo "how        : the process's CPU in the window (/proc, user + system) = the JVM's native threads' (GC, JIT, VM thread, JFR recorder: per thread from /proc)"
    echo "             + the Java threads' (the rest), shared among the stages by their execution samples (JfrStages' rules); divided by the requests in the window"
    for path in $PATHS; do
        echo
        cat "$RUN_DIR/$path-summary.txt"
    done
    echo
    if (( FAILED_CHECKS == 0 )); then echo "RESULT PASS"; else echo "RESULT FAIL ($FAILED_CHECKS checks failed)"; fi
} >"$RUN_DIR/summary.txt"
save_summary <"$RUN_DIR/summary.txt"
(( FAILED_CHECKS == 0 ))
