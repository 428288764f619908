-- wrk script of ingest.sh: replays pre-signed webhooks (ProofClient requests: path, header name, header value,
-- body, tab-separated, one per line), each once. Thread t of n sends lines t, t+n, t+2n, ...; a thread that runs out
-- starts again from its first line (those are duplicates: ingest.sh reports how many were sent and refuses to count
-- a run that wrapped).
--
--   wrk -t THREADS -c CONNECTIONS -d SECONDS -s bench/ingest.lua http://127.0.0.1:PORT -- FILE THREADS

local threads = {}
local counter = 0

function setup(thread)
    thread:set("index", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    local file = assert(args[1], "usage: ... -- FILE THREADS")
    local thread_count = assert(tonumber(args[2]), "usage: ... -- FILE THREADS")
    requests = {}
    local line_no = 0
    for line in io.lines(file) do
        if line_no % thread_count == index then
            local path, name, value, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
            assert(path, "malformed line " .. line_no .. " in " .. file)
            requests[#requests + 1] = wrk.format("POST", path,
                { ["Content-Type"] = "application/json", [name] = value }, body)
        end
        line_no = line_no + 1
    end
    assert(#requests > 0, "no requests for thread " .. index .. " in " .. file)
    next_request = 1
    wrapped = 0
end

function request()
    local r = requests[next_request]
    next_request = next_request + 1
    if next_request > #requests then
        next_request = 1
        wrapped = wrapped + 1
    end
    return r
end

function done(summary, latency, requests)
    local wraps = 0
    for _, thread in ipairs(threads) do
        wraps = wraps + (thread:get("wrapped") or 0)
    end
    local errors = summary.errors
    io.write(string.format(
        "RESULT wrk requests=%d duration_us=%d non2xx=%d connect_errors=%d read_errors=%d write_errors=%d "
            .. "timeouts=%d wraps=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f\n",
        summary.requests, summary.duration, errors.status, errors.connect, errors.read, errors.write,
        errors.timeout, wraps, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, latency.mean / 1000))
end
