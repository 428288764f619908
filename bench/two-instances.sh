#!/usr/bin/env bash
# Two hub instances on one database: EXECUTIONS WIDTH executions (each waiting on the particulars node, so each gets
# one node submission) polled by two real hub processes, each with a WIDTH poller of its own (continuous: the claim's
# SKIP LOCKED shares the executions out), against one WireMock stand-in for WIDTH on loopback that tells the hubs apart
# by their WIDTH API keys; the two are also one Quartz cluster for Connect Financial's poller. After PHASE seconds with
# both, one hub is killed with SIGKILL and the other runs on alone for PHASE seconds. From the hubs' logs (Quartz's
# LoggingJobHistoryPlugin, switched on for this run only: one line per firing with the tick it was scheduled for) and
# the stub's request journal it checks that
#   - every Quartz firing ran on one instance: no (trigger, scheduled tick) twice, no more firings than ticks;
#   - both instances polled WIDTH while both ran; no execution was polled twice within its poll period (no two polls
#     closer than a quarter period, apart from the poll the hub asks for once a node submission is answered), and no
#     node was submitted twice;
#   - after the kill, the other instance polls every execution, within the check-in interval plus Quartz's fixed 7.5 s
#     failure grace plus one poll period (the bound of the Quartz poller WIDTH had before; the claim alone makes an
#     execution the killed hub claimed due again one poll period after its claim), and fires the Quartz poller;
# and prints the firings and polls per instance and the take-over times.
#
#   bench/two-instances.sh                                       # defaults below, about two minutes
#   EXECUTIONS=40 PHASE=20 bench/two-instances.sh                # quick smoke run
#
# Settings (environment):
#   EXECUTIONS=200    executions started through the two hubs' API, alternately
#   PHASE=30          seconds measured with both hubs, then again with one after the kill
#   POLL_EVERY_MS=3000  kyc.providers.width.poll-every
#   TICK_MILLIS=250   kyc.providers.width.poll-tick-millis and kyc.providers.connectfi.poll-tick-millis
#   CHECKIN_MS=1000   kyc.cluster.checkin-interval
#   KILL=auto         which hub is killed: a, b, or auto (the one that ran the latest Quartz firing)
#   PORT_A=18300 / PORT_B=18301 / STUB_PORT=18309   ports (127.0.0.1 only)
#   BUILD=0           1: rebuild the jar even if it exists
#   BENCH_DB=kyc_hub_bench_cluster   the database (on the local server 127.0.0.1:5432); it is TRUNCATED
#   HUB_JAVA_OPTS=    extra JVM options for both hubs
#
# Output: a summary with PASS/FAIL lines on stdout, also saved as bench/results/two-instances-<UTC timestamp>.txt
# and, unless LAST=0, as bench/last/two-instances.txt;
# the hubs' logs in bench/results/cluster-hub-a.log and -b.log, the stub's in bench/results/cluster-stub.log and its
# request journal in bench/results/cluster-journal.json. Exits 1 when a check fails.
set -euo pipefail

EXECUTIONS=${EXECUTIONS:-200}
PHASE=${PHASE:-30}
POLL_EVERY_MS=${POLL_EVERY_MS:-3000}
TICK_MILLIS=${TICK_MILLIS:-250}
CHECKIN_MS=${CHECKIN_MS:-1000}
KILL=${KILL:-auto}
PORT_A=${PORT_A:-18300}
PORT_B=${PORT_B:-18301}
STUB_PORT=${STUB_PORT:-18309}
BUILD=${BUILD:-0}
BENCH_DB=${BENCH_DB:-kyc_hub_bench_cluster}
HUB_JAVA_OPTS=${HUB_JAVA_OPTS:-}
WIREMOCK_VERSION=3.13.2

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RESULTS=$BENCH_DIR/results
JAR=$ROOT/target/kyc-hub-0.1.0-SNAPSHOT.jar
BENCH_JAR=$RESULTS/.kyc-hub-cluster-bench.jar
WIREMOCK=${WIREMOCK_JAR:-$HOME/.m2/repository/org/wiremock/wiremock-standalone/$WIREMOCK_VERSION/wiremock-standalone-$WIREMOCK_VERSION.jar}
TS=$(date -u +%Y%m%dT%H%M%SZ)
SUMMARY=$RESULTS/two-instances-$TS.txt
STUB_URL=http://127.0.0.1:$STUB_PORT
STUB_DIR=$RESULTS/cluster-stub
PID_A=
PID_B=
STUB_PID=

