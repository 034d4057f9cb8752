-- batch.lua: the default batch of builder (README, Batch runs), run by `builder batch OPTIONS`.
--
-- One job file per NAF code, rendered from a template and validated, then the jobs run one after
-- another: fail fast (the rest SKIPPED) or --continue-on-error, a timeout per job, progress on
-- standard error, a summary, and with --json one JSON object on standard output.
--
-- Make it yours: copy it, change it, run it; nothing needs rebuilding.
--   builder script --print batch.lua > my_batch.lua
--   builder script my_batch.lua -- --naf 6920Z --input sirene.parquet --output-dir out
--
-- It is also a module: `require("batch")` returns the table below without running anything, so a
-- pipeline can reuse the steps (see examples/): batch.run(opts, hooks) with hooks.niche_name,
-- hooks.run_job, hooks.variables and hooks.program.

local batch = {}

-- "{job} {input} {out} ...": the placeholders of --runner, as builder defines them.
local RUNNER_PLACEHOLDER_LIST = "{" .. table.concat(builder.runner_placeholders, "} {") .. "}"

-- The options, declared once: `builder batch --help` is generated from this table.
batch.spec = {
  program = "builder batch",
  description = "Generate one job file per NAF code from a template, validate them all, then run the jobs\n"
    .. "one after another. Nothing is written or run when an option, a code or the template is wrong.",
  options = {
    {name = "naf", metavar = "CODE", repeatable = true, required = true,
     help = "NAF code: division 43, group 43.2, class 43.29 or subclass 43.29A (case, dots and spaces "
       .. "do not matter). Codes naming the same niche run once."},
    {name = "input", metavar = "FILE", required = true,
     help = "SIRENE file (Parquet or CSV) given to every job. It must exist, except for a dry run."},
    {name = "output-dir", metavar = "DIR", required = true,
     help = "Job i writes DIR/<niche>/ (dataset.csv, dataset.parquet, logs/); the batch log is DIR/batch.jsonl."},
    {name = "template", metavar = "FILE",
     help = "Job template with {niche_name}, {naf_code}, {profile}, {output_dir}, {naf_nomenclature} "
       .. "(default: the embedded job_template.yaml; see 'builder script --print job_template.yaml')."},
    {name = "profile", metavar = "NAME", choices = {"quick", "standard", "deep"}, default = "quick",
     help = "Steps each job runs (standard and deep join the legal units: --units)."},
    {name = "units", metavar = "FILE",
     help = "INSEE's legal units (StockUniteLegale, Parquet or CSV) given to every job: the company's name, legal "
       .. "form, category and size (enrich.legal_unit). Required by the standard and deep profiles."},
    {name = "offline", type = "boolean",
     help = "The web steps of the standard and deep profiles answer from the HTTP cache only, making no request "
       .. "(docs/enrichment.md); BUILDER_OFFLINE=1 does the same."},
    {name = "jobs-dir", metavar = "DIR", default = "jobs_generated",
     help = "Where the job files go, one <niche>.yaml per code."},
    {name = "dry-run", type = "boolean",
     help = "Generate the job files, validate them as a run would (docs/job-file.md) and list them; run nothing."},
    {name = "sample", type = "integer", metavar = "N", help = "Each job keeps only the first N matching rows."},
    {name = "workers", type = "integer", metavar = "N", help = "Worker threads per job."},
    {name = "max-ram-mb", type = "integer", metavar = "N", help = "Memory budget per job, in MB."},
    {name = "verbose", short = "v", type = "boolean", help = "Show the details of each step."},
    {name = "continue-on-error", type = "boolean",
     help = "Run every job even after one fails; the exit status is then 0 once all have run."},
    {name = "wait-lock", type = "boolean",
     help = "When another batch or run is using the output directory, wait for it to finish instead of failing."},
    {name = "json", type = "boolean",
     help = "Print one JSON summary object on standard output (progress stays on standard error)."},
    {name = "timeout", type = "number", metavar = "SECONDS", default = 3600,
     help = "Stop a job running longer than this (TERM, then KILL) and report it TIMEOUT."},
    {name = "runner", metavar = "COMMAND",
     help = "Run each job with this command instead of 'builder run-profile', for instance an existing "
       .. "Python pipeline: 'python3 cli.py run-profile --job {job} --input {input} --out {out} --profile {profile}'. "
       .. "Words split as in a shell (quotes group); " .. RUNNER_PLACEHOLDER_LIST
       .. " are substituted (any other {name} is an error; {{ and }} are literal braces; ${NAME} is left to the shell); "
       .. "nothing is appended."},
  },
  epilog = [[
Exit status: 0 every job succeeded (or --dry-run); 1 a job failed (unless --continue-on-error), or
the output directory is in use by another run; 2 bad usage, reported before anything is written;
130 interrupted (Ctrl-C; 143 SIGTERM, 129 SIGHUP).

Examples:
  builder batch --naf 6920Z --naf 43.29A --input sirene.parquet --output-dir out/batch_results
  builder batch --naf 6920Z --input sirene.parquet --output-dir out --dry-run --verbose
  builder batch --naf 43 --naf 6920Z --input sirene.parquet --output-dir out --continue-on-error --json]],
}

