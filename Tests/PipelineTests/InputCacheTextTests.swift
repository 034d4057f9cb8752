import Foundation
import Basics
import Jobs
import Parquet
import Pipeline
import TestSupport
import Testing

/// Text that is not UTF-8 with an input cache: the cache keeps bytes as they are, and only the
/// job's own kept rows are checked, so a bad byte in another job's row fails no other job.
@Suite struct InputCacheTextTests {
    static let header = Array(("siren,siret,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,"
        + "etatAdministratifEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement\n").utf8)

    static func row(siret: String, naf: String, street: [UInt8]) -> [UInt8] {
        Array("\(siret.prefix(9)),\(siret),\(naf),NAFRev2,A,".utf8) + street + Array(",75011,PARIS\n".utf8)
    }

    /// A stock whose 86.10Z row (line 3) has a Latin-1 e-acute, and a cache directory whose
    /// filter covers 43 and 86.
    static func workspace() throws -> TestDirectory {
        let directory = try TestDirectory(prefix: "cachetext")
        let csv = header + row(siret: "73282932000074", naf: "43.21A", street: Array("RUE PASTEUR".utf8))
            + row(siret: "55203253400646", naf: "86.10Z", street: Array("RUE DU CAF".utf8) + [0xE9])
            + row(siret: "44306184100047", naf: "86.21Z", street: Array("RUE HOCHE".utf8))
        _ = try directory.write(bytes: csv, to: "stock.csv")
        _ = try directory.write("{\"naf_nomenclature\": \"NAFRev2\", \"naf_include\": [\"43\", \"86\"], \"active_only\": false}", to: "icache/filter.json")
        _ = try directory.write("niche: n43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n", to: "job43.yaml")
        _ = try directory.write("niche: n86\nfilters:\n  naf_include: [\"8621Z\"]\nprofile: quick\n", to: "job8621.yaml")
        _ = try directory.write("niche: n86\nfilters:\n  naf_include: [\"86\"]\nprofile: quick\n", to: "job86.yaml")
        return directory
    }

    static func run(_ directory: TestDirectory, job: String, out: String, cache: Bool = true) -> RunOutcome {
        var options = RunProfileOptions(jobPath: directory.file(job), outputDirectory: directory.file(out))
        options.inputPath = directory.file("stock.csv")
        if cache { options.inputCache = directory.file("icache") }
        return JobRun(options: options).execute()
    }

    static func cacheFiles(_ directory: TestDirectory) throws -> [String] {
        try directory.names("icache").filter { $0.hasSuffix(".parquet") }
    }

    @Test func badByteInAnotherJobsRowFailsNeitherBuildNorHit() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        let plain = Self.run(directory, job: "job43.yaml", out: "plain", cache: false)
        #expect(plain.exitStatus == 0, "\(String(describing: plain.failure))")

        let building = Self.run(directory, job: "job43.yaml", out: "built", cache: true)
        #expect(building.exitStatus == 0, "\(String(describing: building.failure))")
        #expect(building.summary["rows"]?.integerValue == 1)
        #expect(try Self.cacheFiles(directory).count == 1)