die() { echo "two-instances: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

for n in EXECUTIONS PHASE POLL_EVERY_MS TICK_MILLIS CHECKIN_MS PORT_A PORT_B STUB_PORT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( EXECUTIONS >= 1 && PHASE >= 1 && TICK_MILLIS >= 1 )) || die "EXECUTIONS, PHASE, TICK_MILLIS must be >= 1"
[[ $KILL == a || $KILL == b || $KILL == auto ]] || die "KILL must be a, b or auto"
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
    stop "$PID_A" "hub a"; PID_A=
    stop "$PID_B" "hub b"; PID_B=
    stop "$STUB_PID" stub; STUB_PID=
    rm -f "$BENCH_JAR" "$RESULTS/.cluster-answered.txt"
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
cp "$JAR" "$BENCH_JAR"
for port in "$PORT_A" "$PORT_B" "$STUB_PORT"; do
    ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" || die "something already answers on port $port: choose other ports"
done

# --- The WIDTH stand-in: every execution waits on the particulars node; every call answers at once -------------
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
                "body": "{\"executionId\":\"{{jsonPath request.body '$.executionId'}}\",\"status\":\"WAITING\",\"currentNode\":{\"nodeId\":\"n-part\",\"nodeType\":\"flow_action_individual_particular\",\"callbackKey\":\"kyc:n-part:{{jsonPath request.body '$.executionId'}}\"}}"}},
  {"request": {"method": "POST", "urlPath": "/api/workflow.kyc.particular.data"},
   "response": {"status": 200, "jsonBody": {"success": true}}}
]}
JSON
log "starting the WIDTH stub on $STUB_URL"
java -jar "$WIREMOCK" --port "$STUB_PORT" --bind-address 127.0.0.1 --root-dir "$STUB_DIR" \
    --global-response-templating --disable-banner >"$RESULTS/cluster-stub.log" 2>&1 &
STUB_PID=$!

# --- Two hubs on one database ------------------------------------------------------------------------------------
if ! psql -X -A -t "${PG_CONN[@]}" -d "$BENCH_DB" -c 'select 1' >/dev/null 2>&1; then
    psql -X -q -v ON_ERROR_STOP=1 "${PG_CONN[@]}" -d postgres -c "create database \"$BENCH_DB\"" >/dev/null
fi
reset_tables() {
    if [[ $(psql_db -c "select to_regclass('public.kyc_case') is not null") == t ]]; then
        psql_db -c 'set client_min_messages = warning; truncate kyc_event, kyc_check, provider_action, inbound_message,
                    provider_customer, customer_document, width_customer_data, kyc_case, customer restart identity cascade'
    fi
}
# Before the hubs start (a previous run's executions would be polled at once), and again once Flyway made the schema.
# A previous run's Quartz rows go too: its killed instance would otherwise be recovered by this run's.
reset_tables
if [[ $(psql_db -c "select to_regclass('public.qrtz_locks') is not null") == t ]]; then
    psql_db -c 'truncate qrtz_fired_triggers, qrtz_scheduler_state, qrtz_simple_triggers, qrtz_cron_triggers,
                qrtz_simprop_triggers, qrtz_blob_triggers, qrtz_triggers, qrtz_job_details, qrtz_paused_trigger_grps,
                qrtz_calendars, qrtz_locks'
