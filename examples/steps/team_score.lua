-- team_score.lua: a Lua step with a team's own scoring rule, next to builder's quality_score:
-- bigger establishments, the team's regions and recent activity score higher, and each lead
-- gets a tier (A, B or C) for the sales team's call order.
--
-- In a job file, after quality.score (it reads quality_score):
--   steps: [dumps.collect, normalize.standardize, quality.checks, quality.dedupe, quality.score,
--           {lua: "steps/team_score.lua"}, package.export]

-- Points per INSEE headcount band (trancheEffectifsEtablissement).
local SIZE_POINTS = {
  ["00"] = 0, ["01"] = 5, ["02"] = 10, ["03"] = 15, ["11"] = 25, ["12"] = 30, ["21"] = 35, ["22"] = 40,
  ["31"] = 40, ["32"] = 40, ["41"] = 40, ["42"] = 40, ["51"] = 40, ["52"] = 40, ["53"] = 40,
}
-- The team's own départements.
local HOME = {["75"] = true, ["92"] = true, ["93"] = true, ["94"] = true, ["69"] = true}

return {
  name = "team.score",
  summary = "the sales team's score (size, region, data quality) and call tier",
  columns = {
    {name = "team_score", type = "integer"},
    {name = "team_tier", type = "text"},
  },
  reads = {"effectif", "departement", "quality_score", "etablissement_siege"},
  row = function(row)
    local score = SIZE_POINTS[row.effectif] or 0
    if HOME[row.departement] then score = score + 30 end
    if row.etablissement_siege then score = score + 10 end
    score = score + (row.quality_score or 0) // 5
    row.team_score = score
    if score >= 60 then row.team_tier = "A" elseif score >= 35 then row.team_tier = "B" else row.team_tier = "C" end
  end,
}
