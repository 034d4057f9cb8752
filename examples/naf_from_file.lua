-- naf_from_file.lua: the batch of `builder batch`, with the NAF codes read from a file.
--
-- The file is plain text or CSV: one code per line (the first column of a CSV line), blank lines
-- and lines starting with # ignored, a header line (such as "naf_code,label") skipped. A bad code
-- is reported with its file and line before anything is written.
--
--   builder script examples/naf_from_file.lua -- --codes examples/naf_codes.txt \
--       --input sirene.parquet --output-dir out/batch_results
--
-- Every option of `builder batch` works the same (--dry-run, --json, --continue-on-error, ...);
-- --naf still adds codes.

local batch = require("batch")

local spec = batch.copy_spec()
spec.program = "builder script examples/naf_from_file.lua --"
spec.description = "The batch of 'builder batch', with the NAF codes read from a text or CSV file."
batch.option(spec, "naf").required = false
table.insert(spec.options, 1, {
  name = "codes", metavar = "FILE", required = true,
  help = "Text or CSV file of NAF codes: one per line (first CSV column), # comments and blank lines ignored.",
})

local function usage_error(message)
  io.stderr:write(spec.program, ": ", message, "\n")
  os.exit(2)
end

--- The codes of the file, in order; a bad one stops with file:line.
local function read_codes(path)
  local ok, text = pcall(builder.fs.read, path)
  if not ok then usage_error("cannot read the codes: " .. tostring(text):gsub("^.-builder%.fs%.read: ", "")) end
  local codes, line_number, seen_data = {}, 0, false
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    line_number = line_number + 1
    local content = line:match("^%s*(.-)%s*$")
    if content ~= "" and content:sub(1, 1) ~= "#" then
      local first_column = content:match("^([^,;\t]*)"):gsub('"', ""):match("^%s*(.-)%s*$")
      local valid, why = builder.naf.is_valid(first_column)
      if valid then
        codes[#codes + 1] = first_column
      elseif not seen_data and not first_column:match("^%d") then
        log("debug", string.format("%s:%d: header skipped: %s", path, line_number, content))
      else
        usage_error(string.format("%s:%d: %s", path, line_number, why))
      end
      seen_data = true
    end
  end
  if #codes == 0 then usage_error(path .. ": no NAF code in the file") end
  return codes
end

local opts = builder.parse_args(spec)
if opts.verbose then builder.set_log_level("debug") end
for _, code in ipairs(read_codes(opts.codes)) do
  table.insert(opts.naf, code)
end
os.exit(batch.run(opts, {program = spec.program}))
