#!/usr/bin/env bash
# Reconciliation benchmark: CASES quiet, non-terminal cases spread over Striga, ARGOS and Ondato, every one due for a
# status pull, against a WireMock stand-in for the three status APIs on loopback. REPAIR_EVERY-th case is seeded one
# step behind what the stand-in answers (a missed webhook: the pull repairs it, through the inbox); the others already
# say what it answers (the pull finds them unchanged).
#
# 1. Defaults: the hub with its default reconcile and rate-limit settings (reconcile.batch 500, threads 2,
#    requests-per-second 10 per provider): the time of one full sweep over the CASES cases (from the first claim until
#    every case is pulled and every repair applied), pulls per second, and the hub's CPU per pull and in cores over the
#    sweep after its first tenth (before, the JVM is still compiling the hub: start-up, not the sweep's cost). The aim (issue 12): a full sweep of 10,000 cases within one
#    default period (15 min), under a fifth of a core.
# 2. Saturation (SATURATION=1): the same sweep with the rate limit lifted and SAT_THREADS pulls at a time: how fast the
#    hub pulls when only its own work bounds it. Then, with the hub and the stand-in stopped, pgbench runs the SQL the
#    sweep runs, taken from the code (DueCases.CLAIM_QUIET, rolled back so that the cases stay due; the read of the case
#    and of its checks behind CanonicalStore.wouldChange), with SAT_THREADS clients for SAT_PGBENCH_SECONDS, and the
#    summary gives the ratios hub / pgbench.
#
#   bench/reconcile.sh                                            # 10,000 cases, both phases (about 15 minutes)
#   CASES=900 SATURATION=0 LAST=0 bench/reconcile.sh              # smoke run
#
# Settings (environment):
#   CASES=10000        cases, one in three per provider
#   REPAIR_EVERY=10    every n-th case is behind its provider (0: none)
#   SATURATION=1       0: skip phase 2
#   SAT_THREADS=8      phase 2: kyc.providers.<p>.reconcile.threads, and pgbench's clients
#   SAT_PGBENCH_SECONDS=30
#   PORT=18082 / STUB_PORT=18092   the hub's and the stand-in's ports (127.0.0.1 only)
#   BUILD=0            1: rebuild the jar even if it exists
#   BENCH_DB=kyc_hub_bench_reconcile   the database (on the local server 127.0.0.1:5432); it is EMPTIED
#   HUB_JAVA_OPTS=     extra JVM options for the hub
#   LAST=1             also save the summary as bench/last/reconcile.txt (0: do not)
#   NOTE=              a line added to the summary (say when the machine was shared)
#
# Output: a summary on stdout, also saved as bench/results/reconcile-<UTC timestamp>.txt (and bench/last/); the hub's
# logs in bench/results/reconcile-hub-*.log, the stand-in's in bench/results/reconcile-stub.log, pgbench's scripts and
# output in bench/results/reconcile-pgbench/.
set -euo pipefail

CASES=${CASES:-10000}
REPAIR_EVERY=${REPAIR_EVERY:-10}
SATURATION=${SATURATION:-1}
SAT_THREADS=${SAT_THREADS:-8}
SAT_PGBENCH_SECONDS=${SAT_PGBENCH_SECONDS:-30}
PORT=${PORT:-18082}
STUB_PORT=${STUB_PORT:-18092}
BUILD=${BUILD:-0}
BENCH_DB=${BENCH_DB:-kyc_hub_bench_reconcile}
HUB_JAVA_OPTS=${HUB_JAVA_OPTS:-}
LAST=${LAST:-1}
NOTE=${NOTE:-}
WIREMOCK_VERSION=3.13.2
DEFAULT_PERIOD_S=900

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RESULTS=$BENCH_DIR/results
JAR=$ROOT/target/kyc-hub-0.1.0-SNAPSHOT.jar
WIREMOCK=${WIREMOCK_JAR:-$HOME/.m2/repository/org/wiremock/wiremock-standalone/$WIREMOCK_VERSION/wiremock-standalone-$WIREMOCK_VERSION.jar}
TS=$(date -u +%Y%m%dT%H%M%SZ)
SUMMARY=$RESULTS/reconcile-$TS.txt
HUB_URL=http://127.0.0.1:$PORT
STUB_URL=http://127.0.0.1:$STUB_PORT
STUB_DIR=$RESULTS/reconcile-stub
PGB_DIR=$RESULTS/reconcile-pgbench
HUB_PID=
STUB_PID=

