# Shared by the proof benchmarks (kill-9.sh, db-outage.sh, order-at-scale.sh) and by ingest.sh, profile.sh: the hub,
# its database, the provider stubs, WIDTH executions, the webhook load, the hub's CPU per thread, loading
# ProofClient's records into the database, and the summary. Sourced, never run.
#
# The calling script sets NAME (the summary's name), PORT, and optionally DB_NAME / DB_PORT (a private cluster)
# before calling proof_setup.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RESULTS=$BENCH_DIR/results
JAR=$ROOT/target/kyc-hub-0.1.0-SNAPSHOT.jar
WIREMOCK_VERSION=3.13.2
WIREMOCK=${WIREMOCK_JAR:-$HOME/.m2/repository/org/wiremock/wiremock-standalone/$WIREMOCK_VERSION/wiremock-standalone-$WIREMOCK_VERSION.jar}
TS=$(date -u +%Y%m%dT%H%M%SZ)
BUILD=${BUILD:-0}
HUB_JAVA_OPTS=${HUB_JAVA_OPTS:-}
LAST=${LAST:-1}
NOTE=${NOTE:-}
HUB_PID=
STUB_PID=
HUB_STARTS=0

die() { echo "$NAME: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Checks the tools, builds the jar if needed and runs a copy (a rebuild of target/ cannot pull it from under the
# hub), creates the run's directory and the secrets the hub and the client share through the environment.
proof_setup() {
    for tool in java javac psql curl openssl awk; do
        command -v "$tool" >/dev/null || die "$tool is not installed"
    done
    [[ $DB_NAME =~ ^[a-z_][a-z0-9_]*$ ]] || die "the database name must be a plain lowercase identifier"
    # The store is truncated before each run.
    [[ $DB_NAME == *bench* ]] || die "refusing to empty database '$DB_NAME': its name must contain 'bench'"
    mkdir -p "$RESULTS"
    RUN_DIR=$RESULTS/$NAME-$TS
    mkdir -p "$RUN_DIR"
    HUB_LOG=$RUN_DIR/hub.log
    if [[ $BUILD == 1 || ! -f $JAR ]]; then
        log "building $JAR"
        (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the build failed"
    fi
    HUB_JAR=$RUN_DIR/kyc-hub.jar
    cp "$JAR" "$HUB_JAR"
    JAR_BUILT=$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)
    # Compiled once here: "java ProofClient.java" compiles at every start, which takes seconds on a busy machine.
    javac -d "$RUN_DIR/client-classes" "$BENCH_DIR/ProofClient.java" || die "ProofClient.java does not compile"
    ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" || die "something already answers on port $PORT"

    export KYC_STRIGA_API_KEY KYC_ARGOS_WEBHOOK_SECRET KYC_ONDATO_WEBHOOK_USER KYC_ONDATO_WEBHOOK_PASSWORD \
        KYC_ONDATO_API_KEY KYC_ONDATO_SETUP_ID KYC_API_KEYS KYC_OPERATOR_API_KEYS KYC_CONNECTFI_API_KEY \
        KYC_CONNECTFI_WEBHOOK_SCHEME \
        KYC_CONNECTFI_WEBHOOK_SECRET
    KYC_STRIGA_API_KEY=$(openssl rand -hex 32)
    KYC_ARGOS_WEBHOOK_SECRET=$(openssl rand -hex 32)
    KYC_ONDATO_WEBHOOK_USER=bench-ondato
    KYC_ONDATO_WEBHOOK_PASSWORD=$(openssl rand -hex 16)
    KYC_ONDATO_API_KEY=$(openssl rand -hex 16)
    KYC_ONDATO_SETUP_ID=bench
    KYC_API_KEYS=$(openssl rand -hex 24)
    # The ops endpoints and the actuator beyond health (metrics, Prometheus) take an operator key: operator_curl.
    KYC_OPERATOR_API_KEYS=$(openssl rand -hex 24)
    KYC_CONNECTFI_API_KEY=$(openssl rand -hex 16)
    # Connect Financial's webhooks: signed as the hub's tests sign them (its doc leaves the scheme to the integrator).
    KYC_CONNECTFI_WEBHOOK_SCHEME=hmac-sha256
    KYC_CONNECTFI_WEBHOOK_SECRET=$(openssl rand -hex 32)
    trap proof_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

proof_cleanup() {
    stop_hub
    stop_stub
    [[ $(type -t proof_cleanup_more) == function ]] && proof_cleanup_more
    rm -f "${HUB_JAR:-/nonexistent}"
}

# ProofClient (see its Javadoc), with the run's directory for its records; its summary goes to client.txt. It posts
# to the doors' own port (start_hub's doors_port), where the providers are sent by default.
proof_client() {
    java -cp "$RUN_DIR/client-classes" ProofClient "$@" --url "http://127.0.0.1:$(doors_port)" --out "$RUN_DIR" \
        >"$RUN_DIR/client.txt"
}

# The same in the background: CLIENT_PID is the client's own process.
proof_client_background() {
    (exec java -cp "$RUN_DIR/client-classes" ProofClient "$@" --url "http://127.0.0.1:$(doors_port)" --out "$RUN_DIR") \
        >"$RUN_DIR/client.txt" &
    CLIENT_PID=$!
}

# Waits until the client in the background (CLIENT_PID) has begun its load.
wait_client_started() {
    until [[ -f $RUN_DIR/started ]]; do
        kill -0 "$CLIENT_PID" 2>/dev/null || die "the client exited before its load began: see ${RUN_DIR#"$ROOT"/}/client.txt"
        sleep 0.2
    done
}

# --- The database ---------------------------------------------------------------------------------------------------

# The local server (127.0.0.1:5432, user postgres) unless the script points DB_PORT at a private cluster.
DB_HOST=127.0.0.1
DB_PORT=${DB_PORT:-5432}
# On a shared server, "too many clients" comes and goes: psql's exit status 2 (no connection) is tried again.
psql_db() {
    local rc attempt
    for attempt in 1 2 3 4 5 6; do
        psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U postgres -d "$DB_NAME" "$@" && return 0
        rc=$?
        (( rc == 2 && attempt < 6 )) || return "$rc"
        sleep 5
    done
}

ensure_database() {
    local maintenance=(psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres)
    local exists attempt
    # Like psql_db: a server with no connection free now ("too many clients") is tried again.
    for attempt in 1 2 3 4 5 6; do
        exists=$("${maintenance[@]}" -c "select count(*) from pg_database where datname = '$DB_NAME'") && break
        (( attempt < 6 )) || die "cannot reach PostgreSQL on $DB_HOST:$DB_PORT"
        sleep 5
    done
    if [[ $exists != 1 ]]; then
        log "creating database $DB_NAME"
        "${maintenance[@]}" -c "create database \"$DB_NAME\"" >/dev/null
    fi
}

# Empties the hub's tables (once Flyway made them) and the records of the previous run. A running hub's workers may
# hold locks on them: a plain TRUNCATE, locking one table after the other, can deadlock with them, so every lock is
# taken at once without waiting (NOWAIT), tried again until they are free (ingest.sh empties the store between runs
# under a running hub).
STORE_TABLES="kyc_event, kyc_check, provider_action, inbound_message, provider_customer, customer_document,
              width_customer_data, kyc_case, customer"
reset_store() {
    local attempt error
    if [[ $(psql_db -c "select to_regclass('public.kyc_case') is not null") == t ]]; then
        for attempt in $(seq 600); do
            error=$(psql_db 2>&1 >/dev/null <<SQL
set client_min_messages = warning;
begin;
lock table $STORE_TABLES in access exclusive mode nowait;
truncate $STORE_TABLES restart identity cascade;
commit;
SQL
            ) && break
            [[ $error == *'could not obtain lock'* ]] || die "cannot empty the store: $error"
            (( attempt < 600 )) || die "cannot empty the store: its tables stayed locked for a minute"
            sleep 0.1
        done
    fi
    psql_db -c 'set client_min_messages = warning; drop schema if exists proof cascade'
}

# ProofClient's records (messages.tsv, requests.tsv, expected.tsv if present) as tables proof.message,
# proof.request, proof.expected.
load_records() {
    local dir=$1
    psql_db <<SQL
set client_min_messages = warning;
drop schema if exists proof cascade;
create schema proof;
create table proof.message (key text primary key, provider text not null, ref text not null, body text not null);
create table proof.request (sent_ms bigint not null, done_ms bigint not null, key text not null, copy int not null,
                            attempt int not null, status int not null, ack text, ack_id bigint, error text,
                            answer text);
create table proof.expected (provider text not null, ref text not null, status text not null,
                             next_action text not null, reasons jsonb not null, provider_status text not null,
                             scenario text not null, primary key (provider, ref));
\copy proof.message from '$dir/messages.tsv'
\copy proof.request from '$dir/requests.tsv'
create index on proof.request (key);
analyze proof.message;
analyze proof.request;
SQL
    if [[ -f $dir/expected.tsv ]]; then
        psql_db -c "\\copy proof.expected from '$dir/expected.tsv'"
    fi
}

# Waits until the inbox has nothing left to process (no ACCEPTED message) or the timeout passes; prints the seconds
# it took, or "timeout".
wait_drained() {
    local timeout=$1 started=$SECONDS
    while (( SECONDS - started < timeout )); do
        if [[ $(psql_db -c "select count(*) from inbound_message where state = 'ACCEPTED'" 2>/dev/null) == 0 ]]; then
            echo $((SECONDS - started))
            return 0
        fi
        sleep 2
    done
    echo timeout
}

# --- The provider stubs: what the hub pulls after an Ondato or a Connect Financial webhook; WIDTH -----------------

# start_stub PORT [MAPPINGS [journal]]: WireMock on the port, answering as MAPPINGS (a WireMock mappings file,
# response templating on) says, or by default as below; with "journal" it keeps its request journal (for
# /__admin/requests/count), otherwise not (it would grow without bound under load).
start_stub() {
    local port=$1 mappings=${2:-} journal=${3:-} dir=$RUN_DIR/stub
    [[ -f $WIREMOCK ]] || die "WireMock standalone not found at $WIREMOCK (run the test suite once, or set WIREMOCK_JAR)"
    ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" || die "something already answers on port $port"
    mkdir -p "$dir/mappings"
    if [[ -n $mappings ]]; then
        cp "$mappings" "$dir/mappings/providers.json"
    else
    # Ondato: no step.kycIdentification yet, so the hub records the verification without pulling an identification.
    # Connect Financial: the compliance status of a customer in review.
    cat >"$dir/mappings/providers.json" <<'JSON'
{"mappings": [
  {"request": {"method": "GET", "urlPathPattern": "/ondato-idv/v1/identity-verifications/[A-Za-z0-9_-]+"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "jsonBody": {"status": "Completed", "step": {}}}},
  {"request": {"method": "GET", "urlPathPattern": "/connectfi/v1/compliance/status/[A-Za-z0-9_-]+"},
   "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                "jsonBody": {"isCompliant": false, "onboardingStatus": "PROCESSING", "nextAction": "WAIT",
                             "checks": [{"type": "KYC_STATUS", "passed": false, "required": true}]}}}
]}
JSON
    fi
    local journal_args=(--no-request-journal)
    [[ $journal == journal ]] && journal_args=()
    java -jar "$WIREMOCK" --port "$port" --bind-address 127.0.0.1 --root-dir "$dir" ${journal_args[@]+"${journal_args[@]}"} \
        --global-response-templating --disable-banner >"$RUN_DIR/stub.log" 2>&1 &
    STUB_PID=$!
    STUB_URL=http://127.0.0.1:$port
    local deadline=$((SECONDS + 60))
    until curl -s -o /dev/null --max-time 2 "$STUB_URL/__admin/mappings"; do
        kill -0 "$STUB_PID" 2>/dev/null || die "the provider stub exited: see ${RUN_DIR#"$ROOT"/}/stub.log"
        (( SECONDS < deadline )) || die "the provider stub did not start within 60 s"
        sleep 1
    done
}

