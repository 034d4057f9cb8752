-- niche_names.lua: the batch of `builder batch`, with readable niche names.
--
-- Niche names (the job file jobs_generated/<niche>.yaml and the output directory <output-dir>/<niche>/)
-- come from a mapping file of `CODE = name` lines, such as `6920Z = experts_comptables`; a code that
-- is not in the mapping keeps the standard name naf_<code>. Codes in the mapping are normalized, so
-- 69.20Z and 6920Z are the same entry.
--
--   builder script examples/niche_names.lua -- --naf 6920Z --naf 4321A \
--       --input sirene.parquet --output-dir out/batch_results
--
-- The mapping is examples/niche_names.txt beside this script unless --names FILE says otherwise.

local batch = require("batch")

local spec = batch.copy_spec()
spec.program = "builder script examples/niche_names.lua --"
spec.description = "The batch of 'builder batch', with niche names taken from a CODE = name mapping."
table.insert(spec.options, 4, {
  name = "names", metavar = "FILE",
  help = "Mapping of NAF codes to niche names, one 'CODE = name' per line, # comments "
    .. "(default: niche_names.txt beside this script).",
})

local function usage_error(message)
  io.stderr:write(spec.program, ": ", message, "\n")
  os.exit(2)
end

--- code -> niche name, from `CODE = name` lines.
local function read_names(path)
  local ok, text = pcall(builder.fs.read, path)
  if not ok then usage_error("cannot read the niche names: " .. tostring(text):gsub("^.-builder%.fs%.read: ", "")) end
  local names, line_number = {}, 0
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    line_number = line_number + 1
    local content = line:gsub("#.*$", ""):match("^%s*(.-)%s*$")
    if content ~= "" then
      local code, name = content:match("^(.-)%s*=%s*(.-)$")
      local valid, why = builder.naf.is_valid(code or content)
      if not code or name == "" then
        usage_error(string.format("%s:%d: expected 'CODE = name', got %q", path, line_number, content))
      elseif not valid then
        usage_error(string.format("%s:%d: %s", path, line_number, why))
      end
      names[builder.naf.normalize(code)] = name
    end
  end
  return names
end

local opts = builder.parse_args(spec)
local names = read_names(opts.names or builder.fs.join(builder.fs.dirname(arg[0]), "niche_names.txt"))
os.exit(batch.run(opts, {
  program = spec.program,
  niche_name = function(code)
    return names[code] or builder.naf.niche_name(code)
  end,
}))