        let hit = Self.run(directory, job: "job43.yaml", out: "hit", cache: true)
        #expect(hit.exitStatus == 0, "\(String(describing: hit.failure))")
        #expect(hit.summary["rows"]?.integerValue == 1)
        #expect((hit.summary["warnings"]?.arrayValue ?? []).isEmpty)
        // An 86 job whose own rows are clean reads the same cache.
        let other = Self.run(directory, job: "job8621.yaml", out: "other", cache: true)
        #expect(other.exitStatus == 0, "\(String(describing: other.failure))")
        #expect(other.summary["rows"]?.integerValue == 1)
    }

    @Test func badByteInTheJobsOwnRowNamesTheStockLineWhileBuilding() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        let outcome = Self.run(directory, job: "job86.yaml", out: "out")
        #expect(outcome.exitStatus == 1)
        let message = try #require(outcome.failure?.message)
        #expect(message.hasPrefix(directory.file("stock.csv") + ":3: column 'libelleVoieEtablissement': 'RUE DU CAF\\xE9' "
            + "is not valid UTF-8 text"), "\(message)")
        #expect(!directory.exists("out/dataset.csv"))
    }

    /// A data error read through a valid cache is the data's fault: reported once, naming the
    /// stock, and the cache is kept (no "could not be read", no second reading).
    @Test func badByteInTheJobsOwnRowThroughACacheHitKeepsTheCache() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        let building = Self.run(directory, job: "job43.yaml", out: "built")
        #expect(building.exitStatus == 0, "\(String(describing: building.failure))")
        let cacheName = try #require(try Self.cacheFiles(directory).first)
        let cacheBytes = try directory.bytes("icache/" + cacheName)

        var lines: [String] = []
        var options = RunProfileOptions(jobPath: directory.file("job86.yaml"), outputDirectory: directory.file("out"))
        options.inputPath = directory.file("stock.csv")
        options.inputCache = directory.file("icache")
        let outcome = JobRun(options: options, report: { lines.append($0) }).execute()
        #expect(outcome.exitStatus == 1)
        let message = try #require(outcome.failure?.message)
        #expect(message.hasPrefix(directory.file("stock.csv") + ": column 'libelleVoieEtablissement': 'RUE DU CAF\\xE9' "
            + "is not valid UTF-8 text (the row came through the input cache \(directory.file("icache/" + cacheName))"),
                "\(message)")
        let warnings = outcome.summary["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(!warnings.contains { $0.contains("could not be read") }, "\(warnings)")
        #expect(lines.filter { $0.contains(": reading ") }.count == 1, "\(lines)")
        #expect(try directory.bytes("icache/" + cacheName) == cacheBytes)
    }

    /// The same with a Parquet stock whose street column is BYTE_ARRAY without the STRING
    /// annotation (it may hold Latin-1): row 1 (86.10Z) holds a Latin-1 e-acute.
    @Test func parquetStockBadByteFailsOnlyTheJobThatKeepsIt() throws {
        let directory = try Self.workspace()
        defer { directory.remove() }
        try writeStreetStock(to: directory.file("stock.parquet"), rows: [
            StreetStockRow(siret: "73282932000074", naf: "43.21A", street: Array("RUE PASTEUR".utf8)),
            StreetStockRow(siret: "55203253400646", naf: "86.10Z", street: Array("CAF".utf8) + [0xE9]),
            StreetStockRow(siret: "44306184100047", naf: "86.21Z", street: Array("RUE HOCHE".utf8)),
        ])
        func run(_ job: String, _ out: String) -> RunOutcome {
            var options = RunProfileOptions(jobPath: directory.file(job), outputDirectory: directory.file(out))
            options.inputPath = directory.file("stock.parquet")
            options.inputCache = directory.file("icache")
            return JobRun(options: options).execute()
        }
        let building = run("job43.yaml", "built")
        #expect(building.exitStatus == 0, "\(String(describing: building.failure))")
        #expect(try Self.cacheFiles(directory).count == 1)
        let hit = run("job8621.yaml", "hit")
        #expect(hit.exitStatus == 0, "\(String(describing: hit.failure))")
        #expect(hit.summary["rows"]?.integerValue == 1)

        let own = run("job86.yaml", "own")
        #expect(own.exitStatus == 1)
        let message = try #require(own.failure?.message)
        #expect(message.hasPrefix(directory.file("stock.parquet") + ": column 'libelleVoieEtablissement': 'CAF\\xE9' "
            + "is not valid UTF-8 text (the row came through the input cache "), "\(message)")

        // Without a cache file yet, the row is named in the stock.
        try FileManager.default.removeItem(atPath: directory.file("icache/" + (try #require(try Self.cacheFiles(directory).first))))
        let fresh = run("job86.yaml", "fresh")
        #expect(fresh.failure?.message == directory.file("stock.parquet")
            + ": row group 0, row 1: column 'libelleVoieEtablissement': 'CAF\\xE9' is not valid UTF-8 text; nothing was written")
    }
}
