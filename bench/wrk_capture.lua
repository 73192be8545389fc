-- wrk script: POST /capture, each request an EPCISDocument of $EVENTS ObjectEvents
-- (default 100) with eventIDs never used before (run id, thread, request, index), so
-- every event is newly stored. Prints events/s at the end.
--   wrk -t2 -c64 -d10s -s bench/wrk_capture.lua http://127.0.0.1:PORT
local events = tonumber(os.getenv("EVENTS") or "100")
local run = os.getenv("RUN") or tostring(os.time())
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local list = {}
  for i = 1, events do
    list[i] = string.format(
      '{"type":"ObjectEvent","eventID":"urn:uuid:bench-%s-%d-%d-%d",' ..
      '"eventTime":"2024-01-01T10:00:00Z","eventTimeZoneOffset":"+00:00",' ..
      '"epcList":["urn:epc:id:sgtin:0614141.107346.%d%06d%04d"],"action":"OBSERVE",' ..
      '"bizStep":"shipping","disposition":"in_transit"}',
      run, tid, counter, i, tid, counter, i)
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
