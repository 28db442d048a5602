-- wrk script for bench/webhook_ingest.py: POST pre-signed webhook deliveries.
-- Arguments: <bodies file> <thread count> <seconds>. Each line of the file is
-- "<signature>\t<body>"; thread k sends lines k, k+T, k+2T, ... so no two requests carry the
-- same delivery. Every thread starts on the same second boundary and writes no request after
-- `seconds`; wrk's own -d must leave a few seconds more, so every request written is answered
-- and the server's count can be compared with `sent` exactly. `done` prints one RESULT line.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(args[2])
  local second = os.time()
  while os.time() == second do end
  stop_at = second + 1 + tonumber(args[3])
  signatures, bodies, total, sent = {}, {}, 0, 0
  local line_no = 0
  for line in io.lines(args[1]) do
    if line_no % count == id then
      local tab = line:find("\t", 1, true)
      total = total + 1
      signatures[total] = line:sub(1, tab - 1)
      bodies[total] = line:sub(tab + 1)
    end
    line_no = line_no + 1
  end
end

function delay()
  if os.time() >= stop_at then
    return 3600000
  end
  return 0
end

function request()
  sent = sent + 1
  local k = ((sent - 1) % total) + 1
  local headers = {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signatures[k]}
  return wrk.format("POST", nil, headers, bodies[k])
end

function done(summary, latency, requests)
  -- wrk builds one request on the first thread to check the script, and never sends it.
  local written = -1
  for _, thread in ipairs(threads) do
    written = written + thread:get("sent")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT sent=%d answered=%d non2xx=%d errors=%d seconds=%.3f p50=%.2f p99=%.2f max=%.2f\n",
    written, summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000
  ))
end
