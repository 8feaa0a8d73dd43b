-- wrk script for bench/Validate: POST /v1/publications/validate, one body (three targets, a video on the sandbox's Mux).
-- Arguments (after --): api key, request body (JSON).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  key, body = args[1], args[2]
  ok, other = 0, 0
end

function request()
  return wrk.format("POST", "/v1/publications/validate", { ["X-Api-Key"] = key, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, answer)
  -- Every answer must be a 200 whose verdict is ok: a refusal or an error would measure something else.
  if status == 200 and string.sub(answer, 1, 10) == '{"ok":true' then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local o, x = 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    x = x + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("validations ok=%d other=%d seconds=%.1f per_s=%.0f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    o, x, seconds, (o + x) / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