stop_stub() {
    if [[ -n $STUB_PID ]]; then
        kill -TERM "$STUB_PID" 2>/dev/null || true
        wait "$STUB_PID" 2>/dev/null || true
    fi
    STUB_PID=
}

# A WIDTH stand-in's mappings (for start_stub), as width-poller.sh's: every method answers at once, each execution is
# bench-exec-<customerId> and stays RUNNING, so the hub polls it on and on and stores nothing new.
width_stub_mappings() {
    cat >"$1" <<'JSON'
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
}

# start_width_executions COUNT: COUNT customers onboarded at WIDTH through the hub API (register, then the workflow
# started by the hub's action worker against the stand-in), 8 at a time; returns once every execution is stored.
start_width_executions() {
    local count=$1 deadline
    export PORT KYC_API_KEYS
    seq -f 'b%06g' 1 "$count" | xargs -P 8 -I{} sh -c '
        curl -sf -o /dev/null -H "Authorization: Bearer $KYC_API_KEYS" -H "Content-Type: application/json" \
            "http://127.0.0.1:$PORT/api/v1/customers" -d "{\"customerId\":\"{}\"}" &&
        curl -sf -o /dev/null -H "Authorization: Bearer $KYC_API_KEYS" -H "Content-Type: application/json" \
            "http://127.0.0.1:$PORT/api/v1/customers/{}/onboardings" -d "{\"provider\":\"width\"}"' \
        || die "the hub API refused an onboarding"
    # A saturated poller (profile.sh) slows the action worker that starts them: minutes on a busy machine.
    deadline=$((SECONDS + 600))
    until [[ $(psql_db -c "select count(*) from kyc_case where provider = 'width' and provider_ref like 'bench-exec-%'") == "$count" ]]; do
        (( SECONDS < deadline )) || die "not every WIDTH execution started within 600 s"
        sleep 1
    done
}

