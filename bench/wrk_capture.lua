-- wrk script: POST /capture, each request an EPCISDocument of $EVENTS ObjectEvents
-- (default 100) with eventIDs never used before (run id, thread, request, index), so
-- every event is newly stored. Each event names one SGTIN: with $ITEMS, a pack drawn at
-- random from the store's commissioned ones (urn:epc:id:sgtin:0614141.107346.1..ITEMS,
-- as bench/http_load.sh makes them), shipped a day after its commissioning; without, a
-- serial never commissioned, so that every event also raises a lifecycle alert. Prints
-- events/s at the end.
--   [ITEMS=N] wrk -t2 -c64 -d10s -s bench/wrk_capture.lua http://127.0.0.1:PORT
local events = tonumber(os.getenv("EVENTS") or "100")
local items = tonumber(os.getenv("ITEMS") or "") or 0
local run = os.getenv("RUN") or tostring(os.time())
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + (tid or 0) * 7919)
end

local function serial(i)
  if items > 0 then return tostring(math.random(items)) end
  return string.format("%d%06d%04d", tid, counter, i)
end

function request()
  counter = counter + 1
  local list = {}
  for i = 1, events do
    list[i] = string.format(
      '{"type":"ObjectEvent","eventID":"urn:uuid:bench-%s-%d-%d-%d",' ..
      '"eventTime":"2024-01-02T10:00:00Z","eventTimeZoneOffset":"+00:00",' ..
      '"epcList":["urn:epc:id:sgtin:0614141.107346.%s"],"action":"OBSERVE",' ..
      '"bizStep":"shipping","disposition":"in_transit"}',
      run, tid, counter, i, serial(i))
  end
  local body = '{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],' ..
    '"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z",' ..
    '"epcisBody":{"eventList":[' .. table.concat(list, ",") .. ']}}'
  return wrk.format("POST", "/capture", {["Content-Type"] = "application/ld+json"}, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("captures/s %.0f  events/s %.0f  p99 %.2f ms  non-2xx %d\n",
    summary.requests / seconds, summary.requests * events / seconds,
    latency:percentile(99) / 1000, summary.errors.status))
end
