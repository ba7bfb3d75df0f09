-- wrk script for bench/submissions.py: each connection POSTs a prepared quiz form, then GETs the result page the
-- POST redirects to. Arguments (after --): the forms file (one "csrf cookie<TAB>urlencoded body" a line),
-- the number of wrk threads, the quiz path. A thread stops once each of its forms has ended in a result page
-- or an error; connections with nothing left to do meanwhile ask /healthz (counted apart, not as work).
-- wrk itself always runs for its -d duration, so the bench times the run from these DONE lines and then stops it.

local threads, count = {}, 0

function setup(thread)
   thread:set("id", count)
   count = count + 1
   table.insert(threads, thread)
end

function init(args)
   forms, path = {}, args[3]
   local n, every = 0, tonumber(args[2])
   for line in io.lines(args[1]) do
      if n % every == id then table.insert(forms, line) end
      n = n + 1
   end
   next_form, results = 1, {}
   posted, shown, failed, idle = 0, 0, 0, 0
   -- wrk calls the first thread's request() once before the run, to check it, and never sends that request
   checked = id ~= 0
end

function request()
   if not checked then
      checked = true
      return wrk.format("GET", "/healthz")
   end
   if #results > 0 then
      return wrk.format("GET", table.remove(results))
   end
   if next_form <= #forms then
      local cookie, body = forms[next_form]:match("([^\t]*)\t(.*)")
      next_form = next_form + 1
      local headers = {
         ["Content-Type"] = "application/x-www-form-urlencoded",
         ["Cookie"] = "csrftoken=" .. cookie,
      }
      return wrk.format("POST", path, headers, body)
   end
   return wrk.format("GET", "/healthz")
end

function response(status, headers, body)
   local location = headers["location"] or headers["Location"] -- granian sends header names in lower case
   if status == 302 and location and location:find("/results/", 1, true) then
      posted = posted + 1
      table.insert(results, location)
      return
   end
   if status == 200 and body:find('class="score"', 1, true) then
      shown = shown + 1
   elseif status == 200 and #body < 64 then
      idle = idle + 1 -- /healthz
      return
   else
      failed = failed + 1
      if failed <= 3 then io.stderr:write("unexpected answer: " .. status .. "\n") end
   end
   if shown + failed == #forms then
      io.write("DONE\n") -- bench/submissions.py times the run until every thread has said so
      io.stdout:flush()
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local p, s, f, i = 0, 0, 0, 0
   for _, thread in ipairs(threads) do
      p = p + thread:get("posted")
      s = s + thread:get("shown")
      f = f + thread:get("failed")
      i = i + thread:get("idle")
   end
   io.write(string.format("RESULT posted=%d shown=%d failed=%d idle=%d seconds=%.3f p50=%.1f p99=%.1f\n",
      p, s, f, i, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
