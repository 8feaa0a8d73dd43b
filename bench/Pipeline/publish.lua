-- wrk script for bench/Pipeline: POST /v1/publications with a distinct Idempotency-Key per request.
-- Arguments (after --): api key, connection id, image URL, requests per thread, run id, and optionally a pause in ms
-- before each request of a connection (paces the warm-up to what the Uploader drains).
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  key, connection, image, quota, run = args[1], args[2], args[3], tonumber(args[4]), args[5]
  pace = tonumber(args[6] or "0")
  sent, answered, accepted, other = 0, 0, 0, 0
  body = string.format(
    '{"user_id":"bench-user","targets":[{"connection_id":"%s"}],"media":{"type":"image","url":"%s"},"caption":"bench"}',
    connection, image)
end

function delay()
  return pace
end

function request()
  sent = sent + 1
  local headers = {
    ["X-Api-Key"] = key,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("%s-%d-%d", run, id, sent),
  }
  return wrk.format("POST", "/v1/publications", headers, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status == 202 then accepted = accepted + 1 else other = other + 1 end
  if answered >= quota then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    o = o + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("accepted=%d other=%d seconds=%.2f accepted_per_s=%.0f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    a, o, seconds, a / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
