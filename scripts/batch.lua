-- batch.lua: the default batch of builder (README, Batch runs), run by `builder batch OPTIONS`.
--
-- One job file per NAF code, rendered from a template and validated (or existing job files with
-- --jobs), then the jobs run: in one scan of the input for all of them (by default), or one
-- process per job (--scan-per-job), one after another or --parallel N at once: fail fast (the
-- rest SKIPPED) or --continue-on-error, a timeout per job, --resume, progress on standard error
-- (live on a terminal), a summary, and with --json one JSON object on standard output.
--
-- Make it yours: copy it, change it, run it; nothing needs rebuilding.
--   builder script --print batch.lua > my_batch.lua
--   builder script my_batch.lua -- --naf 6920Z --input sirene.parquet --output-dir out
--
-- It is also a module: `require("batch")` returns the table below without running anything, so a
-- pipeline can reuse the steps (see examples/): batch.run(opts, hooks) with hooks.niche_name,
-- hooks.run_job, hooks.variables and hooks.program; it returns the exit status and the summary
-- (with its results).

local batch = {}

-- "{job} {input} {out} ...": the placeholders of --runner, as builder defines them.
local RUNNER_PLACEHOLDER_LIST = "{" .. table.concat(builder.runner_placeholders, "} {") .. "}"

