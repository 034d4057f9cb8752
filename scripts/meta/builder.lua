---@meta builder

-- Editor support for builder's Lua API (README, Lua pipelines), for the Lua language server (LuaLS).
-- Point your editor at this directory, for instance in .luarc.json:
--   {"runtime.version": "Lua 5.4", "workspace.library": ["<builder checkout>/scripts/meta"]}
--
-- Conventions: misuse raises (wrong argument types, unknown option keys, a file that cannot be
-- written) with a message `file:line: builder.fs.read: problem`, catchable with pcall; outcomes a
-- pipeline is expected to handle are returned (a failed job is a result table; is_valid and
-- validate_job return false and the reason).
-- `os.exit(code)` ends the script through the host (0 for true or no code, 1 for false): the exit
-- status is the code, and a pcall cannot stop it; in a finalizer (`__gc`) too, even one run when
-- the script has ended (unless the script called os.exit itself).

---@alias builder.LogLevel "debug"|"info"|"warn"|"error"

---@alias builder.JobStatus "SUCCESS"|"FAILED"|"TIMEOUT"|"ERROR"

---@alias builder.Profile "quick"|"standard"|"deep"

---@alias builder.NAFLevel "division"|"group"|"class"|"subclass"

---@alias builder.NAFNomenclature "NAFRev2"|"NAF2025"

---@alias builder.OptionType "string"|"integer"|"number"|"boolean"

---The `builder` table, also `require("builder")`.
---@class builderlib
---@field args string[] The script's arguments (after `--`); `arg` holds them too, with `arg[0]` the script.
---@field version string builder's version.
---@field embedded table<string, string> The embedded scripts and templates by file name (`batch.lua`, `job_template.yaml`).
---@field runner_placeholders string[] The placeholders of a `runner` command, in order: `job`, `input`, `out`, `profile`, `sample`, `workers`, `max_ram_mb`.
---@field limits builder.OptionLimit[] The ranges of the numeric run options (`sample`, `workers`, `max_ram_mb`, `timeout`), the very ones `run_job` and `builder run-profile` apply; `batch.lua` checks its options with them.
---@field naf builder.naf
---@field fs builder.fs
---@field json builder.json
---@field yaml builder.yaml
---@field report builder.report
builder = {}

---A numeric option's range: `value >= min and (max == nil or value <= max)`; otherwise the
---problem is `text .. ", got " .. value` (`must be between 1 and 256, got 300`).
---@class builder.OptionLimit
---@field name string The option's key in `run_job`'s table (`max_ram_mb`; on a command line `--max-ram-mb`).
---@field min number
---@field max? number
---@field unit? string `seconds` for `timeout`.
---@field text string `must be at least 1`, `must be between 1 and 256`.

---@class builder.naf
builder.naf = {}

---@class builder.fs
builder.fs = {}

---@class builder.json
---@field null string Encodes as JSON null (a table cannot hold nil): `{rows = x or builder.json.null}`. Also null for yaml.encode.
builder.json = {}

---@class builder.yaml
builder.yaml = {}

---@class builder.report
builder.report = {}

-- Templates and jobs -------------------------------------------------------------------------

