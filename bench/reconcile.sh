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
#   DB_NAME=kyc_hub_bench_reconcile   the database (on the local server 127.0.0.1:5432); it is EMPTIED
#   HUB_JAVA_OPTS=     extra JVM options for the hub
#   LAST=1             also save the summary as bench/last/reconcile.txt (0: do not)
#   NOTE=              a line added to the summary (say when the machine was shared)
#
# Output: a summary on stdout, also saved as bench/results/reconcile-<UTC timestamp>.txt (and bench/last/); the hub's
# log, the stand-in's and pgbench's scripts and output in bench/results/reconcile-<UTC timestamp>/.
set -euo pipefail

NAME=reconcile
CASES=${CASES:-10000}
REPAIR_EVERY=${REPAIR_EVERY:-10}
SATURATION=${SATURATION:-1}
SAT_THREADS=${SAT_THREADS:-8}
SAT_PGBENCH_SECONDS=${SAT_PGBENCH_SECONDS:-30}
PORT=${PORT:-18082}
STUB_PORT=${STUB_PORT:-18092}
DB_NAME=${DB_NAME:-kyc_hub_bench_reconcile}
DEFAULT_PERIOD_S=900
# shellcheck source=bench/proof-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/proof-lib.sh"

for n in CASES REPAIR_EVERY SATURATION SAT_THREADS SAT_PGBENCH_SECONDS PORT STUB_PORT LAST; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( CASES >= 3 && SAT_THREADS >= 1 && SAT_PGBENCH_SECONDS >= 1 )) || die "CASES must be >= 3, SAT_THREADS and SAT_PGBENCH_SECONDS >= 1"
for tool in python3 pgbench; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
proof_setup
ensure_database
PGB_DIR=$RUN_DIR/pgbench

# --- The stand-in: each status API answers at once, the same for every case of its provider ---------------------
# Striga: PENDING_REVIEW; ARGOS: a pending submission; Ondato: a verification naming identification k<id>, Awaiting
# with statusReason Processing (completed by the customer, in Ondato's review).
cat >"$RUN_DIR/status-apis.json" <<'JSON'
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
                "body": "{\"id\":\"{{request.pathSegments.[3]}}\",\"status\":\"Awaiting\",\"statusReason\":\"Processing\"}"}}
]}
JSON
start_stub "$STUB_PORT" "$RUN_DIR/status-apis.json"

# Striga's and ARGOS's status APIs on the stand-in (Ondato's base URLs are proof-lib's), with secrets of the run.
export KYC_STRIGA_API_SECRET KYC_ARGOS_API_KEY
KYC_STRIGA_API_SECRET=$(openssl rand -hex 32)
KYC_ARGOS_API_KEY=$(openssl rand -hex 16)
HUB_ARGS=("--kyc.providers.striga.base-url=$STUB_URL/striga/api/v1" "--kyc.providers.argos.base-url=$STUB_URL/argos")
# reconcile_settings THREADS RPS: the hub's reconcile.threads and requests-per-second of the three providers at its next
# start; empty: the hub's defaults.
reconcile_settings() {
    local p
    for p in STRIGA ARGOS ONDATO; do
        if [[ -n $1 ]]; then export "KYC_PROVIDERS_${p}_RECONCILE_THREADS=$1"; else unset "KYC_PROVIDERS_${p}_RECONCILE_THREADS"; fi
        if [[ -n $2 ]]; then export "KYC_PROVIDERS_${p}_REQUESTS_PER_SECOND=$2"; else unset "KYC_PROVIDERS_${p}_REQUESTS_PER_SECOND"; fi
    done
    PROVIDER_RPS=$2
}

# Seeds CASES quiet cases (heard of and reconciled two hours ago), as the hub would hold them after its providers'
# webhooks: Striga PENDING_REVIEW, ARGOS pending, Ondato Awaiting/Processing; every REPAIR_EVERY-th one step behind
# (Striga INITIATED, ARGOS with no result yet, Ondato Awaiting/Unfinished). The Quartz
# tables are emptied too, so that the sweep's trigger is new and fires at the hub's start.
seed() {
    reset_store
    psql_db <<SQL
set client_min_messages = warning;
truncate qrtz_fired_triggers, qrtz_simple_triggers, qrtz_cron_triggers, qrtz_simprop_triggers, qrtz_blob_triggers,
         qrtz_triggers, qrtz_job_details, qrtz_paused_trigger_grps, qrtz_scheduler_state cascade;
insert into customer (customer_id) select 'rc' || i from generate_series(1, $CASES) i;
insert into kyc_case (customer_id, provider, provider_ref, status, next_action, provider_status, provider_details,
                      heard_at, updated_at)
select 'rc' || i, p.provider, p.ref,
       case when behind then p.behind_status else 'IN_REVIEW' end,
       case when behind then p.behind_action else 'WAIT' end,
       case when behind then p.behind_provider_status else p.provider_status end,
       p.details::jsonb || case when behind then p.behind_details::jsonb else '{}'::jsonb end,
       now() - interval '2 hours', now() - interval '2 hours'
from generate_series(1, $CASES) i
cross join lateral (select $REPAIR_EVERY > 0 and i % greatest($REPAIR_EVERY, 1) = 0 as behind) b
cross join lateral (
    select * from (values
        (0, 'striga', 'rc' || i, 'PENDING_REVIEW', 'IN_PROGRESS', 'COMPLETE_VERIFICATION', 'INITIATED', '{}', '{}'),
        (1, 'argos', 'rc' || i, 'pending', 'NOT_STARTED', 'NONE', null,
            '{"submittedAt": "2024-03-04-09-12-45-000", "kycResult": {"status": "pending"}}', '{}'),
        (2, 'ondato', 'rc' || i, 'Awaiting', 'IN_PROGRESS', 'COMPLETE_VERIFICATION', 'Awaiting',
            '{"identityVerificationId": "rc' || i || '", "idvUrl": "https://idv.ondato.com/?id=rc' || i
            || '", "kycIdentificationId": "krc' || i || '", "statusReason": "Processing"}',
            '{"statusReason": "Unfinished"}'))
        v(n, provider, ref, provider_status, behind_status, behind_action, behind_provider_status, details,
          behind_details)
    where n = i % 3) p;
SQL
}