local function deep_copy(value)
  if type(value) ~= "table" then return value end
  local copy = {}
  for key, element in pairs(value) do copy[key] = deep_copy(element) end
  return copy
end

--- A fresh copy of batch.spec, for a pipeline that adds or changes options.
function batch.copy_spec()
  return deep_copy(batch.spec)
end

--- The declaration of option `name` in `spec` (to change it in a copy), or nil.
function batch.option(spec, name)
  for _, option in ipairs(spec.options) do
    if option.name == name then return option end
  end
end

-- The order of the fields of the --json summary and of its results (README, JSON): one list
-- for every level, so the order of keys found at both levels ("status") suits both.
batch.summary_fields = {
  "naf_code", "niche", "job_file", "output_dir", "status", "total_jobs", "successful_jobs", "failed_jobs",
  "skipped_jobs", "elapsed", "dry_run", "results", "duration", "exit_code", "rows", "error",
}

--- The ranges of the numeric options, checked before anything is written: `builder.limits`, the
--- very limits `builder run-profile` (--sample, --workers, --max-ram-mb) and run_job (--timeout)
--- apply, each {name, min, max?, unit?, text}. A list, so that the first bad option is always the
--- same one reported; a pipeline may append its own.
batch.limits = builder.limits

--- A raised error's message without its "file:line: builder.xxx: " prefix, for usage messages.
function batch.reason(err)
  local message = tostring(err):gsub("^[^\n]-:%d+: ", "")
  return (message:gsub("^builder%.[%w_.]+: ", ""))
end
local reason = batch.reason