die() { echo "reconcile: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

for n in CASES REPAIR_EVERY SATURATION SAT_THREADS SAT_PGBENCH_SECONDS PORT STUB_PORT LAST; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( CASES >= 3 && SAT_THREADS >= 1 && SAT_PGBENCH_SECONDS >= 1 )) || die "CASES must be >= 3, SAT_THREADS and SAT_PGBENCH_SECONDS >= 1"
[[ $BENCH_DB =~ ^[a-z_][a-z0-9_]*$ && $BENCH_DB == *bench* ]] || die "BENCH_DB must be a plain identifier containing 'bench'"
TOOLS=(java psql curl openssl python3)
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
    stop "$STUB_PID" stand-in; STUB_PID=
    rm -f "$RESULTS/.kyc-hub-reconcile-bench.jar"
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
cp "$JAR" "$RESULTS/.kyc-hub-reconcile-bench.jar"
JAR_BUILT=$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)
REV=$(TZ=UTC git -C "$ROOT" log -1 --format='%h (committed %cd)' --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo unknown)
[[ -z $(git -C "$ROOT" status --porcelain -- src pom.xml routes 2>/dev/null) ]] || REV="$REV + uncommitted changes in src/, routes/ or pom.xml"
for url in "$HUB_URL/" "$STUB_URL/"; do
    ! curl -s -o /dev/null --max-time 2 "$url" || die "something already answers at $url: choose other ports"
done

# --- The stand-in: each status API answers at once, the same for every case of its provider ---------------------
# Striga: PENDING_REVIEW; ARGOS: a pending submission; Ondato: a verification naming identification k<id>, Processed.
rm -rf "$STUB_DIR"; mkdir -p "$STUB_DIR/mappings"
cat >"$STUB_DIR/mappings/status-apis.json" <<'JSON'
{"mappings": [
  {"request": {"method": "GET", "urlPathPattern": "/striga/api/v1/user/kyc/[^/]+"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "body": "{\"userId\":\"{{request.pathSegments.[5]}}\",\"status\":\"PENDING_REVIEW\"}"}},
  {"request": {"method": "GET", "urlPath": "/argos/submission"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "body": "{\"Items\":[{\"submission_id\":\"{{request.query.submission_id}}\",\"kyc\":{\"result\":\"pending\",\"comment\":[],\"commentCode\":[]},\"created_at\":\"2024-03-04-09-12-45-000\"}]}"}},
  {"request": {"method": "GET", "urlPathPattern": "/ondato-idv/v1/identity-verifications/[^/]+"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "body": "{\"id\":\"{{request.pathSegments.[3]}}\",\"status\":\"Completed\",\"step\":{\"kycIdentification\":{\"id\":\"k{{request.pathSegments.[3]}}\"}}}"}},
  {"request": {"method": "GET", "urlPathPattern": "/ondato-kyc/v1/identifications/[^/]+"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "body": "{\"id\":\"{{request.pathSegments.[3]}}\",\"status\":\"Processed\"}"}}
]}
JSON
log "starting the stand-in on $STUB_URL"
java -jar "$WIREMOCK" --port "$STUB_PORT" --bind-address 127.0.0.1 --root-dir "$STUB_DIR" \
    --global-response-templating --disable-banner --no-request-journal >"$RESULTS/reconcile-stub.log" 2>&1 &
STUB_PID=$!

# --- The hub ----------------------------------------------------------------------------------------------------
if ! psql -X -A -t "${PG_CONN[@]}" -d "$BENCH_DB" -c 'select 1' >/dev/null 2>&1; then
    psql -X -q -v ON_ERROR_STOP=1 "${PG_CONN[@]}" -d postgres -c "create database \"$BENCH_DB\"" >/dev/null