# --- The webhook load -----------------------------------------------------------------------------------------------

# The port start_hub gives the webhook doors of their own (kyc.webhooks.vertx-port): PORT + 1000.
doors_port() { echo $((PORT + 1000)); }

# send_webhooks SECONDS FILE OUTPUT: wrk (bench/ingest.lua) posts FILE's pre-signed webhooks (ProofClient requests),
# each once, on CONCURRENCY keep-alive connections (THREADS wrk threads) for SECONDS, in a closed loop; its output,
# with the script's "RESULT wrk" line, goes to OUTPUT. To WEBHOOK_PORT when set (the doors' own port, where the
# providers are sent: ingest.sh, profile.sh), else to the hub's PORT (the doors there serve the same routes).
send_webhooks() {
    wrk -t "$THREADS" -c "$CONCURRENCY" -d "${1}s" --timeout 30s -s "$BENCH_DIR/ingest.lua" "http://127.0.0.1:${WEBHOOK_PORT:-$PORT}" \
        -- "$2" "$THREADS" >"$3" 2>&1 || die "wrk failed: see ${3#"$ROOT"/}"
}

# --- The hub's CPU ---------------------------------------------------------------------------------------------------

# jvm_cpu_snapshot PID FILE: the process's CPU time and each of its threads' (clock ticks, user and system, from
# /proc), in the form bench/JfrStages.java reads: "hz H", "process UTIME STIME", then "TID UTIME STIME NAME".
jvm_cpu_snapshot() {
    python3 - "$1" >"$2" <<'PY' || die "cannot read the CPU times of process $1"
import os, sys
pid = sys.argv[1]
def times(path):
    stat = open(path).read()
    rest = stat[stat.rindex(")") + 2:].split()   # from field 3 (state) on: utime is field 14, stime 15
    return int(rest[11]), int(rest[12]), stat[stat.index("(") + 1:stat.rindex(")")]
print("hz", os.sysconf("SC_CLK_TCK"))
user, system, _ = times("/proc/%s/stat" % pid)
print("process", user, system)
for tid in os.listdir("/proc/%s/task" % pid):
    try:
        user, system, name = times("/proc/%s/task/%s/stat" % (pid, tid))
    except OSError:   # the thread ended meanwhile
        continue
    print(tid, user, system, name)
PY
}

