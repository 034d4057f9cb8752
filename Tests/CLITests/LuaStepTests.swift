import Foundation
import TestSupport
import Testing

/// A job's own `steps:` and Lua steps, through the binary: the examples of `examples/`, the
/// messages of scripts that fail, and the checks of a steps list.
@Suite struct LuaStepTests {
    static let header = "siren,siret,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,"
        + "etatAdministratifEtablissement,denominationUsuelleEtablissement,enseigne1Etablissement,"
        + "trancheEffectifsEtablissement,codePostalEtablissement,codeCommuneEtablissement,etablissementSiege"

    /// An INSEE-columns CSV stock of 6920Z establishments: `names` as usual names, sizes and
    /// places cycling through a few values.
    static func stock(names: [String]) -> String {
        let bands = ["11", "NN", "02", "21", "00"]
        let places = [("75008", "75108"), ("69002", "69382"), ("13001", "13201"), ("92100", "92012")]
        var lines = [header]
        for (index, name) in names.enumerated() {
            let siren = String(format: "%09d", 100_000_000 + index)
            let (postal, commune) = places[index % places.count]
            lines.append("\(siren),\(siren)00017,69.20Z,NAFRev2,A,\"\(name)\",,\(bands[index % bands.count]),\(postal),\(commune),"
                + (index % 3 == 0 ? "true" : "false"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let names = ["CABINET DURAND", "DURAND HOLDING", "SCI DES LILAS", "EXPERTISE MARTIN", "MARTIN PARTICIPATIONS",
                        "AUDIT CONSEIL", "LA FINANCIERE DU PORT", "Fiduciaire Leroy", "HOLDINGUE SARL", "COMPTA 92"]

    func workspace() throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(Self.stock(names: Self.names), to: "stock.csv")
        return workspace
    }

    static func job(_ steps: String) -> String {
        """
        niche: naf_6920Z
        filters: {naf_include: ["6920Z"]}
        profile: quick
        steps: \(steps)
        """
    }

    /// Rows of a CSV without quoted line breaks, as dictionaries.
    func rows(_ text: String) -> [[String: String]] {
        var lines = text.split(separator: "\r\n").map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        return lines.map { line in
            var fields: [String] = []
            var field = ""
            var quoted = false
            for character in line {
                if character == "\"" { quoted.toggle() } else if character == "," && !quoted {
                    fields.append(field)
                    field = ""
                } else { field.append(character) }
            }
            fields.append(field)
            return Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
    }

    // MARK: The examples

    @Test func theExampleStepsDropHoldingsAndScoreForTheTeam() throws {
        let workspace = try workspace()
        let job = packageRoot.appendingPathComponent("examples/lua_steps.yaml").path
        let run = try workspace.run(["run-profile", "--job", job, "--input", "stock.csv", "--out", "out"])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("team.drop_holdings: 4 holdings dropped"), "\(run.stderr)")
        let rows = rows(try workspace.contents("out/dataset.csv"))
        #expect(rows.map { $0["denomination"] ?? "" } == ["CABINET DURAND", "EXPERTISE MARTIN", "AUDIT CONSEIL",
                                                            "Fiduciaire Leroy", "HOLDINGUE SARL", "COMPTA 92"])
        for row in rows {
            let score = try #require(Int(row["team_score"] ?? ""), "team_score of \(row)")
            let points = ["11": 25, "02": 10, "21": 35][row["effectif"] ?? ""] ?? 0
            let home = ["75", "92", "69"].contains(row["departement"] ?? "") ? 30 : 0
            let head = row["etablissement_siege"] == "true" ? 10 : 0
            #expect(score == points + home + head + (Int(row["quality_score"] ?? "") ?? 0) / 5, "\(row)")
            #expect(row["team_tier"] == (score >= 60 ? "A" : score >= 35 ? "B" : "C"))
        }
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        let steps = try #require(manifest["steps"] as? [[String: Any]])
        #expect(steps.map { $0["name"] as? String } == ["dumps.collect", "normalize.standardize", "quality.checks",
                                                        "quality.dedupe", "team.drop_holdings", "quality.score", "team.score",
                                                        "package.export"])
        let drop = try #require(steps.first { $0["name"] as? String == "team.drop_holdings" })
        #expect(drop["rows_in"] as? Int == 10 && drop["rows_out"] as? Int == 6 && drop["rows_dropped"] as? Int == 4)
        #expect(drop["script"] as? String == "steps/drop_holdings.lua")
        let columns = try #require(manifest["columns"] as? [[String: Any]]).suffix(2)
        #expect(columns.map { $0["name"] as? String } == ["team_score", "team_tier"])
        #expect(columns.map { $0["type"] as? String } == ["integer", "text"])
        let log = try workspace.contents("out/" + (try #require((manifest["outputs"] as? [String: Any])?["log"] as? String)))
        #expect(log.contains("\"event\":\"step.log\"") && log.contains("4 holdings dropped"))
        // The Parquet file has the same columns, typed.
        let converted = try workspace.run(["convert", "out/dataset.parquet", "values.csv"])
        #expect(converted.status == 0)
        #expect(try workspace.contents("values.csv") == workspace.contents("out/dataset.csv"))
    }

    @Test func explainListsTheJobsStepsAndWhereTheyRun() throws {
        let workspace = try workspace()
        let job = packageRoot.appendingPathComponent("examples/lua_steps.yaml").path
        let run = try workspace.run(["run-profile", "--job", job, "--input", "stock.csv", "--out", "out", "--explain"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("steps (the job's steps: list):"))
        #expect(run.stdout.contains("team.drop_holdings"))
        #expect(run.stdout.contains("drop holding and asset-management companies, by name [in order]"))
        #expect(run.stdout.contains("quality.score"))
        #expect(run.stdout.contains("team_score, team_tier"))
    }

    // MARK: Scripts that fail

    @Test func aRuntimeErrorNamesTheScriptLineAndTheRow() throws {
        let workspace = try workspace()
        try workspace.write("""
            return {
              columns = {{name = "x", type = "integer"}},
              row = function(row)
                if row.denomination == "SCI DES LILAS" then error("no SCI here") end
                row.x = 1
              end,
            }
            """, to: "steps/bad.lua")
        try workspace.write(Self.job("[dumps.collect, normalize.standardize, {lua: steps/bad.lua}, package.export]"), to: "job.yaml")
        try workspace.write("old", to: "out/dataset.csv")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("steps/bad.lua:4: no SCI here (row 3 of the niche, siret 10000000200017)"), "\(run.stderr)")
        #expect(try workspace.contents("out/dataset.csv") == "old")
    }

    @Test(arguments: [
        ("return {row = function(row) row.x = 'abc' end, columns = {x = 'integer'}}",
         "column 'x' (integer) got the string \"abc\""),
        ("return {row = function(row) row.x = 2.5 end, columns = {x = 'integer'}}", "got 2.5, not a whole number"),
        ("return {row = function(row) row.d = '2024-13-01' end, columns = {d = 'date'}}", "not a date (YYYY-MM-DD)"),
    ])
    func aValueOfTheWrongTypeNamesTheColumnAndTheRow(_ script: String, _ expected: String) throws {
        let workspace = try workspace()
        try workspace.write(script, to: "bad.lua")
        try workspace.write(Self.job("[dumps.collect, normalize.standardize, {lua: bad.lua}, package.export]"), to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("Lua step bad.lua: row 1 of the niche: "), "\(run.stderr)")
        #expect(run.stderr.contains(expected), "\(run.stderr)")
    }

    @Test(arguments: [
        ("return {row = function(row) end,", "bad.lua:1:"),
        ("return {columns = {x = 'intger'}, row = function() end}", "type 'intger' is not a column type (did you mean integer?)"),
        ("return {columns = {x = 'text'}}", "has no function 'row'"),
        ("return 42", "expected the script to return a table"),
        ("return {columns = {{name = 'Bad Name', type = 'text'}}, row = function() end}", "'Bad Name' is not a column name"),
    ])
    func aBrokenScriptIsAUsageErrorBeforeAnythingIsRead(_ script: String, _ expected: String) throws {
        let workspace = try workspace()
        try workspace.write(script, to: "bad.lua")
        try workspace.write(Self.job("[dumps.collect, normalize.standardize, {lua: bad.lua}, package.export]"), to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("job.yaml: Lua step bad.lua: "), "\(run.stderr)")
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(!workspace.exists("out"))
    }

    @Test(arguments: [
        ("[dumps.collect, normalize.standardize, quality.scor, package.export]",
         "field 'steps[2]': unknown step 'quality.scor' (did you mean quality.score?)"),
        ("[normalize.standardize, package.export]", "the first step must be dumps.collect"),
        ("[dumps.collect, normalize.standardize]", "the last step must be package.export"),
        ("[dumps.collect, normalize.standardize, quality.score, package.export]",
         "steps[2] (quality.score) reads column 'code_postal_valide', which no earlier step adds (quality.checks adds it)"),
        ("[dumps.collect, normalize.standardize, normalize.standardize, package.export]", "normalize.standardize is listed twice"),
        ("[dumps.collect, {lua: missing.lua}, package.export]", "Lua step missing.lua: no such file"),
        ("[dumps.collect, {python: x.py}, package.export]", "expected a step name or {lua: \"file.lua\"}"),
    ])
    func aWrongStepsListIsAUsageError(_ steps: String, _ expected: String) throws {
        let workspace = try workspace()
        try workspace.write(Self.job(steps), to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(!workspace.exists("out"))
    }

    @Test func aStepListedWithoutDedupeOrScoreStillRuns() throws {
        let workspace = try workspace()
        try workspace.write(Self.job("[dumps.collect, normalize.standardize, package.export]"), to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        let header = try #require(try workspace.contents("out/dataset.csv").split(separator: "\r\n").first)
        #expect(header.hasSuffix("site_web,date_mise_a_jour"))
        let kpis = try #require(try jsonObject(workspace.contents("out/manifest.json"))["kpis"] as? [String: Any])
        #expect(kpis["mean_quality_score"] is NSNull)
    }

    @Test func ctrlCStopsAScriptThatLoops() throws {
        let workspace = try workspace()
        try workspace.write("return {row = function(row) io.open('started', 'w'):close() while true do end end}", to: "loop.lua")
        try workspace.write(Self.job("[dumps.collect, normalize.standardize, {lua: loop.lua}, package.export]"), to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"], timeout: 30) { process in
            if waitForFile(workspace.file("started"), timeout: 20) { kill(process.processIdentifier, SIGINT) }
        }
        #expect(run.status == 130, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted"), "\(run.stderr)")
        #expect(!workspace.exists("out/dataset.csv"))
    }
}

/// `output.formats`: the one list of files a run writes.
@Suite struct OutputFormatsTests {
    @Test func aJobChoosesItsFiles() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(LuaStepTests.stock(names: ["CABINET A", "CABINET B"]), to: "stock.csv")
        try workspace.write(LuaStepTests.job("[dumps.collect, normalize.standardize, package.export]")
            + "\noutput: {formats: [parquet]}\n", to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try workspace.names("out").filter { !$0.hasPrefix(".") } == ["dataset.parquet", "logs", "manifest.json", "sha256.txt"])
        #expect(try workspace.contents("out/sha256.txt").hasSuffix("  dataset.parquet\n"))
        let outputs = try #require(try jsonObject(workspace.contents("out/manifest.json"))["outputs"] as? [String: Any])
        #expect(outputs["dataset.parquet"] != nil && outputs["dataset.csv"] == nil)
    }

    @Test func anUnknownFormatIsAUsageErrorWithASuggestion() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(LuaStepTests.stock(names: ["CABINET A"]), to: "stock.csv")
        try workspace.write("niche: n\nfilters: {naf_include: [\"6920Z\"]}\nprofile: quick\noutput: {formats: [csv, parquett]}\n",
                            to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("job.yaml: field 'output.formats[1]': unknown output format 'parquett' (did you mean parquet?)"),
                "\(run.stderr)")
        #expect(!workspace.exists("out"))
    }
}
