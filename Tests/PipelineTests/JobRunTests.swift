import Foundation
import Basics
import Jobs
import Pipeline
import TestSupport
import Testing

/// A sample stock in CSV and a place for job files and outputs.
final class RunFixture {
    let directory: TestDirectory
    let input: String
    let sample: StockRows

    init(rows: Int = 12_000, seed: UInt64 = 7) throws {
        directory = try TestDirectory(prefix: "sirene")
        input = directory.file("stock.csv")
        try writeSampleCSV(rows: rows, seed: seed, batchSize: 5000, to: input)
        sample = try StockRows(path: input)
    }

    func job(_ filters: String, extra: String = "", name: String = "job.yaml") throws -> String {
        let path = directory.file(name)
        try "niche: naf_test\nfilters:\n\(filters)\nprofile: quick\n\(extra)".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(job: String, out: String = "out", input: String? = nil, control: RunControl = RunControl(),
             environment: [String: String] = [:], configure: (inout RunProfileOptions) -> Void = { _ in },
             report: @escaping (String) -> Void = { _ in }) -> RunOutcome {
        var options = RunProfileOptions(jobPath: job, outputDirectory: directory.file(out))
        options.inputPath = input ?? self.input
        options.referenceDay = DateCheck.parseISODate("2026-08-01")
        options.workers = 2
        configure(&options)
        return JobRun(options: options, control: control, environment: environment, report: report).execute()
    }

    /// The SIRETs of the sample rows `keep` selects, in file order.
    func expectedSirets(_ keep: (StockRows, [String]) -> Bool) -> [String] {
        sample.rows.filter { keep(sample, $0) }.map { sample.value($0, "siret") }
    }

    func datasetSirets(_ out: String = "out") throws -> [String] {
        let (header, rows) = try readCSV(directory.file(out + "/dataset.csv"))
        let index = try #require(header.firstIndex(of: "siret"))
        return rows.map { $0[index] }
    }
}

/// The rows of a stock CSV, by column name.
struct StockRows {
    let rows: [[String]]
    private let index: [String: Int]

    init(path: String) throws {
        let (header, rows) = try readCSV(path)
        self.rows = rows
        index = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
    }

    func value(_ row: [String], _ column: String) -> String {
        index[column].map { row[$0] } ?? ""
    }
}

func isActiveRev2(_ sample: StockRows, _ row: [String]) -> Bool {
    sample.value(row, "etatAdministratifEtablissement") == "A"
        && sample.value(row, "nomenclatureActivitePrincipaleEtablissement") == "NAFRev2"
}

@Suite("run-profile runs (library)")
struct JobRunTests {
    @Test("a division keeps exactly the active rév. 2 rows under it, in file order, with the outputs")
    func division() throws {
        let fixture = try RunFixture()
        let outcome = fixture.run(job: try fixture.job("  naf_include: [\"43\"]\n  active_only: true"))
        #expect(outcome.exitStatus == 0, "\(String(describing: outcome.failure))")
        let expected = fixture.expectedSirets { sample, row in
            isActiveRev2(sample, row) && sample.value(row, "activitePrincipaleEtablissement").hasPrefix("43.")
        }
        #expect(!expected.isEmpty)
        #expect(try fixture.datasetSirets() == expected)

        let out = fixture.directory.file("out")
        let manifest = try JSON.decode(try FileSystem.readText(out + "/manifest.json"))
        #expect(manifest["rows"]?.integerValue == Int64(expected.count))
        #expect(manifest["counts"]?["rows_read"]?.integerValue == 12_000)
        let checksums = try FileSystem.readText(out + "/sha256.txt")
        for name in ["dataset.csv", "dataset.parquet", "report.html"] {
            #expect(checksums.contains("\(try SHA256.hex(ofFile: out + "/" + name))  \(name)\n"), "\(name)")
        }
        let runID = try #require(manifest["run_id"]?.stringValue)
        let log = try FileSystem.readText(out + "/logs/\(runID).jsonl").split(separator: "\n")
        #expect(log.count == 8)  // started, 6 steps, finished
        #expect(try FileSystem.list(out).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test("inactive rows too without active_only; exclusions")
    func allStates() throws {
        let fixture = try RunFixture()
        let outcome = fixture.run(job: try fixture.job("  naf_include: [\"43.2\"]\n  naf_exclude: [\"43.22A\"]\n  active_only: false"))
        #expect(outcome.exitStatus == 0)
        let expected = fixture.expectedSirets { sample, row in
            let code = sample.value(row, "activitePrincipaleEtablissement")
            return sample.value(row, "nomenclatureActivitePrincipaleEtablissement") == "NAFRev2"
                && code.hasPrefix("43.2") && code != "43.22A"
        }
        #expect(try fixture.datasetSirets() == expected)
    }

    @Test("regions: postal-code prefix or département from the commune code")
    func regions() throws {
        let fixture = try RunFixture(rows: 30_000)
        let outcome = fixture.run(job: try fixture.job("  naf_include: [\"47\", \"56\", \"68\"]\n  regions: [\"75\", \"2A\", \"971\"]"))
        #expect(outcome.exitStatus == 0)
        let expected = fixture.expectedSirets { sample, row in
            let code = sample.value(row, "activitePrincipaleEtablissement")
            guard isActiveRev2(sample, row), ["47.", "56.", "68."].contains(where: code.hasPrefix) else { return false }
            let postal = sample.value(row, "codePostalEtablissement")
            let departement = department(ofCommune: sample.value(row, "codeCommuneEtablissement"))
            return postal.hasPrefix("75") || postal.hasPrefix("971") || ["75", "2A", "971"].contains(departement)
        }
        #expect(expected.count > 10)
        #expect(try fixture.datasetSirets() == expected)
    }

    @Test("--sample keeps the first N matching rows; --dry-run writes nothing")
    func sampleAndDryRun() throws {
        let fixture = try RunFixture()
        let job = try fixture.job("  naf_include: [\"68\"]")
        let sampled = fixture.run(job: job) { $0.sample = 25 }
        #expect(sampled.exitStatus == 0)
        let all = fixture.expectedSirets { sample, row in
            isActiveRev2(sample, row) && sample.value(row, "activitePrincipaleEtablissement").hasPrefix("68.")
        }
        #expect(try fixture.datasetSirets() == Array(all.prefix(25)))

        let dry = fixture.run(job: job, out: "dry") { $0.dryRun = true }
        #expect(dry.exitStatus == 0)
        #expect(dry.summary["rows"]?.integerValue == Int64(all.count))
        #expect(dry.summary["status"]?.stringValue == "dry_run")
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("dry")))
    }