# --- The hub --------------------------------------------------------------------------------------------------------

# Starts the hub in the background (HUB_PID), from the repository root so that ./config/application.yml applies.
# As root it uses the local server with a database of its own (--kyc.db.local-database); otherwise, or for a
# private cluster, KYC_DB_URL. Ondato's and Connect Financial's rate limits are lifted to PROVIDER_RPS (1000; empty:
# the hub's defaults); the array HUB_ARGS, when the script sets it, adds arguments of its own.
PROVIDER_RPS=${PROVIDER_RPS-1000}
start_hub() {
    local db_env=()
    if [[ $DB_PORT != 5432 || $(id -un) != root ]]; then
        db_env=("KYC_DB_URL=jdbc:postgresql://$DB_HOST:$DB_PORT/$DB_NAME" "KYC_DB_USER=postgres" "KYC_DB_PASSWORD=")
    fi
    local stub_args=()
    if [[ -n ${STUB_URL:-} ]]; then
        stub_args=("--kyc.providers.ondato.idv-base-url=$STUB_URL/ondato-idv"
            "--kyc.providers.ondato.kyc-base-url=$STUB_URL/ondato-kyc"
            "--kyc.providers.connectfi.base-url=$STUB_URL/connectfi")
    fi
    local rps_args=()
    if [[ -n $PROVIDER_RPS ]]; then
        rps_args=("--kyc.providers.ondato.requests-per-second=$PROVIDER_RPS"
            "--kyc.providers.connectfi.requests-per-second=$PROVIDER_RPS")
    fi
    # The webhook doors' own port (kyc.webhooks.vertx-port), beside the hub's, unless the script's arguments set it:
    # PORT + 1000, so that no two of the scripts' hubs (or a hub and a test's) take the default 8081.
    local doors_args=("--kyc.webhooks.vertx-port=$(doors_port)")
    [[ " ${HUB_ARGS[*]:-} " != *" --kyc.webhooks.vertx-port="* ]] || doors_args=()
    HUB_STARTS=$((HUB_STARTS + 1))
    echo "=== hub start $HUB_STARTS at $(date -u +%H:%M:%S) ===" >>"$HUB_LOG"
    (
        cd "$ROOT"
        # shellcheck disable=SC2086
        exec env ${db_env[@]+"${db_env[@]}"} java $HUB_JAVA_OPTS -jar "$HUB_JAR" \
            --server.port="$PORT" --server.address=127.0.0.1 --kyc.db.local-database="$DB_NAME" \
            --kyc.providers.argos.webhook-auth.scheme=hmac-sha256 \
            ${doors_args[@]+"${doors_args[@]}"} ${rps_args[@]+"${rps_args[@]}"} ${stub_args[@]+"${stub_args[@]}"} \
            ${HUB_ARGS[@]+"${HUB_ARGS[@]}"}
    ) >>"$HUB_LOG" 2>&1 &
    HUB_PID=$!
}