# pulls OUTCOME: the hub's count of reconciliation pulls with that outcome, all providers.
pulls() {
    operator_curl -sf --max-time 10 "http://127.0.0.1:$PORT/actuator/prometheus" | python3 -c '
import re, sys
outcome, total = sys.argv[1], 0.0
for line in sys.stdin:
    if line.startswith("kyc_reconcile_pulls_total{") and ("outcome=\"%s\"" % outcome) in line:
        total += float(line.rsplit(" ", 1)[1])
print(int(total))' "$1"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK=$(getconf CLK_TCK)

# sweep NAME THREADS RPS: seeds, starts the hub, measures its first sweep until every case is pulled and every
# repaired answer applied; its RESULT line in SWEEP_RESULT.
sweep() {
    local name=$1 threads=$2 rps=$3 java cpu0= cpu1 pulls0= ms0= start_ms end_ms repaired unchanged failed
    seed
    reconcile_settings "$threads" "$rps"
    start_hub
    wait_healthy
    java=$(pgrep -f -- "-jar $HUB_JAR" | head -n 1)
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
    stop_hub
    local applied
    applied=$(psql_db -c "select count(*) from kyc_case where status = 'IN_REVIEW' and next_action = 'WAIT'")
    SWEEP_RESULT=$(python3 - "$name" "$CASES" "$start_ms" "$end_ms" $(( (cpu1 - cpu0) * 1000 / CLK )) "$repaired" "$unchanged" \
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
    )
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

# Phase 0: a first start makes the schema (Flyway), then the hub stops.
start_hub
wait_healthy
stop_hub

sweep defaults "" ""
DEFAULTS=$SWEEP_RESULT
AIM="full sweep within one default period (${DEFAULT_PERIOD_S} s): $(python3 -c "print('yes' if float('$(field "$DEFAULTS" sweep_s)') <= $DEFAULT_PERIOD_S else 'NO')"); under a fifth of a core: $(python3 -c "print('yes' if float('$(field "$DEFAULTS" hub_cpu_cores)') < 0.2 else 'NO')")"

SAT_LINES=()
if [[ $SATURATION == 1 ]]; then
    sweep saturation "$SAT_THREADS" 1000000
    SATURATED=$SWEEP_RESULT
    kill -TERM "$STUB_PID" 2>/dev/null || true
    wait "$STUB_PID" 2>/dev/null || true
    STUB_PID=
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
    pgbench "${PGB_ARGS[@]}" --log --log-prefix="$PGB_DIR/log" -h "$DB_HOST" -p "$DB_PORT" -U postgres "$DB_NAME" \
        >"$PGB_DIR/pgbench.txt" 2>&1 || { cat "$PGB_DIR/pgbench.txt" >&2; die "pgbench failed: see ${PGB_DIR#"$ROOT"/}/pgbench.txt"; }
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
        "  pgbench : hub and stand-in stopped, the cases seeded again; $PGB_SHOWN; one transaction = one script: the claim (DueCases.CLAIM_QUIET, limit 500, rolled back) with weight 1, or the check (CanonicalStore.wouldChange: the case, then its checks, each autocommitted) with weight 500; pulls = checks; SQL in ${PGB_DIR#"$ROOT"/}/"
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
    header_lines
    echo "settings   : CASES=$CASES (Striga, ARGOS, Ondato in turn) REPAIR_EVERY=$REPAIR_EVERY; the stand-in answers at once; Ondato's pull is two requests (verification, identification); hub, stand-in and PostgreSQL on this machine"
    echo "defaults: one full sweep with the hub's default settings (reconcile.batch 500, reconcile.threads 2, requests-per-second 10 per provider): $(field "$DEFAULTS" sweep_s) s, $(field "$DEFAULTS" pulls_per_s) pulls/s, hub CPU $(field "$DEFAULTS" hub_cpu_ms_per_pull) ms per pull, $(field "$DEFAULTS" hub_cpu_cores) cores (after the sweep's first tenth)"
    echo "  aim: $AIM"
    echo "$DEFAULTS"
    (( ${#SAT_LINES[@]} == 0 )) || printf '%s\n' "${SAT_LINES[@]}"
} | save_summary