fi
API_KEY=$(openssl rand -hex 24)
STRIGA_KEY=$(openssl rand -hex 16)
STRIGA_SECRET=$(openssl rand -hex 32)
ARGOS_KEY=$(openssl rand -hex 16)
ONDATO_KEY=$(openssl rand -hex 16)
# start_hub LOG THREADS RPS: starts the hub (reconciliation of the three providers against the stand-in, every other
# setting its default) and waits until it is healthy; HUB_PID is its java process.
start_hub() {
    local logfile=$1 threads=$2 rps=$3 deadline
    local settings=()
    for p in STRIGA ARGOS ONDATO; do
        [[ -z $threads ]] || settings+=("KYC_PROVIDERS_${p}_RECONCILE_THREADS=$threads")
        [[ -z $rps ]] || settings+=("KYC_PROVIDERS_${p}_REQUESTS_PER_SECOND=$rps")
    done
    [[ -z $rps ]] || settings+=("KYC_ONDATO_REQUESTS_PER_SECOND=$rps")
    log "starting the hub on $HUB_URL (log: ${logfile#"$ROOT"/})"
    (
        cd "$ROOT"
        # shellcheck disable=SC2086
        exec env ${HUB_DB_ENV[@]+"${HUB_DB_ENV[@]}"} ${settings[@]+"${settings[@]}"} KYC_API_KEYS="$API_KEY" \
            KYC_STRIGA_BASE_URL="$STUB_URL/striga/api/v1" KYC_STRIGA_API_KEY="$STRIGA_KEY" \
            KYC_STRIGA_API_SECRET="$STRIGA_SECRET" KYC_ARGOS_BASE_URL="$STUB_URL/argos" KYC_ARGOS_API_KEY="$ARGOS_KEY" \
            KYC_ONDATO_IDV_BASE_URL="$STUB_URL/ondato-idv" KYC_ONDATO_KYC_BASE_URL="$STUB_URL/ondato-kyc" \
            KYC_ONDATO_API_KEY="$ONDATO_KEY" \
            java $HUB_JAVA_OPTS -jar "$RESULTS/.kyc-hub-reconcile-bench.jar" \
            --server.port="$PORT" --server.address=127.0.0.1 --kyc.db.local-database="$BENCH_DB"
    ) >"$logfile" 2>&1 &
    HUB_PID=$!
    deadline=$((SECONDS + 120))
    until health=$(curl -s --max-time 2 "$HUB_URL/actuator/health") && [[ $health == '{"status":"UP"'* ]]; do
        kill -0 "$HUB_PID" 2>/dev/null || { tail -n 30 "$logfile" >&2; die "the hub exited during start-up"; }
        (( SECONDS < deadline )) || { tail -n 30 "$logfile" >&2; die "the hub was not healthy within 120 s"; }
        sleep 1
    done
}

# Seeds CASES quiet cases (heard of and reconciled two hours ago), as the hub would hold them after its providers'
# webhooks: Striga PENDING_REVIEW, ARGOS pending, Ondato Processed; every REPAIR_EVERY-th one step behind. The Quartz
# tables are emptied too, so that the sweep's trigger is new and fires at the hub's start.
seed() {
    psql_db <<SQL
set client_min_messages = warning;
truncate kyc_event, kyc_check, provider_action, inbound_message, provider_customer, customer_document, kyc_case,
         customer restart identity cascade;
truncate qrtz_fired_triggers, qrtz_simple_triggers, qrtz_cron_triggers, qrtz_simprop_triggers, qrtz_blob_triggers,
         qrtz_triggers, qrtz_job_details, qrtz_paused_trigger_grps, qrtz_scheduler_state cascade;
insert into customer (customer_id) select 'rc' || i from generate_series(1, $CASES) i;
insert into kyc_case (customer_id, provider, provider_ref, status, next_action, provider_status, provider_details,
                      heard_at, updated_at)
select 'rc' || i, p.provider, p.ref,
       case when behind then p.behind_status else 'IN_REVIEW' end,
       case when behind then p.behind_action else 'WAIT' end,
       case when behind then p.behind_provider_status else p.provider_status end,
       p.details::jsonb, now() - interval '2 hours', now() - interval '2 hours'
from generate_series(1, $CASES) i
cross join lateral (select $REPAIR_EVERY > 0 and i % greatest($REPAIR_EVERY, 1) = 0 as behind) b
cross join lateral (
    select * from (values
        (0, 'striga', 'rc' || i, 'PENDING_REVIEW', 'IN_PROGRESS', 'COMPLETE_VERIFICATION', 'INITIATED', '{}'),
        (1, 'argos', 'rc' || i, 'pending', 'NOT_STARTED', 'NONE', null,
            '{"submittedAt": "2024-03-04-09-12-45-000", "kycResult": {"status": "pending"}}'),
        (2, 'ondato', 'rc' || i, 'Processed', 'IN_PROGRESS', 'COMPLETE_VERIFICATION', 'Created',
            '{"identityVerificationId": "rc' || i || '", "idvUrl": "https://idv.ondato.com/?id=rc' || i
            || '", "kycIdentificationId": "krc' || i || '"}'))
        v(n, provider, ref, provider_status, behind_status, behind_action, behind_provider_status, details)
    where n = i % 3) p;
SQL
}