# curl with the run's operator key, for the actuator beyond health and the ops endpoints.
operator_curl() {
    curl -H "Authorization: Bearer $KYC_OPERATOR_API_KEYS" "$@"
}

# Waits until /actuator/health is UP overall (Camel's routes included, not only Tomcat).
wait_healthy() {
    local timeout=${1:-180} deadline=$((SECONDS + ${1:-180})) health
    until health=$(curl -s --max-time 2 "http://127.0.0.1:$PORT/actuator/health") && [[ $health == '{"status":"UP"'* ]]; do
        kill -0 "$HUB_PID" 2>/dev/null || { tail -n 30 "$HUB_LOG" >&2; die "the hub exited during start-up"; }
        (( SECONDS < deadline )) || { tail -n 30 "$HUB_LOG" >&2; die "the hub was not healthy within $timeout s"; }
        sleep 0.5
    done
}

stop_hub() {
    [[ -n $HUB_PID ]] || return 0
    if kill -0 "$HUB_PID" 2>/dev/null; then
        kill -TERM "$HUB_PID" 2>/dev/null || true
        for _ in $(seq 60); do
            kill -0 "$HUB_PID" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$HUB_PID" 2>/dev/null || true
    fi
    wait "$HUB_PID" 2>/dev/null || true
    HUB_PID=
}

# --- The summary ----------------------------------------------------------------------------------------------------

machine_line() {
    local cpu mem
    cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "machine    : $(nproc) CPUs, ${cpu:-unknown CPU}, $mem RAM, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
}

header_lines() {
    local rev
    rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    [[ -z $(git -C "$ROOT" status --porcelain -- src pom.xml routes config 2>/dev/null) ]] || rev="$rev + uncommitted changes"
    machine_line
    echo "postgresql : $(psql_db -c 'show server_version'), synchronous_commit=$(psql_db -c 'show synchronous_commit'), $DB_HOST:$DB_PORT/$DB_NAME"
    echo "hub        : jar built $JAR_BUILT, tree at $rev, java $(java -version 2>&1 | awk -F'"' 'NR == 1 { print $2 }')"
    [[ -z $NOTE ]] || echo "note       : $NOTE"
}

# PASS/FAIL line; remembers a failure for the verdict.
FAILED_CHECKS=0
check() {
    local ok=$1; shift
    if [[ $ok == t || $ok == 1 || $ok == true ]]; then
        printf 'PASS  %s\n' "$*"
    else
        printf 'FAIL  %s\n' "$*"
        FAILED_CHECKS=$((FAILED_CHECKS + 1))
    fi
}

# Saves the summary (stdin) under results/, and under last/ (committed, quoted by the README) unless LAST=0.
save_summary() {
    local file=$RESULTS/$NAME-$TS.txt
    tee "$file"
    echo "saved: ${file#"$ROOT"/} (raw records in ${RUN_DIR#"$ROOT"/}/)" >&2
    if [[ $LAST == 1 ]]; then
        mkdir -p "$BENCH_DIR/last"
        cp "$file" "$BENCH_DIR/last/$NAME.txt"
        echo "saved: bench/last/$NAME.txt" >&2
    fi
}
