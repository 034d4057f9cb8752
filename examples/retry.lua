-- retry.lua: the batch of `builder batch`, retrying failed jobs with exponential back-off.
--
-- A job that fails or times out is run again after --backoff seconds, then twice that, and so on
-- (2 s, 4 s, 8 s by default), up to --attempts runs in all; then the batch gives up on it as
-- `builder batch` would (fail fast, or carry on with --continue-on-error). A job that cannot start
-- at all (ERROR) is not retried, and Ctrl-C stops the waiting as well as the job.
--
--   builder script examples/retry.lua -- --attempts 4 --backoff 5 --naf 6920Z \
--       --input sirene.parquet --output-dir out/batch_results

local batch = require("batch")

local spec = batch.copy_spec()
spec.program = "builder script examples/retry.lua --"
spec.description = "The batch of 'builder batch', retrying failed jobs with exponential back-off."
table.insert(spec.options, {name = "attempts", type = "integer", metavar = "N", default = 3,
  help = "Runs per job at most, the first included."})
table.insert(spec.options, {name = "backoff", type = "number", metavar = "SECONDS", default = 2,
  help = "Wait before the first retry; doubled before each next one."})

local opts = builder.parse_args(spec)
if opts.attempts < 1 then
  io.stderr:write(spec.program, ": --attempts must be at least 1\n")
  os.exit(2)
end

--- run_job, again and again while the job fails, waiting longer each time.
local function run_with_retries(job_path, run_opts, job)
  local result
  for attempt = 1, opts.attempts do
    result = run_job(job_path, run_opts)
    if result.ok or result.status == "ERROR" or builder.interrupted() then return result end
    if attempt < opts.attempts then
      local delay = opts.backoff * 2 ^ (attempt - 1)
      log("warn", string.format("%s: attempt %d/%d %s (%s); retrying in %.1f s", job.niche, attempt,
        opts.attempts, result.status, result.error or "no reason given", delay),
        {niche = job.niche, attempt = attempt, status = result.status, delay = delay})
      if not builder.sleep(delay) then
        result.error = "interrupted"
        return result
      end
    end
  end
  result.error = string.format("gave up after %d attempts: %s", opts.attempts, result.error or result.status)
  return result
end

os.exit(batch.run(opts, {program = spec.program, run_job = run_with_retries}))