fi
API_KEY=$(openssl rand -hex 24)
WIDTH_KEY=$(openssl rand -hex 16)
WIDTH_SECRET=$(openssl rand -hex 32)
start_hub() {
    local name=$1 port=$2
    (
        cd "$ROOT"
        # shellcheck disable=SC2086
        exec env ${HUB_DB_ENV[@]+"${HUB_DB_ENV[@]}"} KYC_API_KEYS="$API_KEY" KYC_WIDTH_BASE_URL="$STUB_URL" \
            KYC_WIDTH_API_KEY="$WIDTH_KEY-$name" KYC_WIDTH_API_SECRET="$WIDTH_SECRET" KYC_WIDTH_DOMAIN_ID=bench \
            KYC_WIDTH_POLL_EVERY="${POLL_EVERY_MS}ms" KYC_WIDTH_POLL_TICK_MILLIS="$TICK_MILLIS" \
            KYC_PROVIDERS_CONNECTFI_POLLTICKMILLIS="$TICK_MILLIS" KYC_WIDTH_REQUESTS_PER_SECOND=1000 \
            KYC_CLUSTER_CHECKIN_INTERVAL="${CHECKIN_MS}ms" \
            java -Duser.timezone=UTC $HUB_JAVA_OPTS -jar "$BENCH_JAR" \
            --server.port="$port" --server.address=127.0.0.1 --kyc.db.local-database="$BENCH_DB" \
            --kyc.webhooks.vertx-port=$((port + 1000)) \
            --spring.quartz.properties.org.quartz.plugin.firings.class=org.quartz.plugins.history.LoggingJobHistoryPlugin \
            '--spring.quartz.properties.org.quartz.plugin.firings.jobToBeFiredMessage=firing {4}.{3} scheduled {5,date,yyyyMMddHHmmssSSS}'
    ) >"$RESULTS/cluster-hub-$name.log" 2>&1 &
}
await_healthy() {
    local name=$1 port=$2 pid=$3 deadline=$((SECONDS + 300)) health
    until health=$(curl -s --max-time 2 "http://127.0.0.1:$port/actuator/health") && [[ $health == '{"status":"UP"'* ]]; do
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$RESULTS/cluster-hub-$name.log" >&2; die "hub $name exited during start-up"; }
        (( SECONDS < deadline )) || { tail -n 30 "$RESULTS/cluster-hub-$name.log" >&2; die "hub $name was not healthy within 300 s"; }
        sleep 1
    done
}
log "starting hub a on port $PORT_A and hub b on port $PORT_B (logs: bench/results/cluster-hub-a.log, -b.log)"
# One after the other: two JVMs starting at once on two cores take more than twice as long.
start_hub a "$PORT_A"; PID_A=$!
await_healthy a "$PORT_A" "$PID_A"
start_hub b "$PORT_B"; PID_B=$!
await_healthy b "$PORT_B" "$PID_B"
curl -s -o /dev/null --max-time 5 "$STUB_URL/__admin/mappings" || die "the stub did not start: see bench/results/cluster-stub.log"
reset_tables
curl -s -o /dev/null -X DELETE "$STUB_URL/__admin/requests"
grep -q 'firing connectfi.poll-status scheduled' "$RESULTS/cluster-hub-a.log" "$RESULTS/cluster-hub-b.log" \
    || die "no firing logged: Quartz's LoggingJobHistoryPlugin did not start"