# pulls OUTCOME: the hub's count of reconciliation pulls with that outcome, all providers.
pulls() {
    curl -sf --max-time 10 "$HUB_URL/actuator/prometheus" | python3 -c '
import re, sys
outcome, total = sys.argv[1], 0.0
for line in sys.stdin:
    if line.startswith("kyc_reconcile_pulls_total{") and ("outcome=\"%s\"" % outcome) in line:
        total += float(line.rsplit(" ", 1)[1])
print(int(total))' "$1"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK=$(getconf CLK_TCK)

# sweep NAME LOG THREADS RPS: seeds, starts the hub, measures its first sweep until every case is pulled and every
# repaired answer applied; prints a RESULT line.
sweep() {
    local name=$1 logfile=$2 threads=$3 rps=$4 java cpu0= cpu1 pulls0= ms0= start_ms end_ms repaired unchanged failed
    seed
    start_hub "$logfile" "$threads" "$rps"
    java=$(pgrep -f -- "-jar $RESULTS/.kyc-hub-reconcile-bench.jar" | head -n 1)
    [[ $(awk '{print $2}' "/proc/$java/stat") == '(java)' ]] || die "pid $java is not the hub's java process"
    log "$name: sweeping $CASES cases"
    local deadline=$((SECONDS + 3600))
    while :; do
        repaired=$(pulls repaired); unchanged=$(pulls unchanged); failed=$(pulls failed)
        # The CPU is measured from the first tenth of the sweep on: before, the JVM is still compiling the hub.
        if [[ -z $cpu0 ]] && (( (repaired + unchanged + failed) * 10 >= CASES )); then
            cpu0=$(cpu_ticks "$java"); pulls0=$((repaired + unchanged + failed)); ms0=$(( $(date +%s%N) / 1000000 ))
        fi
        if (( repaired + unchanged + failed >= CASES )) \
            && [[ $(psql_db -c "select count(*) from inbound_message where state = 'ACCEPTED'") == 0 ]]; then
            break
        fi
        (( SECONDS < deadline )) || die "$name: the sweep did not end within an hour ($repaired repaired, $unchanged unchanged, $failed failed)"
        sleep 0.5
    done
    end_ms=$(( $(date +%s%N) / 1000000 ))
    cpu1=$(cpu_ticks "$java")
    start_ms=$(psql_db -c "select (extract(epoch from min(reconciled_at)) * 1000)::bigint from kyc_case")
    stop "$HUB_PID" hub; HUB_PID=
    local applied
    applied=$(psql_db -c "select count(*) from kyc_case where status = 'IN_REVIEW' and next_action = 'WAIT'")
    python3 - "$name" "$CASES" "$start_ms" "$end_ms" $(( (cpu1 - cpu0) * 1000 / CLK )) "$repaired" "$unchanged" \
        "$failed" "$applied" "$pulls0" "$ms0" "$threads" "$rps" <<'PY'
import sys
name, cases, start, end, cpu_ms, repaired, unchanged, failed, applied, pulls0, ms0 = sys.argv[1], *map(int, sys.argv[2:12])
threads, rps = sys.argv[12] or "2 (default)", sys.argv[13] or "10 (default)"
seconds = (end - start) / 1000
pulls = repaired + unchanged + failed
measured, measured_s = pulls - pulls0, (end - ms0) / 1000
print("RESULT reconcile-%s cases=%d sweep_s=%.1f pulls=%d pulls_per_s=%.1f repaired=%d unchanged=%d failed=%d "
      "cases_in_review=%d hub_cpu_ms_per_pull=%.3f hub_cpu_cores=%.3f cpu_window_pulls=%d cpu_window_s=%.1f "
      "threads=%s requests_per_second=%s"
      % (name, cases, seconds, pulls, pulls / seconds, repaired, unchanged, failed, applied,
         cpu_ms / measured if measured else float("nan"), cpu_ms / 1000 / measured_s if measured_s else float("nan"),
         measured, measured_s, threads, rps))
PY
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

# Phase 0: a first start makes the schema (Flyway), then the hub stops.
start_hub "$RESULTS/reconcile-hub-schema.log" "" ""
curl -s -o /dev/null --max-time 5 "$STUB_URL/__admin/mappings" || die "the stand-in did not start: see bench/results/reconcile-stub.log"
stop "$HUB_PID" hub; HUB_PID=

DEFAULTS=$(sweep defaults "$RESULTS/reconcile-hub-defaults.log" "" "")
AIM="full sweep within one default period (${DEFAULT_PERIOD_S} s): $(python3 -c "print('yes' if float('$(field "$DEFAULTS" sweep_s)') <= $DEFAULT_PERIOD_S else 'NO')"); under a fifth of a core: $(python3 -c "print('yes' if float('$(field "$DEFAULTS" hub_cpu_cores)') < 0.2 else 'NO')")"

SAT_LINES=()
if [[ $SATURATION == 1 ]]; then
    SATURATED=$(sweep saturation "$RESULTS/reconcile-hub-saturation.log" "$SAT_THREADS" 1000000)
    stop "$STUB_PID" stand-in; STUB_PID=
    # pgbench: the sweep's SQL, copied from the code at run time (so it cannot drift from it), every parameter bound by
    # -M prepared as the JDBC driver binds it. Two scripts, in the proportion the sweep runs them: the claim of a batch
    # of 500 (DueCases.CLAIM_QUIET, rolled back so that the cases stay due) once per 500 checks; a check is what
    # CanonicalStore.wouldChange reads for one pulled case: the case (CASE_ROW), then its checks. Pulls = checks.
    rm -rf "$PGB_DIR"; mkdir -p "$PGB_DIR"
    python3 - "$ROOT/src/main/java/com/kychub" "$PGB_DIR" <<'PY' || die "cannot take the sweep's SQL from the code"
import re, sys, textwrap
code, out = sys.argv[1:]
claim = open(code + "/canonical/DueCases.java").read()
claim = textwrap.dedent(re.search(r'CLAIM_QUIET = """(.*?)"""', claim, re.S).group(1)).strip()
for name in ("provider", "afterMillis", "recentMillis", "batch"):
    claim = claim.replace(":?" + name, ":" + name)
store = open(code + "/canonical/CanonicalStore.java").read()
row = re.search(r'CASE_ROW = """(.*?)"""', store, re.S)
case_row = textwrap.dedent(row.group(1)).strip() + " where provider = :provider and provider_ref = :ref"
checks = re.search(r'"(select name, passed, required, detail from kyc_check where case_id = )\?"', store).group(1)
open(out + "/claim.sql", "w").write("begin;\n" + claim + ";\nrollback;\n")
open(out + "/check.sql", "w").write(case_row + ";\n" + checks + ":id;\n")
PY
    seed
    FIRST_ID=$(psql_db -c "select id from kyc_case where provider = 'striga' order by provider_ref limit 1")
    FIRST_REF=$(psql_db -c "select provider_ref from kyc_case where id = '$FIRST_ID'")
    PGB_JOBS=$(( SAT_THREADS < $(nproc) ? SAT_THREADS : $(nproc) ))
    PGB_ARGS=(-n -M prepared -c "$SAT_THREADS" -j "$PGB_JOBS" -T "$SAT_PGBENCH_SECONDS"
              -f "$PGB_DIR/claim.sql@1" -f "$PGB_DIR/check.sql@500"
              -D provider=striga -D afterMillis=3600000 -D recentMillis=86400000 -D batch=500
              -D ref="$FIRST_REF" -D id="$FIRST_ID")
    PGB_SHOWN="pgbench ${PGB_ARGS[*]}"
    PGB_SHOWN=${PGB_SHOWN//"$ROOT"\//}
    log "$PGB_SHOWN (hub and stand-in stopped)"
    pgbench "${PGB_ARGS[@]}" --log --log-prefix="$PGB_DIR/log" "${PG_CONN[@]}" "$BENCH_DB" >"$PGB_DIR/pgbench.txt" 2>&1 \
        || { cat "$PGB_DIR/pgbench.txt" >&2; die "pgbench failed: see bench/results/reconcile-pgbench/pgbench.txt"; }
    PGB_RESULT=$(cat "$PGB_DIR"/log.* | python3 -c '
import sys
seconds = int(sys.argv[1])
checks = claims = failed = 0
for line in sys.stdin:
    f = line.split()
    if not f[2].isdigit():
        failed += 1
    elif f[3] == "1":
        checks += 1
    else:
        claims += 1
print("RESULT reconcile-pgbench pulls=%d pulls_per_s=%.1f claims=%d failed=%d" % (checks, checks / seconds, claims, failed))
' "$SAT_PGBENCH_SECONDS")
    RATIO=$(python3 -c 'import sys; a, b = map(float, sys.argv[1:]); print("%.3f" % (a / b) if b else "n/a")' \
        "$(field "$SATURATED" pulls_per_s)" "$(field "$PGB_RESULT" pulls_per_s)")
    SAT_LINES=(
        ""
        "saturation: the same sweep with the rate limit lifted (requests-per-second 1000000) and reconcile.threads=$SAT_THREADS"
        "  pgbench : hub and stand-in stopped, the cases seeded again; $PGB_SHOWN; one transaction = one script: the claim (DueCases.CLAIM_QUIET, limit 500, rolled back) with weight 1, or the check (CanonicalStore.wouldChange: the case, then its checks, each autocommitted) with weight 500; pulls = checks; SQL in bench/results/reconcile-pgbench/"
        "$(printf '  %-8s %10s' '' 'pulls/s')"
        "$(printf '  %-8s %10s' hub "$(field "$SATURATED" pulls_per_s)")"
        "$(printf '  %-8s %10s' pgbench "$(field "$PGB_RESULT" pulls_per_s)")"
        "  hub/pgbench: throughput $RATIO (the hub's pull also signs and makes the HTTP call, parses and maps the answer, and applies the repaired ones)"
        "  hub CPU: $(field "$SATURATED" hub_cpu_ms_per_pull) ms per pull, $(field "$SATURATED" hub_cpu_cores) cores"
        "$SATURATED"
        "$PGB_RESULT"
    )
fi

{
    echo "reconcile benchmark, $TS"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "hub: jar built $JAR_BUILT; HEAD at the start of the run $REV; java $(java -version 2>&1 | awk -F'"' 'NR == 1 { print $2 }')"
    [[ -z $NOTE ]] || echo "note: $NOTE"
    echo "settings: CASES=$CASES (Striga, ARGOS, Ondato in turn) REPAIR_EVERY=$REPAIR_EVERY; stand-in answers at once; Ondato's pull is two requests (verification, identification)"
    echo "database: 127.0.0.1:5432/$BENCH_DB (PostgreSQL $(psql_db -c 'show server_version'), synchronous_commit=$(psql_db -c 'show synchronous_commit')); hub, stand-in and PostgreSQL on this machine"
    echo "defaults: one full sweep with the hub's default settings (reconcile.batch 500, reconcile.threads 2, requests-per-second 10 per provider): $(field "$DEFAULTS" sweep_s) s, $(field "$DEFAULTS" pulls_per_s) pulls/s, hub CPU $(field "$DEFAULTS" hub_cpu_ms_per_pull) ms per pull, $(field "$DEFAULTS" hub_cpu_cores) cores (after the sweep's first tenth)"
    echo "  aim: $AIM"
    echo "$DEFAULTS"
    (( ${#SAT_LINES[@]} == 0 )) || printf '%s\n' "${SAT_LINES[@]}"
} | tee "$SUMMARY"
echo "saved: ${SUMMARY#"$ROOT"/}" >&2
if [[ $LAST == 1 ]]; then
    mkdir -p "$BENCH_DIR/last"
    cp "$SUMMARY" "$BENCH_DIR/last/reconcile.txt"
    echo "saved: bench/last/reconcile.txt" >&2
fi