-- A path as the user would type it: relative to the current directory when inside it.
local function display_path(path)
  local here = builder.fs.absolute(".")
  if path:sub(1, #here + 1) == here .. "/" then return path:sub(#here + 2) end
  return path
end

local function round(value, digits)
  local scale = 10 ^ (digits or 3)
  return math.floor(value * scale + 0.5) / scale
end

--- "3.2 s"
function batch.format_duration(seconds)
  return string.format("%.1f s", seconds)
end

--- "1 284": thousands separated by spaces.
function batch.format_count(count)
  local digits = tostring(math.tointeger(count) or count)
  local sign, body = digits:match("^(-?)(%d+)$")
  if not body then return digits end
  local grouped = body:reverse():gsub("(%d%d%d)", "%1 "):reverse():gsub("^ ", "")
  return sign .. grouped
end

--- Splits a command line into words as a POSIX shell would for plain words, quotes and
--- backslashes: `python3 "my cli.py" --job {job}` -> {"python3", "my cli.py", "--job", "{job}"}.
--- Returns nil and a message for an unterminated quote or an empty command.
function batch.split_command(text)
  local words, word, in_word, quote, escape = {}, {}, false, nil, nil
  for character in text:gmatch(".") do
    if escape then
      -- After a backslash: a line break goes with it (the lines are joined); outside quotes any
      -- other character is kept as it is; inside double quotes only $ ` " and \ are, and the
      -- backslash stays before anything else ("a\nb" keeps its backslash for printf).
      if character ~= "\n" then
        if escape == '"' and not character:match('[$`"\\]') then word[#word + 1] = "\\" end
        word[#word + 1], in_word = character, true
      end
      escape = nil
    elseif quote == "'" then
      if character == "'" then quote = nil else word[#word + 1] = character end
    elseif quote == '"' then
      if character == '"' then quote = nil
      elseif character == "\\" then escape = '"'
      else word[#word + 1] = character end
    elseif character == "'" or character == '"' then
      quote, in_word = character, true
    elseif character == "\\" then
      escape = "plain"
    elseif character:match("%s") then
      if in_word then words[#words + 1], word, in_word = table.concat(word), {}, false end
    else
      word[#word + 1], in_word = character, true
    end
  end
  if quote then return nil, "unterminated " .. quote .. " quote" end
  if escape then return nil, "it ends with a lone backslash" end
  if in_word then words[#words + 1] = table.concat(word) end
  if #words == 0 then return nil, "the command is empty" end
  return words
end

--- Normalizes NAF codes in order, dropping later codes that name the same niche.
--- Returns the list of {code = "4329A", given = "43.29a"} and the list of dropped duplicates, or
--- nil and a message naming every bad value.
function batch.normalize_codes(values)
  local codes, dropped, seen, bad = {}, {}, {}, {}
  for _, value in ipairs(values) do
    local ok, why = builder.naf.is_valid(value)
    if not ok then
      bad[#bad + 1] = why
    else
      local code = builder.naf.normalize(value)
      if seen[code] then
        dropped[#dropped + 1] = {code = code, given = value, same_as = seen[code]}
      else
        seen[code] = value
        codes[#codes + 1] = {code = code, given = value}
      end
    end
  end
  if #bad == 1 then return nil, "invalid NAF code: " .. bad[1] end
  if #bad > 1 then return nil, "invalid NAF codes:\n  " .. table.concat(bad, "\n  ") end
  if #codes == 0 then return nil, "no NAF code given (--naf CODE)" end
  return codes, dropped
end

--- The nomenclature of a job covering `codes` (normalized codes): the one their subclass letters
--- imply (divisions, groups and classes imply none), NAFRev2 when none does. Returns nil and a
--- message naming a code of each when they mix NAFRev2 and NAF2025 subclasses.
function batch.nomenclature(codes)
  local found, by = nil, nil
  for _, code in ipairs(codes) do
    local nomenclature = builder.naf.nomenclature(code)
    if nomenclature and found and nomenclature ~= found then
      return nil, string.format("%s is a %s subclass but %s is a %s subclass: one job reads one nomenclature",
        by, found, code, nomenclature)
    end
    if nomenclature and not found then found, by = nomenclature, code end
  end
  return found or "NAFRev2"
end

--- The template text and its name for messages: the file at `path`, or the embedded default.
--- Returns nil and a message when the file cannot be read.
function batch.load_template(path)
  if not path then
    return builder.embedded["job_template.yaml"], "job_template.yaml (embedded)"
  end
  if builder.fs.is_dir(path) then return nil, "template: cannot read " .. path .. ": it is a directory" end
  local ok, text = pcall(builder.fs.read, path)
  if not ok then return nil, "template: " .. reason(text) end
  return text, path
end

--- The variables a job template gets.
function batch.template_variables(code, niche, profile, output_dir)
  return {
    niche_name = niche,
    naf_code = code,
    profile = profile,
    output_dir = output_dir,
    naf_nomenclature = batch.nomenclature({code}),
  }
end

--- Renders a job and checks it against the job schema, without writing anything.
--- Returns the YAML text, or nil and a message naming the template and the problem.
function batch.render_job(template, template_name, variables)
  local ok, text = pcall(render_template, template, variables, {source = template_name})
  if not ok then return nil, reason(text) end
  local valid, why = builder.validate_job(text, "template " .. template_name .. " rendered for " .. variables.naf_code)
  if not valid then return nil, why end
  return text
end

-- A niche name is a file name (jobs-dir/<niche>.yaml) and a directory (output-dir/<niche>/).
local function check_niche_name(name, code)
  if type(name) ~= "string" or not name:match("^[%w_][%w_.-]*$") then
    return nil, string.format("niche name %q for %s is not a plain file name (letters, digits, _ . -)",
      tostring(name), code)
  end
  return name
end

--- Checks everything a batch needs before anything is written: codes, numbers,
--- input, template, runner, and every job rendered and validated.
--- Returns the plan {jobs = {...}, runner = argv|nil, template_name = ...}, or nil and a message.
function batch.plan(opts, hooks)
  hooks = hooks or {}
  local codes, dropped = batch.normalize_codes(opts.naf or {})
  if not codes then return nil, dropped end
  for _, duplicate in ipairs(dropped) do
    log("debug", string.format("%s and %s are the same niche: it runs once", duplicate.given, duplicate.same_as))
  end

  for _, range in ipairs(batch.limits) do
    local value = opts[range.name]
    if value ~= nil and not (value >= range.min and (range.max == nil or value <= range.max)) then
      return nil, string.format("--%s %s, got %s", (range.name:gsub("_", "-")), range.text, tostring(value))
    end
  end
  if opts.input == "" then return nil, "--input is empty" end
  if not builder.fs.exists(opts.input) then
    if not opts.dry_run then return nil, "input file " .. opts.input .. " does not exist" end
    log("warn", "input file " .. opts.input .. " does not exist (a dry run does not read it)")
  elseif builder.fs.is_dir(opts.input) then
    return nil, "input " .. opts.input .. " is a directory, not a file"
  elseif not builder.fs.is_file(opts.input) then
    return nil, "input " .. opts.input .. " is not a regular file (a FIFO or a device): pass the stock as a file"
  end
  if opts.units ~= nil then
    if opts.units == "" then return nil, "--units is empty" end
    if not builder.fs.exists(opts.units) then
      if not opts.dry_run then return nil, "units file " .. opts.units .. " does not exist" end
      log("warn", "units file " .. opts.units .. " does not exist (a dry run does not read it)")
    elseif not builder.fs.is_file(opts.units) then
      return nil, "units " .. opts.units .. " is not a regular file: pass StockUniteLegale as a file"
    end
  elseif opts.profile ~= "quick" and not opts.dry_run and not opts.runner then
    return nil, "--profile " .. opts.profile .. " joins the legal units: pass --units FILE (INSEE's StockUniteLegale, "
      .. "Parquet or CSV), or use --profile quick"
  end
  if opts.output_dir == "" then return nil, "--output-dir is empty" end
  if opts.jobs_dir == "" then return nil, "--jobs-dir is empty" end
  if builder.fs.exists(opts.output_dir) and not builder.fs.is_dir(opts.output_dir) then
    return nil, "output directory " .. opts.output_dir .. " is a file"
  end
  if builder.fs.exists(opts.jobs_dir) and not builder.fs.is_dir(opts.jobs_dir) then
    return nil, "jobs directory " .. opts.jobs_dir .. " is a file"
  end
  -- The batch appends its log only to a regular file of its own: never through a link, never to a FIFO.
  local log_file = builder.fs.join(opts.output_dir, "batch.jsonl")
  if not opts.dry_run and (builder.fs.is_link(log_file) or (builder.fs.exists(log_file) and not builder.fs.is_file(log_file))) then
    return nil, "the batch log " .. log_file .. " is a symbolic link or not a regular file; remove it or choose another --output-dir"
  end
  -- A dry run writes only the job files; a run also writes the output directory.
  local directories = {{"--jobs-dir", opts.jobs_dir}}
  if not opts.dry_run then directories[2] = {"--output-dir", opts.output_dir} end
  for _, directory in ipairs(directories) do
    local ok, why = builder.fs.can_create_dir(directory[2])
    if not ok then return nil, directory[1] .. ": " .. why end
  end

  local runner
  if opts.runner then
    local why
    runner, why = batch.split_command(opts.runner)
    if not runner then return nil, "--runner: " .. why end
    -- builder's rules, with the options every job gets: names and options in the CLI's words.
    local ok, message, problem = builder.check_runner(runner, batch.run_options(opts, opts.output_dir, runner))
    if not ok and problem.kind == "unknown" then
      return nil, string.format("--runner: unknown placeholder {%s} in %q (known: %s; ${NAME} is left to the shell)",
        problem.placeholders[1], problem.argument, RUNNER_PLACEHOLDER_LIST)
    elseif not ok and problem.kind == "unset" then
      local name = problem.placeholders[1]
      return nil, string.format("--runner uses {%s} but --%s is not given", name, (name:gsub("_", "-")))
    elseif not ok then
      return nil, "--runner: " .. message
    end
  end

  local template, template_name = batch.load_template(opts.template)
  if not template then return nil, template_name end
  log("debug", "template: " .. template_name)

  local jobs, by_niche = {}, {}
  for _, entry in ipairs(codes) do
    local niche = builder.naf.niche_name(entry.code)
    if hooks.niche_name then
      local why
      niche, why = check_niche_name(hooks.niche_name(entry.code), entry.code)
      if not niche then return nil, why end
    end
    if by_niche[niche] then
      return nil, string.format("%s and %s would both be niche %s", by_niche[niche], entry.code, niche)
    end
    by_niche[niche] = entry.code
    local output_dir = builder.fs.join(opts.output_dir, niche)
    local variables = batch.template_variables(entry.code, niche, opts.profile, output_dir)
    for name, value in pairs(hooks.variables and hooks.variables(entry.code, niche) or {}) do
      variables[name] = value
    end
    local text, why = batch.render_job(template, template_name, variables)
    if not text then return nil, why end
    jobs[#jobs + 1] = {
      code = entry.code, niche = niche, text = text, output_dir = output_dir,
      job_file = builder.fs.join(opts.jobs_dir, niche .. ".yaml"),
    }
    log("debug", string.format("%s -> %s", entry.given, niche))
  end
  return {jobs = jobs, runner = runner, template_name = template_name}
end

--- Writes the planned job files (atomically). Returns true, or nil and a message.
function batch.write_jobs(plan)
  for _, job in ipairs(plan.jobs) do
    local ok, path = pcall(write_job, job.job_file, job.text)
    if not ok then return nil, reason(path) end
    job.job_path = path
    log("debug", "wrote " .. job.job_file)
  end
  return true
end

local function result_entry(job, status, fields)
  fields = fields or {}
  return {
    naf_code = job.code,
    niche = job.niche,
    job_file = job.job_path or builder.fs.absolute(job.job_file),
    output_dir = fields.output_dir or builder.fs.absolute(job.output_dir),
    status = status,
    duration = round(fields.duration or 0),
    exit_code = fields.exit_code,
    rows = fields.rows,
    error = fields.error,
    log_file = fields.log_file,
  }
end

local function outcome_text(result)
  if result.status == "SUCCESS" then
    local text = "ok " .. batch.format_duration(result.duration)
    if result.rows then text = text .. ", " .. batch.format_count(result.rows) .. " rows" end
    return text
  end
  local text = result.status .. " " .. batch.format_duration(result.duration)
  if result.exit_code and result.exit_code ~= 0 then text = text .. ", exit " .. result.exit_code end
  if result.error then text = text .. ": " .. result.error end
  if result.log_file then text = text .. " (log: " .. display_path(result.log_file) .. ")" end
  return text
end

--- The names the input cache directory holds: `filter.json` (the batch's), the cache files of its
--- jobs (`input-<key>.parquet`) and the temporary files of both while they are written.
local INPUT_CACHE_NAMES = {
  "^filter%.json$", "^input%-%x+%.parquet$", "^%.filter%.json%.tmp%-%d+%-%x+$", "^%.input%-%x+%.parquet%.tmp%-%d+%-%x+$",
}

-- Whether `name`, in the cache directory `dir`, is a file the batch or its jobs make: one of the
-- names above, and a regular file (never a link).
local function is_input_cache_file(dir, name)
  local path = builder.fs.join(dir, name)
  if builder.fs.is_link(path) or not builder.fs.is_file(path) then return false end
  for _, pattern in ipairs(INPUT_CACHE_NAMES) do
    if name:match(pattern) then return true end
  end
  return false
end

--- The cache directory, made for the batch: created when missing; an existing one is used only
--- when it holds nothing but files a batch makes (one interrupted before it could remove them).
--- A symbolic link, a file, or a directory holding anything else is left alone and the batch runs
--- without the cache. Returns the directory, or nil and the reason.
function batch.make_input_cache_dir(dir)
  if builder.fs.is_link(dir) then
    return nil, dir .. " is a symbolic link (the batch keeps its cache only in a directory of its own)"
  end
  if builder.fs.exists(dir) then
    if not builder.fs.is_dir(dir) then return nil, dir .. " exists and is not a directory" end
    for _, name in ipairs(builder.fs.list(dir)) do
      if not is_input_cache_file(dir, name) then
        return nil, dir .. " holds " .. name .. ", which the batch did not make; remove the directory to share the cache again"
      end
    end
    return dir
  end
  local ok, why = pcall(builder.fs.mkdir, dir)
  if not ok then return nil, reason(why) end
  return dir
end

--- The input cache a batch shares (`run-profile --input-cache`): the first job keeps, in
--- `<output-dir>/.input-cache/`, the rows of the input any job of the batch can select (the union
--- of their NAF codes, per `filter.json`), and the next jobs read that small file instead of the
--- whole stock; each job still applies its own filters, so the datasets are the same. Used when
--- two or more jobs of one nomenclature run with the default runner. Returns the directory, or nil.
function batch.prepare_input_cache(plan, opts)
  if opts.dry_run or plan.runner or #plan.jobs < 2 then return nil end
  local groups, order = {}, {}
  for _, job in ipairs(plan.jobs) do
    local ok, doc = pcall(builder.yaml.decode, job.text)
    if not ok or type(doc) ~= "table" or type(doc.filters) ~= "table" then return nil end
    local nomenclature = doc.filters.naf_nomenclature or "NAFRev2"
    local group = groups[nomenclature]
    if not group then
      group = {codes = {}, seen = {}, active_only = true, jobs = 0}
      groups[nomenclature], order[#order + 1] = group, nomenclature
    end
    group.jobs = group.jobs + 1
    for _, code in ipairs(doc.filters.naf_include or {}) do
      local normalized = builder.naf.normalize(code)
      if not group.seen[normalized] then
        group.seen[normalized] = true
        group.codes[#group.codes + 1] = normalized
      end
    end
    if doc.filters.active_only == false then group.active_only = false end
  end
  local chosen
  for _, name in ipairs(order) do
    if not chosen or groups[name].jobs > groups[chosen].jobs then chosen = name end
  end
  if groups[chosen].jobs < 2 then return nil end
  local dir, problem = batch.make_input_cache_dir(builder.fs.join(opts.output_dir, ".input-cache"))
  if not dir then
    log("warn", "no input cache: " .. problem)
    return nil
  end
  local filter = {naf_nomenclature = chosen, naf_include = groups[chosen].codes, active_only = groups[chosen].active_only}
  local ok, why = pcall(builder.fs.write, builder.fs.join(dir, "filter.json"), builder.json.encode(filter) .. "\n",
    {follow_links = false})
  if not ok then
    log("debug", "no input cache: " .. reason(why))
    batch.remove_input_cache(dir)
    return nil
  end
  log("debug", "input cache " .. dir .. " for " .. table.concat(groups[chosen].codes, ", "))
  return dir
end

--- Removes the batch's input cache: the files the batch and its jobs made there (never following a
--- link, never anything else), then the directory when that left it empty.
function batch.remove_input_cache(dir)
  if not dir or builder.fs.is_link(dir) then return end
  local ok, names = pcall(builder.fs.list, dir)
  if ok then
    for _, name in ipairs(names) do
      if is_input_cache_file(dir, name) then pcall(builder.fs.remove, builder.fs.join(dir, name)) end
    end
  end
  pcall(builder.fs.remove, dir)
end

--- The options of run_job for a job of the batch writing into `out`.
function batch.run_options(opts, out, runner, input_cache)
  return {
    input = opts.input, out = out, profile = opts.profile, sample = opts.sample,
    workers = opts.workers, max_ram_mb = opts.max_ram_mb, verbose = opts.verbose,
    timeout = opts.timeout, runner = runner, input_cache = input_cache, units = opts.units,
    offline = opts.offline,
  }
end

--- Runs the planned jobs in order. Returns the result entries (one per job).
function batch.execute(plan, opts, hooks)
  hooks = hooks or {}
  local run = hooks.run_job or run_job
  local input_cache = batch.prepare_input_cache(plan, opts)
  local results, total, stop_reason = {}, #plan.jobs, nil
  for index, job in ipairs(plan.jobs) do
    local prefix = string.format("[%d/%d] %s", index, total, job.niche)
    if stop_reason then
      results[index] = result_entry(job, "SKIPPED", {error = stop_reason})
      log("info", prefix .. " ... SKIPPED", {niche = job.niche, status = "SKIPPED"})
    else
      log("debug", prefix .. ": running " .. job.job_file .. " into " .. job.output_dir)
      local result = run(job.job_path, batch.run_options(opts, job.output_dir, plan.runner, input_cache), job)
      local entry = result_entry(job, result.status, result)
      results[index] = entry
      if result.command then log("debug", prefix .. ": command: " .. table.concat(result.command, " ")) end
      log("info", prefix .. " ... " .. outcome_text(entry), {
        niche = job.niche, naf_code = job.code, status = entry.status, duration = entry.duration,
        exit_code = entry.exit_code, rows = entry.rows, error = entry.error, log_file = entry.log_file,
      })
      if builder.interrupted() then
        stop_reason = "not run: interrupted"
      elseif not result.ok and not opts.continue_on_error then
        stop_reason = "not run: " .. job.niche .. " failed"
      end
    end
  end
  batch.remove_input_cache(input_cache)
  return results
end

--- The --json summary table (JSON nulls for absent values).
function batch.summary(results, opts, started)
  local counts = {SUCCESS = 0, SKIPPED = 0, failed = 0}
  local entries = {}
  for index, result in ipairs(results) do
    if result.status == "SUCCESS" or result.status == "SKIPPED" then
      counts[result.status] = counts[result.status] + 1
    else
      counts.failed = counts.failed + 1
    end
    local null = builder.json.null
    entries[index] = {
      naf_code = result.naf_code, niche = result.niche, job_file = result.job_file,
      output_dir = result.output_dir, status = result.status, duration = result.duration,
      exit_code = result.exit_code or null, rows = result.rows or null, error = result.error or null,
    }
  end
  local status = "SUCCESS"
  if opts.dry_run then status = "DRY_RUN"
  elseif builder.interrupted() then status = "INTERRUPTED"
  elseif counts.failed > 0 then status = "FAILED" end
  return {
    status = status,
    total_jobs = #results,
    successful_jobs = counts.SUCCESS,
    failed_jobs = counts.failed,
    skipped_jobs = counts.SKIPPED,
    elapsed = round(builder.now() - started),
    dry_run = opts.dry_run and true or false,
    results = entries,
  }
end

local function report(summary, plan, opts)
  if opts.dry_run then
    local lines = {}
    for _, job in ipairs(plan.jobs) do lines[#lines + 1] = "  " .. job.job_file end
    log("info", string.format("dry run: %d job file%s generated and validated, nothing run:\n%s",
      #lines, #lines == 1 and "" or "s", table.concat(lines, "\n")), {status = summary.status})
  else
    local text = string.format("%d job%s in %s: %d succeeded, %d failed, %d skipped",
      summary.total_jobs, summary.total_jobs == 1 and "" or "s", batch.format_duration(summary.elapsed),
      summary.successful_jobs, summary.failed_jobs, summary.skipped_jobs)
    if summary.status == "INTERRUPTED" then text = text .. " (interrupted)" end
    log("info", text, {
      status = summary.status, total_jobs = summary.total_jobs, successful_jobs = summary.successful_jobs,
      failed_jobs = summary.failed_jobs, skipped_jobs = summary.skipped_jobs, elapsed = summary.elapsed,
    })
  end
  if opts.json then
    io.write(builder.json.encode(summary, {pretty = true, order = batch.summary_fields}), "\n")
    io.flush()
  end
end

--- Writes `<output-dir>/report.html` (`builder.report.batch`): the niches, their overlaps, the
--- failures, the command and its options. A report that cannot be written is a warning: the jobs'
--- outputs and the exit status do not depend on it.
function batch.write_report(summary, opts, program)
  local command = {}
  for word in (program or batch.spec.program):gmatch("%S+") do command[#command + 1] = word end
  for _, word in ipairs(builder.args) do command[#command + 1] = word end
  local path = builder.fs.join(opts.output_dir, "report.html")
  local ok, written = pcall(builder.report.batch, path, summary, {command = command, options = opts})
  if ok then
    log("debug", "wrote " .. display_path(written))
  else
    log("warn", "the batch report " .. path .. " was not written: " .. reason(written))
  end
end

--- The whole batch: plan (or exit 2), lock the output directory (not for a dry run), write the job
--- files, run them (or list them for a dry run), report, unlock. Returns the exit status: 0, 1, 2,
--- or 128 + signal when interrupted.
function batch.run(opts, hooks)
  hooks = hooks or {}
  local program = hooks.program or batch.spec.program
  local started = builder.now()
  if opts.verbose then builder.set_log_level("debug") end

  local plan, why = batch.plan(opts, hooks)
  if not plan then
    return builder.usage_error(program, why)
  end
  if not opts.dry_run then
    local locked, problem, status = batch.lock_output(opts)
    if not locked then
      io.stderr:write(program, ": ", problem, "\n")
      return status
    end
  end
  local status = batch.run_locked(plan, opts, hooks, started)
  if not opts.dry_run then builder.fs.unlock(opts.output_dir) end
  return status
end

--- Takes the output directory for this batch (`builder.fs.lock`, created when missing): one batch
--- or run at a time writes it, so two never mix their files or remove each other's input cache.
--- Waits with --wait-lock. Returns true, or nil, a message and the exit status (2 when the
--- directory cannot be created or locked, 1 when another run holds it, 128 + signal when
--- interrupted while waiting).
function batch.lock_output(opts)
  local ok, locked, busy = pcall(builder.fs.mkdir, opts.output_dir)
  if ok then ok, locked, busy = pcall(builder.fs.lock, opts.output_dir) end
  if not ok then return nil, "--output-dir: " .. reason(locked), 2 end
  if locked then return true end
  if not opts.wait_lock then
    return nil, "output directory " .. busy .. "; pass --wait-lock to wait for it to finish", 1
  end
  log("info", "output directory " .. busy .. "; waiting for it to finish")
  local locked = builder.fs.lock(opts.output_dir, {wait = true})
  if locked then return true end
  local signal = builder.interrupted() or 2
  return nil, "interrupted while waiting for " .. opts.output_dir, 128 + signal
end

--- The batch once its output directory is locked: write the job files, run them (or list them
--- for a dry run), report. Returns the exit status.
function batch.run_locked(plan, opts, hooks, started)
  local program = hooks.program or batch.spec.program
  local written, problem = batch.write_jobs(plan)
  if not written then
    io.stderr:write(program, ": ", problem, "\n")
    return 2
  end

  if opts.dry_run then
    local results = {}
    for index, job in ipairs(plan.jobs) do results[index] = result_entry(job, "SKIPPED", {error = "dry run"}) end
    report(batch.summary(results, opts, started), plan, opts)
    return 0
  end

  -- The run's log, beside the outputs; opened once the job files exist, so bad usage leaves no trace.
  local opened, log_problem = pcall(builder.open_log, builder.fs.join(opts.output_dir, "batch.jsonl"))
  if not opened then
    io.stderr:write(program, ": ", reason(log_problem), "\n")
    return 1
  end
  log("info", string.format("running %d job%s (input %s, output %s)", #plan.jobs, #plan.jobs == 1 and "" or "s",
    opts.input, opts.output_dir), {program = program, profile = opts.profile, template = plan.template_name,
    jobs_dir = opts.jobs_dir, timeout = opts.timeout, runner = plan.runner})
  local results = batch.execute(plan, opts, hooks)
  local summary = batch.summary(results, opts, started)
  -- Before the summary line, which stays the log's last event.
  batch.write_report(summary, opts, program)
  report(summary, plan, opts)

  local signal = builder.interrupted()
  if signal then return 128 + signal end
  if summary.failed_jobs > 0 and not opts.continue_on_error then return 1 end
  return 0
end

--- `builder batch ARGS`: parse the options (exit 2 on a usage error), run, return the status.
function batch.main(argv)
  return batch.run(builder.parse_args(batch.spec, argv))
end

-- Run as a script (`builder batch`, `builder script batch.lua`), or be a module (`require`).
if ... ~= nil then return batch end
os.exit(batch.main(builder.args))
