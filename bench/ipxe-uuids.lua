-- wrk script shared by the nginx and the service runs, so both pay the same client cost.
-- Usage: wrk ... -s ipxe-uuids.lua URL -- UUID_FILE [random|sequential]
-- Each request is GET /ipxe/<uuid>, the uuid picked at random among the file's lines (or in order,
-- each thread from its own offset, in "sequential" mode). done() prints one machine-readable line.
local uuids = {}
local mode = "random"
local next_index = 1
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then uuids[#uuids + 1] = line end
  end
  file:close()
  mode = args[2] or "random"
  local id = tonumber(thread_id) or 1
  math.randomseed(os.time() * 1000 + id)
  next_index = ((id - 1) * math.floor(#uuids / 2)) % #uuids + 1
end

function request()
  local uuid
  if mode == "sequential" then
    uuid = uuids[next_index]
    next_index = next_index % #uuids + 1
  else
    uuid = uuids[math.random(#uuids)]
  end
  return wrk.format("GET", "/ipxe/" .. uuid)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
