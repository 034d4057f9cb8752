import Foundation
import TestSupport
import Testing

/// `enrich.coordinates` through the binary: the columns, the manifest's counts, `--explain`, and
/// a PROJ without its database.
@Suite struct CoordinatesCLITests {
    /// One row of each outcome; the expected values are pyproj's, rounded to 6 decimals.
    static let stock = """
        siren,siret,activitePrincipaleEtablissement,etatAdministratifEtablissement,codeCommuneEtablissement,\
        codePostalEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement
        100000001,10000000100011,69.20Z,A,75103,75003,653001.14,6862820.93
        100000002,10000000200011,69.20Z,A,97411,97400,342999.54,7653768.23
        100000003,10000000300011,69.20Z,A,2A004,20000,1180758.94,6128527.03
        100000004,10000000400011,69.20Z,A,75103,[ND],[ND],[ND]
        100000005,10000000500011,69.20Z,A,75103,75003,,
        100000006,10000000600011,69.20Z,A,75103,75003,"653001,14",6862820.93
        100000007,10000000700011,69.20Z,A,97411,97400,653001.14,6862820.93
        100000008,10000000800011,69.20Z,A,98735,98714,653001.14,6862820.93

        """

    static let job = """
        niche: naf_6920Z
        filters: {naf_include: ["6920Z"]}
        profile: standard
        # The standard profile's steps without the legal-unit join (this stock has no unit file).
        steps: [dumps.collect, normalize.standardize, quality.checks, enrich.coordinates, quality.dedupe, quality.score, package.export]

        """

    func workspace() throws -> TestDirectory {
        let directory = try TestDirectory(prefix: "cli")
        try directory.write(Self.stock, to: "stock.csv")
        try directory.write(Self.job, to: "job.yaml")
        return directory
    }

    @Test func standardProfileAddsLatitudeAndLongitudeAndCountsEachOutcome() throws {
        let workspace = try workspace()
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        try #require(run.status == 0, "\(run.stderr)")
        let rows = try workspace.contents("out/dataset.csv").split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = rows[0].map(String.init)
        let latitude = try #require(header.firstIndex(of: "latitude"))
        #expect(header[latitude + 1] == "longitude")
        #expect(!header.contains("_coordonnees"))
        let points = rows.dropFirst().map { "\($0[latitude]) \($0[latitude + 1])" }
        #expect(points == ["48.863704 2.359365", "-21.210837 55.487342", "42.097999 8.805575", " ", " ", " ", " ", " "])

        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        let steps = try #require(manifest["steps"] as? [[String: Any]])
        let step = try #require(steps.first { $0["name"] as? String == "enrich.coordinates" })
        #expect(step["status"] as? String == "done")
        let counts = try #require(step["coordinates"] as? [String: Int])
        #expect(counts == ["converted": 3, "masked": 1, "absent": 1, "malformed": 1, "out_of_bounds": 1, "no_projection": 1])
        let columns = try #require(manifest["columns"] as? [[String: Any]])
        #expect(columns.filter { ($0["name"] as? String)?.hasSuffix("itude") == true }.map { $0["type"] as? String } == ["number", "number"])
    }

    @Test func quickProfileHasNoCoordinates() throws {
        let workspace = try workspace()
        try workspace.write("niche: naf_6920Z\nfilters: {naf_include: [\"6920Z\"]}\nprofile: quick\n", to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        try #require(run.status == 0, "\(run.stderr)")
        let header = try workspace.contents("out/dataset.csv").prefix { $0 != "\r\n" }
        #expect(!header.contains("latitude"))
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        let steps = try #require(manifest["steps"] as? [[String: Any]])
        #expect(!steps.contains { $0["name"] as? String == "enrich.coordinates" })
    }

    @Test func explainShowsTheStep() throws {
        let workspace = try workspace()
        let text = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--explain"])
        #expect(text.status == 0, "\(text.stderr)")
        // After quality.checks; its number depends on the steps before it.
        let line = try #require(text.stdout.split(separator: "\n").first { $0.contains(". enrich.coordinates ") })
        #expect(line.contains("enrich.coordinates     run      latitude, longitude (WGS84) from the Lambert coordinates"))
        let order = text.stdout.split(separator: "\n").compactMap { line in
            ["quality.checks", "enrich.coordinates", "quality.dedupe"].first { line.contains(". \($0) ") }
        }
        #expect(order == ["quality.checks", "enrich.coordinates", "quality.dedupe"])
        #expect(text.stdout.contains("date_creation_valide, latitude, longitude, completeness"))
        let json = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--explain", "--json"])
        let plan = try jsonObject(json.stdout)
        let steps = try #require(plan["steps"] as? [[String: Any]])
        let step = try #require(steps.first { $0["name"] as? String == "enrich.coordinates" })
        #expect(step["adds"] as? [String] == ["latitude", "longitude"])
        #expect(step["runs_on"] as? String == "workers")
        #expect(!workspace.exists("out"))
    }

    /// A PROJ that cannot find its database fails the run, naming the projection, and writes no dataset.
    @Test func missingPROJDatabaseFailsTheRunNamingTheProjection() throws {
        let workspace = try workspace()
        let binary = try #require(builderBinaryPath)
        let run = try runProcess("/usr/bin/env", ["PROJ_DATA=\(workspace.path)/no-proj-data", binary, "run-profile", "--job", "job.yaml",
                                                  "--input", "stock.csv", "--out", "out"], in: workspace.path, timeout: 60)
        #expect(run.status == 1)
        #expect(run.stderr.contains("builder run-profile: enrich.coordinates: PROJ cannot create the transformation from EPSG:2154 "
            + "(RGF93 v1 / Lambert-93) to WGS 84 (EPSG:4326): proj_create: Cannot find proj.db"), "\(run.stderr)")
        #expect(!workspace.exists("out/dataset.csv") && !workspace.exists("out/manifest.json"))
    }
}
