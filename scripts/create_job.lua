-- create_job.lua: `builder create-job OUTPUT --naf CODE [--naf ...] [--template T] [--profile P] [--batch]`
-- (README, `builder create-job`): job files without running anything, through the same rendering and checks as
-- batch.lua (require("batch")).
--
-- Without --batch, OUTPUT is one job file covering every code given: one code gives the niche
-- naf_6920Z; several codes give one job whose filters.naf_include lists them all, niche
-- naf_6920Z_7022Z (the template is rendered for the first code and the nomenclature the subclass
-- letters imply, then naf_include is replaced by the full list, so the template's comments are not
-- kept; NAFRev2 and NAF2025 subclasses together are an error). With --batch, OUTPUT is a directory and each
-- code gets its own OUTPUT/<niche>.yaml, as `builder batch --dry-run` would write them.
-- The files written are listed on standard output, one per line.

local batch = require("batch")

local spec = {
  program = "builder create-job",
  description = "Generate job files from a template: one file at OUTPUT, or with --batch one file per code in\n"
    .. "the directory OUTPUT. Each job is checked as a run checks it (docs/job-file.md): nothing is\n"
    .. "written when a code, the template or a job is wrong.",
  positionals = {
    {name = "output", metavar = "OUTPUT", help = "The job file to write, or with --batch the directory."},
  },
  options = {
    {name = "naf", metavar = "CODE", repeatable = true, required = true,
     help = "NAF code: division 43, group 43.2, class 43.29 or subclass 43.29A (case, dots and spaces "
       .. "do not matter)."},
    {name = "template", metavar = "FILE",
     help = "Job template (default: the embedded job_template.yaml)."},
    {name = "profile", metavar = "NAME", choices = {"quick", "standard", "deep"}, default = "quick",
     help = "The job's profile."},
    {name = "batch", type = "boolean", help = "One file per code, OUTPUT/<niche>.yaml."},
  },
  epilog = [[
Examples:
  builder create-job jobs/experts_comptables.yaml --naf 6920Z
  builder create-job jobs_generated --naf 6920Z --naf 43.29A --batch]],
}

local opts = builder.parse_args(spec)

local function fail(message)
  os.exit(builder.usage_error(spec.program, message))
end

local codes, dropped = batch.normalize_codes(opts.naf)
if not codes then fail(dropped) end
if opts.output == "" then fail("OUTPUT is empty") end
local template, template_name = batch.load_template(opts.template)
if not template then fail(template_name) end

-- Every file is rendered and validated before the first one is written.
local files = {}
if opts.batch then
  if builder.fs.exists(opts.output) and not builder.fs.is_dir(opts.output) then
    fail("OUTPUT " .. opts.output .. " is a file; with --batch it is the directory of the job files")
  end
  for _, entry in ipairs(codes) do
    local niche = builder.naf.niche_name(entry.code)
    local variables = batch.template_variables(entry.code, niche, opts.profile, builder.fs.join("out", niche))
    local text, why = batch.render_job(template, template_name, variables)
    if not text then fail(why) end
    files[#files + 1] = {path = builder.fs.join(opts.output, niche .. ".yaml"), job = text}
  end
else
  if builder.fs.is_dir(opts.output) then
    fail("OUTPUT " .. opts.output .. " is a directory; give a file name, or --batch for one file per code")
  end
  local names = {}
  for _, entry in ipairs(codes) do names[#names + 1] = entry.code end
  local niche = "naf_" .. table.concat(names, "_")
  local nomenclature, mixed = batch.nomenclature(names)
  if not nomenclature then fail(mixed) end
  local variables = batch.template_variables(codes[1].code, niche, opts.profile, builder.fs.join("out", niche))
  variables.naf_nomenclature = nomenclature
  local text, why = batch.render_job(template, template_name, variables)
  if not text then fail(why) end
  local job = text
  if #codes > 1 then
    job = builder.yaml.decode(text)
    job.filters.naf_include = names
    local valid, problem = builder.validate_job(job, opts.output)
    if not valid then fail(problem) end
  end
  files[1] = {path = opts.output, job = job}
end

for _, file in ipairs(files) do
  local ok, problem = pcall(write_job, file.path, file.job)
  if not ok then
    io.stderr:write(spec.program, ": ", batch.reason(problem), "\n")
    os.exit(2)
  end
  print(file.path)
end