# --- EXECUTIONS onboardings, alternately through each hub's API, each customer with particulars to submit ---------
log "starting $EXECUTIONS executions"
export API_KEY PORT_A PORT_B
seq 1 "$EXECUTIONS" | xargs -P 8 -I{} sh -c '
    id=$(printf "c%06d" {}); port=$PORT_A; [ $(({} % 2)) -eq 0 ] && port=$PORT_B
    hub=http://127.0.0.1:$port/api/v1/customers
    curl -sf -o /dev/null -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" \
        "$hub" -d "{\"customerId\":\"$id\"}" &&
    curl -sf -o /dev/null -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" \
        "$hub/$id/data/particulars" -d "{\"name\":\"Bench Customer\",\"dateOfBirth\":\"1990-01-15\",\"nationality\":\"SG\"}" &&
    curl -sf -o /dev/null -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" \
        "$hub/$id/onboardings" -d "{\"provider\":\"width\"}"' || die "a hub API refused an onboarding"
deadline=$((SECONDS + 180))
until [[ $(psql_db -c "select count(*) from kyc_case where provider = 'width' and provider_ref like 'bench-exec-%'") == "$EXECUTIONS" ]]; do
    (( SECONDS < deadline )) || die "not every execution started within 180 s"
    sleep 1
done
START_MS=$(now_ms)
log "all $EXECUTIONS executions are polled; ${PHASE} s with both hubs"
sleep "$PHASE"

# --- Kill one hub, let the other run on alone ------------------------------------------------------------------------
latest() { grep -ho 'firing connectfi.poll-status scheduled [0-9]*' "$RESULTS/cluster-hub-$1.log" | tail -n 1 | awk '{print $4}'; }
VICTIM=$KILL
if [[ $VICTIM == auto ]]; then
    VICTIM=a; [[ $(latest b) > $(latest a) ]] && VICTIM=b
fi
if [[ $VICTIM == a ]]; then VICTIM_PID=$PID_A; SURVIVOR=b; else VICTIM_PID=$PID_B; SURVIVOR=a; fi
KILL_MS=$(now_ms)
kill -KILL "$VICTIM_PID"
wait "$VICTIM_PID" 2>/dev/null || true
if [[ $VICTIM == a ]]; then PID_A=; else PID_B=; fi
log "killed hub $VICTIM (SIGKILL); ${PHASE} s with hub $SURVIVOR alone"
sleep "$PHASE"
END_MS=$(now_ms)

curl -sf -X POST "$STUB_URL/__admin/requests/find" -H 'Content-Type: application/json' \
    -d '{"method": "POST", "urlPathPattern": "/api/.*"}' >"$RESULTS/cluster-journal.json" \
    || die "cannot read the stub's request journal"
STATE=$(psql_db -F ' ' -c "select count(*) from qrtz_scheduler_state")
# When each node submission's answer was processed: the hub then asks for the execution's next status at once.
psql_db -F ' ' -c "select subject, (extract(epoch from processed_at) * 1000)::bigint from inbound_message
                   where provider = 'width' and message_type = 'submitted' and processed_at is not null" \
    >"$RESULTS/.cluster-answered.txt"
set +e
REPORT=$(python3 - "$RESULTS/cluster-journal.json" "$RESULTS/.cluster-answered.txt" "$RESULTS/cluster-hub-a.log" "$RESULTS/cluster-hub-b.log" \
    "$START_MS" "$KILL_MS" "$END_MS" "$EXECUTIONS" "$POLL_EVERY_MS" "$TICK_MILLIS" "$CHECKIN_MS" "$VICTIM" "$SURVIVOR" "$WIDTH_KEY" <<'PY'
import datetime, json, re, sys
journal, answered, log_a, log_b = sys.argv[1:5]
start, kill, end, executions, every, tick, checkin = map(int, sys.argv[5:12])
victim, survivor, width_key = sys.argv[12:15]
failed = []

def check(ok, text):
    print(("PASS " if ok else "FAIL ") + text)
    if not ok:
        failed.append(text)

def epoch_ms(stamp):
    return int(datetime.datetime.strptime(stamp, "%Y%m%d%H%M%S%f").replace(
        tzinfo=datetime.timezone.utc).timestamp() * 1000)

# Firings, from each hub's log: (hub, trigger, scheduled tick).
firings = []
for hub, path in (("a", log_a), ("b", log_b)):
    for line in open(path, errors="replace"):
        m = re.search(r"firing (\S+) scheduled (\d{17})", line)
        if m:
            firings.append((hub, m.group(1), epoch_ms(m.group(2))))
triggers = sorted({t for _, t, _ in firings})
seen, twice = {}, 0
for hub, trigger, at in firings:
    key = (trigger, at)
    twice += key in seen
    seen[key] = hub
phase1 = [f for f in firings if start <= f[2] < kill]
phase2 = [f for f in firings if kill <= f[2] < end]
print("firings per instance, %d s with both hubs: %s" % ((kill - start) // 1000, ", ".join(
    "%s a=%d b=%d" % (t, sum(1 for f in phase1 if f[:2] == ("a", t)), sum(1 for f in phase1 if f[:2] == ("b", t)))
    for t in triggers)))
print("firings per instance, %d s after hub %s was killed: %s" % ((end - kill) // 1000, victim, ", ".join(
    "%s a=%d b=%d" % (t, sum(1 for f in phase2 if f[:2] == ("a", t)), sum(1 for f in phase2 if f[:2] == ("b", t)))
    for t in triggers)))
check(twice == 0, "each firing ran on one instance: %d firings of %d scheduled ticks, %d ticks fired twice"
      % (len(firings), len(seen), twice))
ticks = (kill - start) // tick + 1
most = max(sum(1 for f in phase1 if f[1] == t) for t in triggers) if triggers else 0
check(0 < most <= ticks + 2, "no more firings than ticks with both hubs: at most %d firings of one trigger for %d ticks "
      "of %d ms (two unclustered schedulers would fire about %d)" % (most, ticks, tick, 2 * ticks))

# Polls and node submissions, from the stub's journal.
calls, polled_by = {}, []
for request in json.load(open(journal))["requests"]:
    method = request["url"].split("?")[0].rsplit("/", 1)[-1]
    if method == "workflow.execution.status":
        hub = re.search(r"apiKey=" + re.escape(width_key) + r"-(\w)", request["url"])
        polled_by.append((hub.group(1) if hub else "?", request["loggedDate"]))
    body = json.loads(request["body"] or "{}")
    key = body.get("executionId") or body.get("customerId") or body.get("data", {}).get("customerId")
    calls.setdefault(method, {}).setdefault(key, []).append(request["loggedDate"])
polls = calls.get("workflow.execution.status", {})
submitted = calls.get("workflow.kyc.particular.data", {})
asked = {}
for line in open(answered):
    if line.strip():
        execution, at = line.split()
        asked.setdefault(execution, []).append(int(at))
doubles, short, gaps, rates, closest = 0, 0, [], [], []
for execution, times in polls.items():
    times.sort()
    # Once a node submission's answer is processed, the hub asks for the next status at once: the first poll after
    # that (or the second, when a regular one slipped in while the answer was being committed) is let be.
    let_be = {t for at in asked.get(execution, []) for t in [u for u in times if u > at][:2]}
    regular = 0
    for before, after in zip(times, times[1:]):
        if after in let_be:
            continue
        regular += 1
        gaps.append(after - before)
        short += after - before < every / 2
        if after - before < every / 4:
            doubles += 1
            closest.append((after - before, execution, before - kill))
    if times[-1] > times[0]:
        rates.append(regular * every / (times[-1] - times[0]))
gaps.sort()
rates.sort()
print("polls: %d of %d executions, %d polls; time between two polls of one execution p50 %d ms, min %d ms; polls per "
      "execution per poll period (%d ms) min %.2f, max %.2f" % (len(polls), executions, sum(map(len, polls.values())),
      gaps[len(gaps) // 2] if gaps else -1, gaps[0] if gaps else -1, every, rates[0] if rates else -1,
      rates[-1] if rates else -1))
for gap, execution, since_kill in sorted(closest)[:5]:
    print("  %s polled %d ms after its previous poll, which came %+d ms from the kill" % (execution, gap, since_kill))
both = [h for h, at in polled_by if start <= at < kill]
alone = [h for h, at in polled_by if at >= kill + every]
print("polls per instance: with both hubs a=%d b=%d; from one poll period after the kill a=%d b=%d"
      % (both.count("a"), both.count("b"), alone.count("a"), alone.count("b")))
check(both.count("a") > 0 and both.count("b") > 0 and alone.count(victim) == 0,
      "both instances polled WIDTH while both ran (the claim shares the executions out), none after its kill")
check(doubles == 0 and rates and rates[-1] <= 1.05, "no execution polled twice within its poll period: %d polls "
      "closer than a quarter period (%d ms) to the previous one; %d closer than half a period (the call leaves some "
      "time after the claim, more on a busy machine)" % (doubles, every // 4, short))
counts = [len(submitted.get(e, [])) for e in polls]
check(len(polls) == executions and counts and min(counts) == 1 and max(counts) == 1,
      "no node submitted twice: workflow.kyc.particular.data %d times for %d executions (each once: %s)"
      % (sum(counts), executions, "yes" if counts and min(counts) == max(counts) == 1 else "NO"))
for method in ("workflow.applicant.register", "workflow.apply.submit"):
    made = calls.get(method, {})
    check(len(made) == executions and all(len(v) == 1 for v in made.values()),
          "%s once per customer: %d calls for %d customers" % (method, sum(map(len, made.values())), executions))

# Take-over.
bound = checkin + 7500 + every + 2 * tick + 1000
first = [min((t for t in times if t >= kill), default=None) for times in polls.values()]
missing = sum(1 for t in first if t is None)
worst = max((t - kill for t in first if t is not None), default=-1)
survivor_ticks = sorted(at for hub, trigger, at in phase2 if trigger == "connectfi.poll-status" and hub == survivor)
print("take-over: every WIDTH execution polled again within %d ms of the kill; hub %s's first Quartz firing "
      "(Connect Financial's poller) after it was scheduled %s ms after it"
      % (worst, survivor, survivor_ticks[0] - kill if survivor_ticks else "never"))
check(missing == 0 and 0 <= worst <= bound, "hub %s took over every execution within %d ms of the kill (bound: "
      "check-in %d + Quartz's failure grace 7500 + poll-every %d + 2 ticks + 1000 = %d ms); %d never polled again"
      % (survivor, worst, checkin, every, bound, missing))
check(bool(survivor_ticks), "hub %s fires the Quartz poller after the kill" % survivor)
late = [times for times in polls.values() if not any(t >= end - 2 * every for t in times)]
check(not late, "hub %s alone keeps polling every execution: %d not polled in the last %d ms"
      % (survivor, len(late), 2 * every))
print("RESULT two-instances executions=%d firings=%d ticks_twice=%d double_polls=%d takeover_ms=%d failed=%d"
      % (executions, len(firings), twice, doubles, worst, len(failed)))
sys.exit(1 if failed else 0)
PY
)
STATUS=$?
set -e

{
    echo "two-instances benchmark, $TS"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "settings: EXECUTIONS=$EXECUTIONS PHASE=$PHASE POLL_EVERY_MS=$POLL_EVERY_MS TICK_MILLIS=$TICK_MILLIS CHECKIN_MS=$CHECKIN_MS KILL=$KILL (killed: hub $VICTIM)"
    echo "database: 127.0.0.1:5432/$BENCH_DB; both hubs, the stub and PostgreSQL on this machine; Quartz instances in qrtz_scheduler_state at the end: $STATE"
    echo "$REPORT"
} | tee "$SUMMARY"
if [[ ${LAST:-1} == 1 ]]; then
    mkdir -p "$BENCH_DIR/last"
    cp "$SUMMARY" "$BENCH_DIR/last/two-instances.txt"
fi
exit "$STATUS"