-- The options, declared once: `builder batch --help` is generated from this table.
batch.spec = {
  program = "builder batch",
  description = "Generate one job file per NAF code from a template (or take existing ones: --jobs), validate them\n"
    .. "all, then run the jobs: in one scan of the input for all of them, or with --scan-per-job one process\n"
    .. "per job, one after another or --parallel N at once. Nothing is written or run when an option, a code,\n"
    .. "the template or a job file is wrong.",
  options = {
    {name = "naf", metavar = "CODE", repeatable = true,
     help = "NAF code: division 43, group 43.2, class 43.29 or subclass 43.29A (case, dots and spaces "
       .. "do not matter). Codes naming the same niche run once. Required unless --jobs is given."},
    {name = "jobs", metavar = "PATH", repeatable = true,
     help = "Run existing job files instead of generating them: a directory (its *.yaml files, in name "
       .. "order) or a job file; each is validated and job i writes DIR/<its niche>/."},
    {name = "input", metavar = "FILE", required = true,
     help = "SIRENE file (Parquet or CSV) given to every job. It must exist, except for a dry run."},
    {name = "output-dir", metavar = "DIR", required = true,
     help = "Job i writes DIR/<niche>/ (dataset.csv, dataset.parquet, logs/); the batch log is DIR/batch.jsonl."},
    {name = "template", metavar = "FILE",
     help = "Job template with {niche_name}, {naf_code}, {profile}, {output_dir}, {naf_nomenclature} "
       .. "(default: the embedded job_template.yaml; see 'builder script --print job_template.yaml')."},
    {name = "profile", metavar = "NAME", choices = {"quick", "standard", "deep"},
     help = "Steps each job runs (standard and deep join the legal units: --units). Default: quick; "
       .. "with --jobs, each job's own profile."},
    {name = "units", metavar = "FILE",
     help = "INSEE's legal units (StockUniteLegale, Parquet or CSV) given to every job: the company's name, legal "
       .. "form, category and size (enrich.legal_unit). Required by the standard and deep profiles."},
    {name = "offline", type = "boolean",
     help = "The web steps of the standard and deep profiles answer from the HTTP cache only, making no request "
       .. "(docs/enrichment.md); BUILDER_OFFLINE=1 does the same."},
    {name = "jobs-dir", metavar = "DIR", default = "jobs_generated",
     help = "Where the job files go, one <niche>.yaml per code. A file edited since it was generated "
       .. "is validated and used as it is, not overwritten (its first line holds the fingerprint of what was generated)."},
    {name = "regenerate", type = "boolean",
     help = "Overwrite the job files even when they were edited since they were generated."},
    {name = "dry-run", type = "boolean",
     help = "Generate the job files, validate them as a run would (docs/job-file.md) and list them; run nothing."},
    {name = "sample", type = "integer", metavar = "N", help = "Each job keeps only the first N matching rows."},
    {name = "workers", type = "integer", metavar = "N",
     help = "Worker threads of the shared scan (with --scan-per-job: of each job)."},
    {name = "max-ram-mb", type = "integer", metavar = "N",
     help = "Memory budget of the batch, in MB: the shared scan's; with --scan-per-job each of the --parallel "
       .. "jobs gets an equal share."},
    {name = "parallel", type = "integer", metavar = "N",
     help = "With --scan-per-job, run up to N jobs at once (default 1; the jobs of the shared scan run at once "
       .. "already). Results, summary and JSON keep the order of the codes."},
    {name = "scan-per-job", type = "boolean",
     help = "Run each job as a process of its own. By default the jobs of one nomenclature run as one "
       .. "builder run-profile that reads the input once for all of them (each niche still gets its own "
       .. "outputs, manifest and log) and end together."},
    {name = "resume", type = "boolean",
     help = "Skip the niches whose outputs are complete and were made from the same job file, input, "
       .. "profile and --sample (their manifest.json says so); run the others."},
    {name = "merge", type = "boolean",
     help = "Also write DIR/all/dataset.csv and dataset.parquet: every niche's rows with a first column 'niche' "
       .. "(a row kept by two niches is there once for each), and report the establishments each pair of niches shares."},
    {name = "verbose", short = "v", type = "boolean", help = "Show the details of each step."},
    {name = "quiet", short = "q", type = "boolean",
     help = "Print only warnings and errors on standard error: no progress (batch.jsonl still has every event)."},
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

Progress: '[i/N] niche ...' when a job starts, its result when it ends; on a terminal, a live line
per running job (rows read of total, kept, rate, ETA) and the batch's; elsewhere a line every 5 s
per long job. NO_COLOR turns styling off, --quiet the progress.

Examples:
  builder batch --naf 6920Z --naf 43.29A --input sirene.parquet --output-dir out/batch_results
  builder batch --naf 6920Z --input sirene.parquet --output-dir out --dry-run --verbose
  builder batch --jobs jobs_generated --input sirene.parquet --output-dir out --parallel 2
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
  "skipped_jobs", "resumed_jobs", "elapsed", "dry_run", "results", "merged", "overlaps", "duration", "exit_code",
  "rows", "resumed", "edited", "error", "files", "first", "second", "shared",
}

--- The directory of the merged datasets (--merge), in the output directory: no niche may be named so.
batch.MERGED_DIR = "all"

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
  -- A repeatable option not given is an empty list.
  if opts.jobs and #opts.jobs == 0 then opts.jobs = nil end
  if opts.naf and #opts.naf == 0 then opts.naf = nil end
  local codes, dropped
  if opts.jobs then
    -- Existing job files: nothing to generate.
    for _, name in ipairs({"naf", "template", "regenerate"}) do
      if opts[name] then return nil, "--jobs runs existing job files: --" .. name .. " does not go with it" end
    end
  else
    if opts.naf == nil then return nil, "no NAF code given (--naf CODE), nor job files to run (--jobs PATH)" end
    codes, dropped = batch.normalize_codes(opts.naf)
    if not codes then return nil, dropped end
    for _, duplicate in ipairs(dropped) do
      log("debug", string.format("%s and %s are the same niche: it runs once", duplicate.given, duplicate.same_as))
    end
    opts.profile = opts.profile or "quick"
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
  elseif opts.profile and opts.profile ~= "quick" and not opts.dry_run and not opts.runner then
    return nil, "--profile " .. opts.profile .. " joins the legal units: pass --units FILE (INSEE's StockUniteLegale, "
      .. "Parquet or CSV), or use --profile quick"
  end
  if opts.output_dir == "" then return nil, "--output-dir is empty" end
  if opts.jobs_dir == "" then return nil, "--jobs-dir is empty" end
  if builder.fs.exists(opts.output_dir) and not builder.fs.is_dir(opts.output_dir) then
    return nil, "output directory " .. opts.output_dir .. " is a file"
  end
  if not opts.jobs and builder.fs.exists(opts.jobs_dir) and not builder.fs.is_dir(opts.jobs_dir) then
    return nil, "jobs directory " .. opts.jobs_dir .. " is a file"
  end
  -- The batch appends its log only to a regular file of its own: never through a link, never to a FIFO.
  local log_file = builder.fs.join(opts.output_dir, "batch.jsonl")
  if not opts.dry_run and (builder.fs.is_link(log_file) or (builder.fs.exists(log_file) and not builder.fs.is_file(log_file))) then
    return nil, "the batch log " .. log_file .. " is a symbolic link or not a regular file; remove it or choose another --output-dir"
  end
  -- A dry run writes only the job files (none with --jobs); a run also writes the output directory.
  local directories = {}
  if not opts.jobs then directories[#directories + 1] = {"--jobs-dir", opts.jobs_dir} end
  if not opts.dry_run then directories[#directories + 1] = {"--output-dir", opts.output_dir} end
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

  if opts.jobs then
    local jobs, why = batch.plan_existing(opts)
    if not jobs then return nil, why end
    return {jobs = jobs, runner = runner, existing = true}
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
    if opts.merge and niche == batch.MERGED_DIR then
      return nil, string.format("niche %s (%s) would be the directory of --merge's datasets", niche, entry.code)
    end
    by_niche[niche] = entry.code
    local output_dir = builder.fs.join(opts.output_dir, niche)
    local variables = batch.template_variables(entry.code, niche, opts.profile, output_dir)
    for name, value in pairs(hooks.variables and hooks.variables(entry.code, niche) or {}) do
      variables[name] = value
    end
    local text, why = batch.render_job(template, template_name, variables)
    if not text then return nil, why end
    local job = {
      code = entry.code, niche = niche, text = batch.fingerprinted(text), output_dir = output_dir,
      job_file = builder.fs.join(opts.jobs_dir, niche .. ".yaml"),
    }
    -- The review step: a file edited since it was generated is kept (validated), unless --regenerate.
    local edited, problem, how = batch.edited_job_file(job.job_file)
    if problem then return nil, problem end
    if edited and not opts.regenerate then
      job.text, job.edited, job.edited_how = edited, true, how
    end
    job.spec = builder.yaml.decode(job.text)
    jobs[#jobs + 1] = job
    log("debug", string.format("%s -> %s", entry.given, niche))
  end
  return {jobs = jobs, runner = runner, template_name = template_name}
end

--- The first line of a generated job file: what was generated can be told from an edit.
local FINGERPRINT_PREFIX = "# Generated by builder batch; an edit is kept and used (builder batch --regenerate overwrites it). sha256:"

--- The job text with its fingerprint line: the SHA-256 of the text that follows it.
function batch.fingerprinted(text)
  return FINGERPRINT_PREFIX .. builder.sha256(text) .. "\n" .. text
end

--- Whether `text` (a job file's content) is what a batch generated: its first line is a
--- fingerprint and the rest still has that fingerprint.
function batch.is_generated(text)
  local first, rest = text:match("^([^\n]*)\n(.*)$")
  if not first or first:sub(1, #FINGERPRINT_PREFIX) ~= FINGERPRINT_PREFIX then return false end
  return first:sub(#FINGERPRINT_PREFIX + 1) == builder.sha256(rest)
end

--- The text of the job file at `path` when the user changed it since a batch wrote it (or wrote it
--- without a batch), with nil and how it differs (for the message): nil when there is none, or it
--- is a batch's as generated. A changed file is validated: nil and a message when a run would
--- refuse it. A symbolic link or a file that is not
--- regular is not read (write_job replaces the one, refuses the other).
function batch.edited_job_file(path)
  if builder.fs.is_link(path) or not builder.fs.is_file(path) then return nil end
  local ok, text = pcall(builder.fs.read, path)
  if not ok then return nil, reason(text) end
  if batch.is_generated(text) then return nil end
  local valid, why = builder.validate_job(text, path)
  if not valid then
    return nil, string.format("%s was changed since it was generated and a run would refuse it: %s "
      .. "(fix it, or pass --regenerate to generate it again)", path, why)
  end
  if text:sub(1, #FINGERPRINT_PREFIX) == FINGERPRINT_PREFIX then return text, nil, "was edited since it was generated" end
  return text, nil, "has no batch fingerprint (written by hand, or by an older builder)"
end

--- The jobs of --jobs: every *.yaml (and *.yml) of a directory in name order, or the file given,
--- each validated as a run validates it; a niche is named once. Returns the jobs or nil and a message.
function batch.plan_existing(opts)
  local files = {}
  for _, given in ipairs(opts.jobs) do
    if given == "" then return nil, "--jobs is empty" end
    if builder.fs.is_dir(given) then
      local found = 0
      for _, name in ipairs(builder.fs.list(given)) do
        local path = builder.fs.join(given, name)
        if (name:match("%.yaml$") or name:match("%.yml$")) and builder.fs.is_file(path) then
          files[#files + 1], found = path, found + 1
        end
      end
      if found == 0 then return nil, "--jobs " .. given .. ": no job file (*.yaml) in that directory" end
    elseif builder.fs.is_file(given) then
      files[#files + 1] = given
    elseif builder.fs.exists(given) then
      return nil, "--jobs " .. given .. " is not a regular file or a directory"
    else
      return nil, "--jobs " .. given .. " does not exist"
    end
  end
  local jobs, by_niche = {}, {}
  for _, path in ipairs(files) do
    local ok, text = pcall(builder.fs.read, path)
    if not ok then return nil, reason(text) end
    local valid, why = builder.validate_job(text, path)
    if not valid then return nil, why end
    local spec = builder.yaml.decode(text)
    local niche, problem = check_niche_name(spec.niche, path)
    if not niche then return nil, problem end
    if by_niche[niche] then
      return nil, string.format("%s and %s are both niche %s (one output directory each)", by_niche[niche], path, niche)
    end
    if opts.merge and niche == batch.MERGED_DIR then
      return nil, string.format("niche %s (%s) would be the directory of --merge's datasets", niche, path)
    end
    by_niche[niche] = path
    jobs[#jobs + 1] = {
      code = table.concat(spec.filters and spec.filters.naf_include or {}, ","), niche = niche, text = text, spec = spec,
      output_dir = builder.fs.join(opts.output_dir, niche), job_file = path, job_path = builder.fs.absolute(path),
      existing = true,
    }
    log("debug", string.format("%s -> %s", path, niche))
  end
  return jobs
end

--- Writes the planned job files (atomically), except those kept: edited ones and --jobs files.
--- Returns true, or nil and a message.
function batch.write_jobs(plan)
  for _, job in ipairs(plan.jobs) do
    if job.edited then
      job.job_path = builder.fs.absolute(job.job_file)
      log("info", string.format("%s: %s %s: it is used as it is (validated; --regenerate overwrites it)",
        job.niche, display_path(job.job_path), job.edited_how), {niche = job.niche, job_file = job.job_path})
    elseif not job.existing then
      local ok, path = pcall(write_job, job.job_file, job.text)
      if not ok then return nil, reason(path) end
      job.job_path = path
      log("debug", "wrote " .. job.job_file)
    end
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
    resumed = fields.resumed or false,
    edited = job.edited or false,
  }
end

local function outcome_text(result)
  if result.resumed then
    local text = "done by an earlier run"
    if result.rows then text = text .. ", " .. batch.format_count(result.rows) .. " rows" end
    return text .. " (--resume)"
  end
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
  -- the legal units of the batch's niches, read once from --units (see docs/run-profile.md)
  "^units%-%x+%.parquet$", "^%.units%-%x+%.parquet%.tmp%-%d+%-%x+$",
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

--- The options of run_job for a job of the batch writing into `out`. --max-ram-mb is the batch's
--- budget: each of the --parallel jobs gets an equal share.
function batch.run_options(opts, out, runner, input_cache)
  local max_ram_mb = opts.max_ram_mb
  if max_ram_mb and (opts.parallel or 1) > 1 then max_ram_mb = math.max(1, max_ram_mb // opts.parallel) end
  return {
    input = opts.input, out = out, profile = opts.profile, sample = opts.sample,
    workers = opts.workers, max_ram_mb = max_ram_mb, verbose = opts.verbose,
    timeout = opts.timeout, runner = runner, input_cache = input_cache, units = opts.units,
    offline = opts.offline,
  }
end

--- Whether the outputs of `job` in its output directory are complete and were made from the same
--- job file, input, profile and --sample (--resume): the manifest.json that run-profile writes last
--- says so, and every output it lists is there at its size. Returns the manifest, or nil and why not.
function batch.completed_output(job, opts)
  local path = builder.fs.join(job.output_dir, "manifest.json")
  if not builder.fs.is_file(path) or builder.fs.is_link(path) then return nil, "no manifest.json" end
  local read, text = pcall(builder.fs.read, path)
  local decoded, manifest = pcall(builder.json.decode, read and text or "")
  if not read or not decoded or type(manifest) ~= "table" then return nil, "its manifest.json cannot be read" end
  if manifest.status ~= "success" then return nil, "its last run did not succeed" end
  local job_hash = type(manifest.job) == "table" and manifest.job.sha256
  local ok, job_text = pcall(builder.fs.read, job.job_path or job.job_file)
  if not job_hash or not ok or job_hash ~= builder.sha256(job_text) then return nil, "the job file changed" end
  local input, stat = manifest.input, builder.fs.stat(builder.fs.absolute(opts.input))
  local fingerprint = type(input) == "table" and input.fingerprint
  if type(fingerprint) ~= "table" or not stat or fingerprint.path ~= builder.fs.absolute(opts.input)
      or fingerprint.size ~= stat.size or fingerprint.modified_ns ~= stat.modified_ns then
    return nil, "the input changed"
  end
  local options, job_spec = manifest.options or {}, manifest.job
  if (options.sample or false) ~= (opts.sample or false)
      or (opts.profile and job_spec.profile ~= opts.profile) or (not opts.profile and job_spec.profile_overridden) then
    return nil, "the profile or --sample changed"
  end
  for name, output in pairs(manifest.outputs or {}) do
    if type(output) == "table" and output.path and output.bytes then
      local file = builder.fs.stat(builder.fs.join(job.output_dir, output.path))
      if not file or file.kind ~= "file" or file.size ~= output.bytes then return nil, name .. " is missing or changed" end
    end
  end
  return manifest
end

--- Seconds between the plain progress lines of a running job off a terminal.
batch.progress_interval = 5

-- How the batch shows its progress on standard error.
local Progress = {}
Progress.__index = Progress

--- The progress of a batch of `total` jobs: `[i/N] niche ...` when a job starts and its result when
--- it ends (log lines, also in batch.jsonl); on a terminal (builder.is_terminal) a live line per
--- running job and one for the batch, redrawn in place (builder.status); elsewhere a line every
--- `interval` seconds per running job. NO_COLOR (any value but empty) turns the styling off;
--- --quiet turns the live lines off (and the log shows only warnings and errors).
function batch.progress(opts, total)
  local no_color = os.getenv("NO_COLOR")
  return setmetatable({
    total = total, live = builder.is_terminal() and not opts.quiet, quiet = opts.quiet,
    color = no_color == nil or no_color == "", interval = batch.progress_interval, started = builder.now(),
    running = {}, done = 0, failed = 0,
  }, Progress)
end

local function prefix(index, total, job)
  return string.format("[%d/%d] %s", index, total, job.niche)
end

function Progress:start(index, job)
  self.running[index] = {job = job, started = builder.now(), next_line = builder.now() + self.interval}
  log("info", prefix(index, self.total, job) .. " ...", {niche = job.niche, naf_code = job.code, status = "RUNNING"})
end

function Progress:finish(index, job, entry)
  self.running[index] = nil
  self.done = self.done + 1
  if entry.status ~= "SUCCESS" and entry.status ~= "SKIPPED" then self.failed = self.failed + 1 end
  -- The live lines without this job first: the result line is printed above them.
  self:draw()
  log("info", prefix(index, self.total, job) .. " ... " .. outcome_text(entry), {
    niche = job.niche, naf_code = job.code, status = entry.status, duration = entry.duration,
    exit_code = entry.exit_code, rows = entry.rows, error = entry.error, log_file = entry.log_file,
    resumed = entry.resumed or nil,
  })
end

--- Forgets a running job without a result: it will start again (a shared scan over its memory
--- limit runs its jobs again, one scan each).
function Progress:release(index)
  self.running[index] = nil
  if self.shared then self.shared.members[index] = nil end
  self:draw()
end

--- "16 s", "2 min 05 s", "1 h 02 min": a time left.
function batch.format_eta(seconds)
  local whole = math.floor(seconds + 0.5)
  if whole < 60 then return string.format("%d s", whole) end
  if whole < 3600 then return string.format("%d min %02d s", whole // 60, whole % 60) end
  return string.format("%d h %02d min", whole // 3600, whole % 3600 // 60)
end

--- "1 200 000/5 000 000 rows read (24%), 3 400 kept, ETA 16 s, 240 000 rows/s", or the time it
--- has run when the job reports no progress.
function Progress:figures(state)
  local elapsed = builder.now() - state.started
  local progress = state.progress
  if not progress then return "running for " .. batch.format_duration(elapsed) end
  local text = batch.format_count(progress.rows_read)
  if progress.rows_total and progress.rows_total > 0 then
    text = string.format("%s/%s rows read (%d%%)", text, batch.format_count(progress.rows_total),
      math.floor(100 * progress.rows_read / progress.rows_total))
  else
    text = text .. " rows read"
  end
  text = text .. ", " .. batch.format_count(progress.rows_kept) .. " kept"
  local rate = elapsed > 0 and progress.rows_read / elapsed or 0
  if rate >= 1 then
    -- The time left first: a live line cut to the terminal's width keeps it.
    if progress.rows_total and progress.rows_total >= progress.rows_read then
      text = text .. ", ETA " .. batch.format_eta((progress.rows_total - progress.rows_read) / rate)
    end
    text = text .. ", " .. batch.format_count(math.floor(rate)) .. " rows/s"
  end
  return text
end

--- The jobs of the shared scan (`indexes`) are shown as one: one progress line for all of them.
function Progress:share(indexes)
  self.shared = {count = #indexes, members = {}, started = builder.now(), next_line = builder.now() + self.interval}
  for _, index in ipairs(indexes) do self.shared.members[index] = true end
end

-- The shared scan's state for `figures`: the rows it read (its jobs read the same rows) and the
-- rows its running jobs kept; nil when none of its jobs runs.
function Progress:shared_state()
  if not self.shared then return nil end
  local read, total, kept, any = 0, nil, 0, false
  for index, state in pairs(self.running) do
    if self.shared.members[index] then
      any = true
      local progress = state.progress
      if progress then
        read = math.max(read, progress.rows_read)
        total = total or progress.rows_total
        kept = kept + progress.rows_kept
      end
    end
  end
  if not any then return nil end
  local progress = read > 0 and {rows_read = read, rows_total = total, rows_kept = kept} or nil
  return {started = self.shared.started, progress = progress}
end

--- Takes the latest progress of the running jobs (`progress_of(state)` gives it) and shows it.
function Progress:update(progress_of)
  local now = builder.now()
  for index, state in pairs(self.running) do
    state.progress = progress_of(state) or state.progress
    local shared = self.shared and self.shared.members[index]
    if not shared and not self.live and not self.quiet and now >= state.next_line then
      state.next_line = now + self.interval
      log("info", prefix(index, self.total, state.job) .. ": " .. self:figures(state),
        {niche = state.job.niche, status = "RUNNING", progress = state.progress})
    end
  end
  local scan = self:shared_state()
  if scan and not self.live and not self.quiet and now >= self.shared.next_line then
    self.shared.next_line = now + self.interval
    log("info", "scan of " .. self.shared.count .. " jobs: " .. self:figures(scan),
      {status = "RUNNING", jobs = self.shared.count, progress = scan.progress})
  end
  self:draw()
end

function Progress:draw()
  if not self.live then return end
  local indexes = {}
  for index in pairs(self.running) do indexes[#indexes + 1] = index end
  table.sort(indexes)
  local bold, plain = "", ""
  if self.color then bold, plain = "\27[1m", "\27[0m" end
  local lines = {}
  local scan = self:shared_state()
  if scan then
    lines[#lines + 1] = string.format("  %sscan of %d jobs%s %s", bold, self.shared.count, plain, self:figures(scan))
  end
  for _, index in ipairs(indexes) do
    local state = self.running[index]
    if not (self.shared and self.shared.members[index]) then
      lines[#lines + 1] = string.format("  %s%s%s %s", bold, prefix(index, self.total, state.job), plain, self:figures(state))
    end
  end
  lines[#lines + 1] = string.format("  batch: %d of %d done%s, %d running, %s", self.done, self.total,
    self.failed > 0 and (" (" .. self.failed .. " failed)") or "", #indexes,
    batch.format_duration(builder.now() - self.started))
  builder.status(lines)
end

function Progress:close()
  if self.live then builder.status({}) end
end

--- The jobs of the plan that run in one scan of the input (`builder.start_job_group`): with the
--- default runner, no hooks.run_job and no --scan-per-job, those of the nomenclature most jobs use,
--- when they are two or more. Returns the set of their indexes, or nil.
function batch.shared_scan(plan, opts, hooks)
  if opts.dry_run or opts.scan_per_job or plan.runner or hooks.run_job or #plan.jobs < 2 then return nil end
  local groups, order = {}, {}
  for index, job in ipairs(plan.jobs) do
    local ok, doc = pcall(builder.yaml.decode, job.text)
    if not ok or type(doc) ~= "table" then return nil end
    local nomenclature = type(doc.filters) == "table" and doc.filters.naf_nomenclature or "NAFRev2"
    if not groups[nomenclature] then groups[nomenclature], order[#order + 1] = {}, nomenclature end
    table.insert(groups[nomenclature], index)
  end
  local chosen
  for _, name in ipairs(order) do
    if not chosen or #groups[name] > #groups[chosen] then chosen = name end
  end
  if #groups[chosen] < 2 then return nil end
  local set = {}
  for _, index in ipairs(groups[chosen]) do set[index] = true end
  return set
end

--- The start of the error of a run stopped by its memory limit (run-profile's message:
--- `JobRun.memoryLimitExceeded`).
batch.MEMORY_LIMIT_ERROR = "memory limit exceeded"

--- Whether a job's result is a run stopped by its memory limit.
function batch.over_memory_limit(result)
  return not result.ok and type(result.error) == "string"
    and result.error:sub(1, #batch.MEMORY_LIMIT_ERROR) == batch.MEMORY_LIMIT_ERROR
end

--- Runs the planned jobs, up to --parallel at once (hooks.run_job: one at a time), and with
--- --resume skips those whose outputs are complete. Returns the result entries, one per job in
--- the plan's order whatever the order they ended in.
function batch.execute(plan, opts, hooks)
  hooks = hooks or {}
  local shared = batch.shared_scan(plan, opts, hooks)
  local input_cache = not shared and batch.prepare_input_cache(plan, opts) or nil
  local total = #plan.jobs
  local view = batch.progress(opts, total)
  local parallel = hooks.run_job and 1 or (opts.parallel or 1)
  local results, stop_reason = {}, nil
  -- `cache_ended`: the jobs ended since the input cache was made (the first builds it, alone).
  local running, running_count, cache_ended = {}, 0, 0

  local function finish(index, result)
    local job = plan.jobs[index]
    local entry = result_entry(job, result.status, result)
    results[index] = entry
    if input_cache then cache_ended = cache_ended + 1 end
    if result.command then log("debug", prefix(index, total, job) .. ": command: " .. table.concat(result.command, " ")) end
    view:finish(index, job, entry)
    if builder.interrupted() then
      stop_reason = "not run: interrupted"
    elseif not result.ok and not opts.continue_on_error then
      stop_reason = stop_reason or ("not run: " .. job.niche .. " failed")
    end
  end

  -- --resume: whether the job's outputs are complete (it is then done).
  local function resumed(index)
    if not opts.resume then return false end
    local job = plan.jobs[index]
    local manifest, why = batch.completed_output(job, opts)
    if manifest then
      results[index] = result_entry(job, "SUCCESS", {rows = math.tointeger(manifest.rows), resumed = true})
      view:finish(index, job, results[index])
      return true
    end
    log("info", prefix(index, total, job) .. ": run again: " .. why, {niche = job.niche, resume = why})
    return false
  end

  local function start(index)
    local job = plan.jobs[index]
    if resumed(index) then return end
    log("debug", prefix(index, total, job) .. ": running " .. job.job_file .. " into " .. job.output_dir)
    view:start(index, job)
    local run_opts = batch.run_options(opts, job.output_dir, plan.runner, input_cache)
    if hooks.run_job then
      finish(index, hooks.run_job(job.job_path, run_opts, job))
    else
      local id = builder.start_job(job.job_path, run_opts)
      running[id], running_count = {index = index, job = job}, running_count + 1
      view.running[index].id = id
    end
  end

  -- The shared scan first: its jobs start together and end together.
  if shared then
    local members, indexes = {}, {}
    for index = 1, total do
      if shared[index] and not resumed(index) then
        members[#members + 1] = {job_path = plan.jobs[index].job_path, out = plan.jobs[index].output_dir}
        indexes[#indexes + 1] = index
      end
    end
    if #members >= 2 then
      local run_opts = batch.run_options(opts, nil, plan.runner, nil)
      run_opts.max_ram_mb = opts.max_ram_mb -- the only process of the batch while it runs (see below)
      run_opts.log_file = builder.fs.join(opts.output_dir, "logs", "shared-scan.log")
      log("debug", "one scan of the input for " .. #members .. " jobs, its output in " .. run_opts.log_file)
      local ids = builder.start_job_group(members, run_opts)
      view:share(indexes)
      for position, index in ipairs(indexes) do
        local job = plan.jobs[index]
        log("debug", prefix(index, total, job) .. ": running " .. job.job_file .. " into " .. job.output_dir)
        view:start(index, job)
        running[ids[position]], running_count = {index = index, job = job}, running_count + 1
        view.running[index].id = ids[position]
      end
    elseif #members == 1 then
      shared[indexes[1]] = nil
    end
  end

  local next_index = 1
  while true do
    -- The job that builds the shared input cache runs alone: the others then read the cache. The
    -- shared scan runs alone too (it has the batch's whole memory budget): the other jobs after it.
    local slots = (input_cache and cache_ended == 0) and 1 or parallel
    if shared then
      for index in pairs(shared) do
        if not results[index] and next_index <= total then slots = 0 end
      end
    end
    while not stop_reason and next_index <= total and running_count < slots do
      if builder.interrupted() then stop_reason = "not run: interrupted" break end
      if not (shared and shared[next_index]) then start(next_index) end
      next_index = next_index + 1
    end
    if running_count == 0 and (stop_reason or next_index > total) then break end
    local over_limit = 0
    for _, ended in ipairs(builder.wait_jobs(0.2)) do
      local entry = running[ended.id]
      running[ended.id], running_count = nil, running_count - 1
      if shared and shared[entry.index] and batch.over_memory_limit(ended.result) then
        -- The shared scan holds every job's keys and exports at once: past the memory limit, its
        -- jobs run again one scan each (as --scan-per-job), each within the limit.
        shared[entry.index] = nil
        view:release(entry.index)
        over_limit = over_limit + 1
      else
        finish(entry.index, ended.result)
      end
    end
    if over_limit > 0 then
      log("warn", "the shared scan passed its memory limit: " .. over_limit .. " job" .. (over_limit == 1 and "" or "s")
        .. " run again, one scan each (as with --scan-per-job)", {status = "RETRY", jobs = over_limit})
      input_cache = input_cache or batch.prepare_input_cache(plan, opts)
    end
    view:update(function(state) return state.id and builder.job_progress(state.id) end)
  end
  for index = next_index, total do
    if not results[index] then
      local job = plan.jobs[index]
      results[index] = result_entry(job, "SKIPPED", {error = stop_reason})
      log("info", prefix(index, total, job) .. " ... SKIPPED", {niche = job.niche, status = "SKIPPED"})
    end
  end
  view:close()
  batch.remove_input_cache(input_cache)
  return results
end

--- --merge: the datasets of the niches that succeeded, in one (`builder.merge_datasets`) in
--- `<output-dir>/all/`, and the establishments each pair shares (`builder.report.overlaps`, as the
--- batch report counts them). Adds `merged` ({dir, rows, files} or {error}) and `overlaps` ({first,
--- second, shared}, most shared first) to the summary. A merge that fails is a warning.
function batch.merge(summary, opts)
  local niches = {}
  for _, result in ipairs(summary.results) do
    if result.status == "SUCCESS" then niches[#niches + 1] = {niche = result.niche, dir = result.output_dir} end
  end
  if #niches == 0 then return end
  local dir = builder.fs.join(opts.output_dir, batch.MERGED_DIR)
  local ok, merged = pcall(builder.merge_datasets, dir, niches)
  if ok then
    summary.merged = {dir = builder.fs.absolute(dir), rows = merged.rows, files = merged.files}
    log("info", string.format("merged %d niche%s into %s: %s rows", #niches, #niches == 1 and "" or "s",
      display_path(builder.fs.absolute(dir)), batch.format_count(merged.rows)), {merged = summary.merged})
  else
    summary.merged = {error = reason(merged)}
    log("warn", "the niches were not merged: " .. reason(merged))
  end
  local overlaps = builder.report.overlaps(niches)
  summary.overlaps = overlaps or builder.json.null
  for _, overlap in ipairs(overlaps or {}) do
    log("info", string.format("%s and %s share %s establishment%s", overlap.first, overlap.second,
      batch.format_count(overlap.shared), overlap.shared == 1 and "" or "s"), {overlap = overlap})
  end
end

--- The --json summary table (JSON nulls for absent values).
function batch.summary(results, opts, started)
  local counts = {SUCCESS = 0, SKIPPED = 0, failed = 0, resumed = 0}
  local entries = {}
  for index, result in ipairs(results) do
    if result.status == "SUCCESS" or result.status == "SKIPPED" then
      counts[result.status] = counts[result.status] + 1
    else
      counts.failed = counts.failed + 1
    end
    if result.resumed then counts.resumed = counts.resumed + 1 end
    local null = builder.json.null
    entries[index] = {
      naf_code = result.naf_code, niche = result.niche, job_file = result.job_file,
      output_dir = result.output_dir, status = result.status, duration = result.duration,
      exit_code = result.exit_code or null, rows = result.rows or null, resumed = result.resumed or false,
      edited = result.edited or false, error = result.error or null,
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
    resumed_jobs = counts.resumed,
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
    if summary.resumed_jobs > 0 then
      text = text .. string.format(" (%d done by an earlier run, --resume)", summary.resumed_jobs)
    end
    if summary.status == "INTERRUPTED" then text = text .. " (interrupted)" end
    log("info", text, {
      status = summary.status, total_jobs = summary.total_jobs, successful_jobs = summary.successful_jobs,
      failed_jobs = summary.failed_jobs, skipped_jobs = summary.skipped_jobs, resumed_jobs = summary.resumed_jobs,
      elapsed = summary.elapsed,
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
--- files, run them (or list them for a dry run), report, unlock. Returns the exit status (0, 1, 2,
--- or 128 + signal when interrupted) and the summary with its `results` (one per job, in the
--- order of the codes), nil when nothing ran (bad usage, output directory in use).
function batch.run(opts, hooks)
  hooks = hooks or {}
  local program = hooks.program or batch.spec.program
  local started = builder.now()
  if opts.verbose then builder.set_log_level("debug") end
  if opts.quiet then builder.set_log_level("warn") end

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
  local status, summary = batch.run_locked(plan, opts, hooks, started)
  if not opts.dry_run then builder.fs.unlock(opts.output_dir) end
  return status, summary
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
    local summary = batch.summary(results, opts, started)
    report(summary, plan, opts)
    return 0, summary
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
  if opts.merge and not builder.interrupted() then batch.merge(summary, opts) end
  -- Before the summary line, which stays the log's last event.
  batch.write_report(summary, opts, program)
  report(summary, plan, opts)

  local signal = builder.interrupted()
  if signal then return 128 + signal, summary end
  if summary.failed_jobs > 0 and not opts.continue_on_error then return 1, summary end
  return 0, summary
end

--- `builder batch ARGS`: parse the options (exit 2 on a usage error), run, return the status.
function batch.main(argv)
  return (batch.run(builder.parse_args(batch.spec, argv)))
end

-- Run as a script (`builder batch`, `builder script batch.lua`), or be a module (`require`).
if ... ~= nil then return batch end
os.exit(batch.main(builder.args))