    @Test("a job matching nothing writes a dataset with only its header")
    func emptyMatch() throws {
        let fixture = try RunFixture(rows: 2000)
        let outcome = fixture.run(job: try fixture.job("  naf_include: [\"99.00Z\"]\n  regions: [\"2B\"]"))
        #expect(outcome.exitStatus == 0)
        let text = try FileSystem.readText(fixture.directory.file("out/dataset.csv"))
        #expect(text == "siren,siret,denomination,enseigne,naf_code,naf_nomenclature,naf_rev2,naf_2025,adresse_complete,"
            + "code_postal,ville,code_commune,departement,effectif,date_creation,etat_administratif,etablissement_siege,"
            + "statut_diffusion,telephone,email,site_web,date_mise_a_jour,siren_valide,siret_valide,code_postal_valide,"
            + "date_creation_valide,completeness,contactability,freshness,quality_score\r\n")
        #expect(outcome.summary["rows"]?.integerValue == 0)
    }

    @Test("near its memory ceiling a run reads fewer row groups ahead (it says so with --verbose) and writes the same rows")
    func nearTheMemoryCeiling() throws {
        let fixture = try RunFixture()
        let job = try fixture.job("  naf_include: [\"43\"]\n  active_only: true")
        #expect(fixture.run(job: job, out: "plain").exitStatus == 0)
        var lines: [String] = []
        // A debug build reads its resident memory as 280 MB: above 85% of the 300 MB ceiling
        // even after a trim, so the window of 4 row groups (2 workers) goes to 2.
        let outcome = fixture.run(job: job, environment: ["BUILDER_TEST_RESIDENT_MB": "280"], configure: { $0.verbose = true },
                                  report: { lines.append($0) })
        #expect(outcome.exitStatus == 0, "\(String(describing: outcome.failure))")
        #expect(lines.contains { $0.hasSuffix("memory near its ceiling (280.0 MB): 2 row groups in flight from now on, instead of 4") },
                "\(lines)")
        #expect(try fixture.datasetSirets() == fixture.datasetSirets("plain"))
        #expect(!(try fixture.datasetSirets()).isEmpty)
    }

    @Test("a time budget that is exceeded fails the run and leaves no dataset")
    func timeBudget() throws {
        let fixture = try RunFixture(rows: 2000)
        let outcome = fixture.run(job: try fixture.job("  naf_include: [\"43\"]", extra: "budgets: {time_budget_min: 0.0001}\n"))
        #expect(outcome.exitStatus == 1)
        #expect(outcome.failure?.message.hasPrefix("time budget exceeded: budgets.time_budget_min is 0.0001 min (0.006 s) in ") == true)
        let files = try FileSystem.list(fixture.directory.file("out"))
        #expect(!files.contains("dataset.csv"))
        #expect(!files.contains("manifest.json"))
        #expect(files.filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test("usage errors (exit 2) and run failures (exit 1) name what is wrong")
    func errors() throws {
        let fixture = try RunFixture(rows: 100)
        let job = try fixture.job("  naf_include: [\"43\"]")
        let missing = fixture.run(job: job, input: fixture.directory.file("nope.parquet"))
        #expect(missing.exitStatus == 2)
        #expect(missing.failure?.message == "input file \(fixture.directory.file("nope.parquet")) does not exist")

        let badJob = try fixture.job("  naf_include: 43", name: "bad.yaml")
        let malformed = fixture.run(job: badJob)
        #expect(malformed.exitStatus == 2)
        #expect(malformed.failure?.message.contains("field 'filters.naf_include'") == true)

        let noNAF = fixture.directory.file("no-naf.csv")
        try "siren,siret,etatAdministratifEtablissement,codePostalEtablissement\n732829320,73282932000074,A,75008\n"
            .write(toFile: noNAF, atomically: true, encoding: .utf8)
        let withoutNAF = fixture.run(job: job, input: noNAF)
        #expect(withoutNAF.exitStatus == 1)
        #expect(withoutNAF.failure?.message == "\(noNAF): no NAF column: the job filters NAFRev2 codes, which are in column "
            + "'activitePrincipaleEtablissement', and the input has no such column")
    }
}
