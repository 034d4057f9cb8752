-- drop_holdings.lua: a Lua step that drops holding and asset-management companies, which a
-- sales team does not call: establishments whose name (the company's full name when the job
-- joins the legal units, else the establishment's name or sign) says HOLDING, PARTICIPATIONS,
-- FINANCIERE, INVEST..., or starts with SCI (société civile immobilière).
--
-- In a job file (the path is relative to the job file):
--   steps: [dumps.collect, normalize.standardize, quality.checks, quality.dedupe,
--           {lua: "steps/drop_holdings.lua"}, quality.score, package.export]

-- Words that mark a holding, matched as whole words in the upper-cased name.
local HOLDING_WORDS = {"HOLDING", "HOLDINGS", "PARTICIPATIONS", "FINANCIERE", "FINANCIÈRE", "INVEST", "INVESTISSEMENTS",
  "PATRIMOINE", "GESTION DE PORTEFEUILLE"}

local dropped = 0

local function is_holding(name)
  if not name then return false end
  local upper = " " .. name:upper():gsub("[%p]", " ") .. " "
  if upper:match("^ SCI ") then return true end
  for _, word in ipairs(HOLDING_WORDS) do
    if upper:find(" " .. word .. " ", 1, true) then return true end
  end
  return false
end

return {
  name = "team.drop_holdings",
  summary = "drop holding and asset-management companies, by name",
  reads = {"denomination", "enseigne"},
  row = function(row)
    if is_holding(row.denomination) or is_holding(row.enseigne) then
      dropped = dropped + 1
      return false
    end
  end,
  finish = function()
    log("info", string.format("%d holding%s dropped", dropped, dropped == 1 and "" or "s"))
  end,
}
