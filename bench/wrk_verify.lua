-- wrk script: GET /verify of serials chosen at random from a file of existing serials
-- (one a line; $SERIALS), for the GTIN $GTIN. Each wrk thread reads the file and draws
-- its own random sequence.
--   SERIALS=serials.txt GTIN=10614141073464 wrk -t2 -c64 -d10s -s bench/wrk_verify.lua URL
local gtin = os.getenv("GTIN") or "10614141073464"
local path = os.getenv("SERIALS") or "serials.txt"
local serials = {}
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  for line in io.lines(path) do
    serials[#serials + 1] = line
  end
  if #serials == 0 then error("no serials in " .. path) end
  math.randomseed(os.time() + (seed or 0) * 7919)
end

function request()
  local serial = serials[math.random(#serials)]
  return wrk.format("GET", "/verify?gtin=" .. gtin .. "&serial=" .. serial)
end