---@class builder.RenderOptions
---@field source? string The template's name in error messages (its file name).
---@field yaml? boolean Default true: YAML-aware escaping (a value can never change the document's structure) and the result must parse. false: plain text substitution.

---A job as a table (docs/job-file.md). Unknown sections are kept for the steps that read them.
---@class builder.Job
---@field niche string
---@field filters builder.JobFilters
---@field profile builder.Profile
---@field output? {dir?: string, lang?: string}
---@field dedupe? {keys?: string[], fuzzy?: boolean}
---@field scoring? {weights?: table<string, number>}
---@field kpi_targets? {min_quality_score?: number, max_dup_pct?: number}
---@field budgets? {time_budget_min?: number, ram_mb?: integer}
---@field retention_days? integer

---@class builder.JobFilters
---@field naf_include string[] Codes at any level, prefix semantics by level.
---@field naf_exclude? string[]
---@field naf_nomenclature? builder.NAFNomenclature Default NAFRev2.
---@field active_only? boolean Default true.
---@field regions? string[] Department codes or postal-code prefixes.

---Renders a job template (docs/job-file.md, Templates): `{name}` placeholders from `vars`, `{{` and `}}` for
---literal braces, any other `{` left as it is. An unknown placeholder raises, naming it and its
---line; so does a result that is not valid YAML or does not keep the template's structure.
---@param text string The template.
---@param vars table<string, string|number|boolean> Strings stay strings, numbers and booleans are written plainly.
---@param opts? builder.RenderOptions
---@return string rendered
function builder.render_template(text, vars, opts) end
render_template = builder.render_template

---Checks a job as a run checks it before reading the input (the job file format of
---docs/job-file.md, plus `dedupe.keys` being output columns and `scoring.weights` naming score
---components), without writing anything: a job a run would refuse is refused with the run's message.
---@param job string|builder.Job YAML text or a table.
---@param source? string Name for the message (a file name).
---@return boolean valid
---@return string? reason `source: field 'filters.naf_include': ...` when not valid.
function builder.validate_job(job, source) end

---Writes a job file: validates it as `validate_job` does (raises naming the field when invalid, writing nothing), writes
---atomically (temporary file + rename), creates the parent directories. YAML text is written as it
---is; a table is written as YAML in the job-file order. A symbolic link at `path` is replaced by the
---file, never written through; a directory, FIFO or device there raises.
---@param path string
---@param job string|builder.Job
---@return string absolute_path
function builder.write_job(path, job) end
write_job = builder.write_job

---@class builder.RunJobOptions
---@field out string Required: the job's output directory; the child's output goes to `<out>/logs/runner.log`.
---@field input? string The SIRENE file.
---@field profile? builder.Profile
---@field sample? integer At least 1.
---@field workers? integer 1 to 256 (`builder.limits`).
---@field max_ram_mb? integer At least 1.
---@field units? string INSEE's legal units (StockUniteLegale) for `enrich.legal_unit` (`run-profile --units`); not passed to a `runner`.
---@field input_cache? string A directory where the jobs of a batch share a pre-filtered copy of the input (`run-profile --input-cache`); its `filter.json` names the codes it keeps. Ignored by `runner`.
---@field offline? boolean Passes --offline: the web steps of the standard and deep profiles answer from the HTTP cache only. Not passed to a `runner`.
---@field verbose? boolean Passes --verbose to the runner.
---@field timeout? number Seconds, 0.001 to 999999999 (`builder.limits`), default 3600; then TERM, KILL after a grace period, status TIMEOUT.
---@field runner? string[] Another command, e.g. `{"python3", "cli.py", "run-profile", "--job", "{job}", "--out", "{out}"}`: `{job} {input} {out} {profile} {sample} {workers} {max_ram_mb}` are substituted, `{{` and `}}` are literal braces, any other `{name}` is an error (`${NAME}` is left as it is), nothing is appended. Default: this builder's `run-profile --job --input --out --profile --sample --workers --max-ram-mb --input-cache --verbose`.

---@class builder.JobResult
---@field ok boolean status == "SUCCESS".
---@field status builder.JobStatus FAILED: non-zero exit, killed, or interrupted (Ctrl-C); ERROR: could not start.
---@field exit_code? integer
---@field duration number Seconds.
---@field rows? integer Top-level "rows" of `<out>/manifest.json` when the run wrote it (one that is not an integer of 0 or more makes the job FAILED).
---@field output_dir string Absolute.
---@field log_file string Absolute path of `<out>/logs/runner.log`.
---@field error? string Why it did not succeed: the log's last line, "timed out after 5 s", "interrupted", ...
---@field command string[] The command that was run.

---Runs a job as a child process and waits for it. A job that fails is a result (`ok == false`),
---not an error; misuse (unknown option, missing `out`, missing job file) raises. After Ctrl-C the
---running job is stopped and returned as FAILED "interrupted", and later calls return at once.
---@param job_path string
---@param opts builder.RunJobOptions
---@return builder.JobResult
function builder.run_job(job_path, opts) end
run_job = builder.run_job

---Starts a job as `run_job` does, without waiting: collect its result with `wait_jobs`. Misuse raises
---as with `run_job`. Jobs started together run at once (`builder batch --parallel`); Ctrl-C stops them all.
---@param job_path string
---@param opts builder.RunJobOptions
---@return integer id
function builder.start_job(job_path, opts) end

---@class builder.GroupJob
---@field job_path string The job file.
---@field out string Its output directory.

---@class builder.GroupOptions: builder.RunJobOptions
---@field log_file string Where the shared run's output goes; each job's `<out>/logs/runner.log` names it and gets its own lines.

---Starts several jobs as one `builder run-profile` that reads the input once for all of them (each
---job still writes its own outputs, manifest and log, and succeeds or fails on its own); `opts` are
---`run_job`'s (without `out`, which each job has; no `runner`, no `input_cache`) plus `log_file`.
---Returns an id per job, in order: collect their results with `wait_jobs` (they end together) and
---read their progress with `job_progress`. The timeout counts per job (n jobs: n times `timeout`).
---A job whose log cannot be written is not run (status ERROR), as with `run_job`.
---@param jobs builder.GroupJob[]
---@param opts builder.GroupOptions
---@return integer[] ids
function builder.start_job_group(jobs, opts) end

---@class builder.EndedJob
---@field id integer The id `start_job` returned.
---@field result builder.JobResult

---The jobs of `start_job` that ended since the last call, in the order they ended; waits at most
---`seconds` for one when none has (returns at once when none is running).
---@param seconds number
---@return builder.EndedJob[]
function builder.wait_jobs(seconds) end

---@class builder.JobProgress
---@field rows_read integer Rows of the input read so far.
---@field rows_total? integer Rows of the input in all, when known (a Parquet input).
---@field rows_kept integer Rows kept so far.

---The latest progress a running job reported (`run-profile` every half second; any runner may, by
---appending JSON lines to the file named by `BUILDER_PROGRESS_FILE`: docs/run-profile.md), nil before
---its first report or once it has ended.
---@param id integer
---@return builder.JobProgress?
function builder.job_progress(id) end

---@class builder.RunnerProblem
---@field kind "empty"|"unknown"|"unset" No program; `{name}`s that are not placeholders; a placeholder whose option is not set.
---@field placeholders string[] The unknown names (all of them), or the one whose option is not set.
---@field argument? string The argument holding the first of them.

---Checks a `runner` command (`builder.RunJobOptions.runner`) by run_job's rules without running
---anything: unknown placeholders, then (when `opts` is given) a placeholder whose option is not in
---`opts` (`{job}` and `{out}` always have a value).
---@param argv string[]
---@param opts? builder.RunJobOptions The options it will run with (only which are set matters; `out` may be left out).
---@return boolean ok
---@return string? reason run_job's message when not ok.
---@return builder.RunnerProblem? problem What is wrong, for a message of your own (batch.lua words it for its options).
function builder.check_runner(argv, opts) end

-- Logging ------------------------------------------------------------------------------------

---Logs an event: a human line on standard error (`message` for info, `warning: `, `error: ` and
---`debug: ` prefixes otherwise; debug only after `set_log_level("debug")`), and a JSON line
---`{"time", "level", "message", "fields"}` in the log file once `open_log` was called (every level).
---@param level builder.LogLevel
---@param message string
---@param fields? table<string, any> Written to the JSON line only; NaN and infinities as the strings "nan", "inf", "-inf".
function builder.log(level, message, fields) end
log = builder.log

---Opens the run's JSON-lines log (appending; parent directories created), closing the previous one.
---Only a regular file is appended to: a symbolic link, a FIFO or a device at `path` raises. Each
---event is written whole or not at all (a full disk ends the logging, never in the middle of a line).
---`batch.lua` opens `<output-dir>/batch.jsonl` once everything is validated (not for a dry run).
---@param path string
---@return string absolute_path
function builder.open_log(path) end

---The least severe level shown on standard error (default "info"; "debug" for --verbose).
---@param level builder.LogLevel
function builder.set_log_level(level) end

---Live lines kept below the log on a terminal and redrawn in place at each call (each cut to the
---terminal's width); log lines are printed above them. Nothing is shown off a terminal. An empty
---list (or nil) removes them.
---@param lines? string[]
function builder.status(lines) end

---Whether standard error is a terminal (and `TERM` is set and not `dumb`): where `builder.status` draws.
---@return boolean
function builder.is_terminal() end

-- Command line -------------------------------------------------------------------------------

---@class builder.ArgumentSpec
---@field program? string Name in the usage line and messages (default: how the script was run).
---@field description? string Printed under the usage line.
---@field epilog? string Printed after the options (examples).
---@field options? builder.OptionSpec[]
---@field positionals? builder.PositionalSpec[]

---@class builder.OptionSpec
---@field name string `output-dir` is `--output-dir` and the result key `output_dir`.
---@field short? string One letter: `-v`.
---@field type? builder.OptionType Default "string"; "boolean" is a flag taking no value (false when absent).
---@field repeatable? boolean The result is a list (empty when absent).
---@field required? boolean
---@field default? any
---@field choices? any[]
---@field help? string
---@field metavar? string The value's name in the help (`--input FILE`).

---@class builder.PositionalSpec
---@field name string
---@field required? boolean Default true.
---@field repeatable? boolean Only the last one; the result is a list.
---@field help? string
---@field metavar? string

---Parses command-line options declared in `spec`. `-h`/`--help` prints the generated help on
---standard output and ends the script with status 0; a usage error (unknown option with a
---suggestion, missing required option, bad value) prints `program: problem` on standard error and
---ends it with status 2. A mistake in `spec` raises.
---@param spec builder.ArgumentSpec
---@param argv? string[] Default `builder.args`.
---@return table<string, any> values Keyed by option name with `-` as `_`.
function builder.parse_args(spec, argv) end

---Reports bad usage the script found itself, worded as `parse_args` words its own: prints
---`program: message` and `Run 'program --help' for usage.` on standard error. Ends nothing.
---@param program string The command as the user runs it (`builder batch`).
---@param message string
---@return integer status 2, the usage exit status: `os.exit(builder.usage_error(program, why))`.
function builder.usage_error(program, message) end

-- NAF codes ----------------------------------------------------------------------------------
-- Codes: division `43`, group `43.2`/`432`, class `43.29`/`4329`, subclass `43.29A`/`4329A`, any
-- case, dots and spaces optional. A code must exist in INSEE's table of its nomenclature: a
-- subclass in the one its letter names, a code without a letter in NAF rév. 2 (or in `nomenclature`
-- where a function takes it). NAF 2025 has no table in this build: its codes are checked for their
-- form only. Every function but is_valid raises on a code that does not parse or does not exist.

---@param code string
---@param nomenclature? builder.NAFNomenclature For codes without a letter; default NAFRev2.
---@return boolean valid
---@return string? reason `"69.2Z9" is not a NAF code (...)`, or `"6920A" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables`.
function builder.naf.is_valid(code, nomenclature) end

---@param code string
---@param nomenclature? builder.NAFNomenclature For codes without a letter; default NAFRev2.
---@return string compact `"43.29a"` -> `"4329A"`.
function builder.naf.normalize(code, nomenclature) end

---@param code string
---@return string niche `"69.20Z"` -> `"naf_6920Z"`.
function builder.naf.niche_name(code) end

---@param code string
---@return builder.NAFLevel
function builder.naf.level(code) end

---The nomenclature a subclass letter implies (A-F, Z: NAFRev2; G-L, Y: NAF2025); nil above the subclass level.
---@param code string
---@return builder.NAFNomenclature?
function builder.naf.nomenclature(code) end

---Whether a stock value (`"43.29A"`, as SIRENE writes it) falls under `code`, by prefix at the code's level.
---@param code string
---@param stock_value string
---@return boolean
function builder.naf.matches(code, stock_value) end

---@class builder.NAFEntry
---@field code string Compact: `"M"`, `"69"`, `"692"`, `"6920"`, `"6920Z"`.
---@field dotted string As INSEE writes it: `"69.20Z"`.
---@field level "section"|builder.NAFLevel
---@field label string INSEE's label.

---INSEE's label of a code or a section letter (`"M"`); nil for a NAF 2025 code (no table in this build).
---@param code string
---@param lang? "fr"|"en" Default fr; English where the table has it, French otherwise.
---@return string?
function builder.naf.label(code, lang) end

---The codes directly under `code` (a code or a section letter), or the 21 sections without one.
---@param code? string
---@return builder.NAFEntry[]
function builder.naf.children(code) end

---@class builder.NAFSearchOptions
---@field limit? integer At most this many results (1 to 10000); default 20.
---@field lang? "fr"|"en" Label language; default fr.
---@field nomenclature? builder.NAFNomenclature Default NAFRev2.

---Entries whose labels contain every word, accents and case ignored, best first (whole words, then
---word beginnings, then parts of words; shorter labels, then finer levels).
---@param words string
---@param opts? builder.NAFSearchOptions
---@return builder.NAFEntry[]
function builder.naf.search(words, opts) end

-- Files --------------------------------------------------------------------------------------
-- Failures raise with the path and the system's reason. Relative paths are relative to the
-- current directory.

---Reads a whole regular file, of at most 16 MiB (the limit of every file builder reads whole: job
---files, templates, scripts); a FIFO, a device or a larger file raises without reading it.
---@param path string
---@return string data The exact bytes.
function builder.fs.read(path) end

---@class builder.WriteOptions
---@field follow_links? boolean Default true: a symbolic link at `path` is written through. false: the link itself is replaced by the file (its target is never touched), as for the files builder makes for itself.

---Writes atomically (temporary file + rename), creating parent directories. Only a regular file
---is replaced, and it keeps its permissions; a symbolic link is written through (its target is
---replaced, the link stays) unless `opts.follow_links` is false; a directory, FIFO, device, socket
---or dangling link raises.
---@param path string
---@param data string
---@param opts? builder.WriteOptions
---@return string absolute_path
function builder.fs.write(path, data, opts) end

---@param path string
---@return boolean
function builder.fs.exists(path) end

---@param path string
---@return boolean
function builder.fs.is_dir(path) end

---A regular file (a symbolic link is followed): false for a directory, a FIFO, a device.
---@param path string
---@return boolean
function builder.fs.is_file(path) end

---The path itself is a symbolic link (dangling or not).
---@param path string
---@return boolean
function builder.fs.is_link(path) end

---@class builder.FileStat
---@field kind "file"|"directory"|"other"
---@field size integer Bytes.
---@field modified_ns integer Modification time, nanoseconds since 1970-01-01 UTC.

---What the path leads to (links followed), nil when nothing does.
---@param path string
---@return builder.FileStat?
function builder.fs.stat(path) end

---Creates a directory and its parents; an existing directory is fine.
---@param path string
---@return string absolute_path
function builder.fs.mkdir(path) end

---Whether `builder.fs.mkdir(path)` could create `path` and files could be written in it, leaving
---nothing behind: the path or its nearest existing ancestor is a directory where a hidden entry is
---really created and removed (permissions alone do not tell: root cannot write in /sys).
---@param path string
---@return boolean ok
---@return string? reason `cannot create directory PATH: REASON` when not.
function builder.fs.can_create_dir(path) end

---@param path string
---@return string[] names Sorted, without "." and "..".
function builder.fs.list(path) end

---Removes a file or an empty directory.
---@param path string
---@return boolean removed false when it did not exist.
function builder.fs.remove(path) end

---@param path string
---@return string directory `"a/b"` for `"a/b/c"`, `"."` for `"c"`.
function builder.fs.dirname(path) end

---@param path string
---@return string name `"c"` for `"a/b/c"`.
function builder.fs.basename(path) end

---Joins with "/"; an absolute part starts over.
---@param ... string
---@return string
function builder.fs.join(...) end

---@param path string
---@return string absolute_path
function builder.fs.absolute(path) end

---@class builder.LockOptions
---@field wait? boolean Wait while another process holds the lock (Ctrl-C ends the wait: false, "interrupted").

---Takes the exclusive lock of an existing directory (`flock` on `<dir>/.builder.lock`, which records
---this process), so that one run at a time writes there; held until `builder.fs.unlock(dir)` or the
---end of the script, then the lock file is removed. Child processes do not inherit it. `batch.lua`
---locks its `--output-dir`; each `run-profile` locks its `--out`.
---@param dir string
---@param opts? builder.LockOptions
---@return boolean locked true also when this script holds it already.
---@return string? reason `out is in use by another run (pid 4242: builder batch)` when not.
function builder.fs.lock(dir, opts) end

---Releases a lock taken with `builder.fs.lock`.
---@param dir string
---@return boolean released false when this script did not hold it.
function builder.fs.unlock(dir) end

-- JSON and YAML ------------------------------------------------------------------------------
-- Encoding: `{}` is an empty list, `builder.json.null` is null, map keys come in `opts.order` then
-- sorted, NaN and infinities raise. Decoding: null becomes nil; errors name the line and column.
-- Values nest at most 100 levels (tables within tables) both ways.

---@class builder.JSONEncodeOptions
---@field pretty? boolean Indented, one value per line.
---@field order? string[] Keys written first, in this order, at every level.

---@class builder.YAMLEncodeOptions
---@field order? string[] Keys written first, in this order, at every level.

---@param value any
---@param opts? builder.JSONEncodeOptions
---@return string
function builder.json.encode(value, opts) end

---@param text string
---@return any
function builder.json.decode(text) end

---@param value any
---@param opts? builder.YAMLEncodeOptions
---@return string
function builder.yaml.encode(value, opts) end

---@param text string
---@return any
function builder.yaml.decode(text) end

---The SHA-256 of the bytes of `text`, in lowercase hexadecimal.
---@param text string
---@return string
function builder.sha256(text) end

-- Time and interrupts ------------------------------------------------------------------------

---Sleeps, for back-off between retries; Ctrl-C cuts it short.
---@param seconds number
---@return boolean completed false when interrupted.
function builder.sleep(seconds) end

---@return number seconds Since 1970-01-01 UTC, with sub-second precision.
function builder.now() end

---After Ctrl-C (or SIGTERM) the running job is stopped and the script keeps running so that it can
---report; this tells it to wrap up.
---@return integer|false signal The signal received (2 for Ctrl-C, 15 for SIGTERM), or false.
function builder.interrupted() end

-- Reports ------------------------------------------------------------------------------------

---What `builder.report.batch` shows beside the results.
---@class builder.BatchReportInfo
---@field command? string[] The command line, word by word (`{"builder", "batch", "--naf", "43", ...}`).
---@field options? table<string, any> The batch's options (lists are shown joined with commas).
---@field lang? "fr"|"en" Default: the `output.lang` of the first niche that succeeded, else `fr`.

---Writes the batch's `report.html` at `path` (atomically; parent directory must exist): a row per
---niche (status, rows, KPIs read from its `manifest.json` when it succeeded, duration, link to its
---`report.html`), the establishments shared by pairs of niches (SIRETs of their `dataset.parquet`),
---the failures with their error, the command and the options. `batch.lua` calls it at the end of
---every run that is not a dry run.
---@param path string
---@param summary table The batch's summary (`batch.summary`): `status`, `elapsed`, `results` (each with `niche`, `naf_code`, `status`, `output_dir`, `duration`, `rows`, `error`).
---@param info? builder.BatchReportInfo
---@return string path The report's absolute path.
function builder.report.batch(path, summary, info) end

---@class builder.NicheOutput
---@field niche string The niche's name.
---@field dir string Its output directory.

---@class builder.Overlap
---@field first string
---@field second string
---@field shared integer Establishments (SIRETs) in the `dataset.parquet` of both.

---The pairs of niches sharing establishments, most shared first, counted exactly on the SIRETs of their
---`dataset.parquet` as the batch report counts them (pairs sharing none are left out); nil when the niches
---hold more than 10 million rows together.
---@param niches builder.NicheOutput[]
---@return builder.Overlap[]?
function builder.report.overlaps(niches) end

---@class builder.MergeResult
---@field rows integer Rows written (every niche's rows, once per niche).
---@field files string[] The files written, absolute.

---Writes `dir/dataset.parquet` and `dir/dataset.csv` (`builder batch --merge`): the niches' datasets one
---after the other, with a first column `niche`; a format is merged when every niche has its file. Raises
---when the niches' columns differ or a file cannot be read or written (a file is never left half-written).
---@param dir string
---@param niches builder.NicheOutput[]
---@return builder.MergeResult
function builder.merge_datasets(dir, niches) end
