import Foundation
import Basics
import Jobs
import Pipeline
import TestSupport
import Testing

/// CSV input that is not UTF-8: the datasets' text columns must be valid UTF-8, so a matching
/// row with other bytes fails the run naming the file, the line and the column.
@Suite struct CSVInputTextTests {
    static let header = Array(("siren,siret,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,"
        + "etatAdministratifEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement\n").utf8)

    func row(siret: String, naf: String, street: [UInt8]) -> [UInt8] {
        Array("\(siret.prefix(9)),\(siret),\(naf),NAFRev2,A,".utf8) + street + Array(",75011,PARIS\n".utf8)
    }

    func run(_ csv: [UInt8]) throws -> (RunOutcome, TestDirectory) {
        let directory = try TestDirectory(prefix: "latin1")
        let input = try directory.write(bytes: csv, to: "stock.csv")
        let job = try directory.write("niche: n\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n", to: "job.yaml")
        var options = RunProfileOptions(jobPath: job, outputDirectory: directory.file("out"))
        options.inputPath = input
        return (JobRun(options: options).execute(), directory)
    }

    @Test func latin1ByteInAMatchingRowFailsNamingLineAndColumn() throws {
        let csv = Self.header + row(siret: "73282932000074", naf: "43.21A", street: Array("RUE PASTEUR".utf8))
            + row(siret: "55203253400646", naf: "43.22A", street: Array("RUE DU CAF".utf8) + [0xE9])
        let (outcome, directory) = try run(csv)
        defer { directory.remove() }
        #expect(outcome.exitStatus == 1)
        let message = try #require(outcome.failure?.message)
        #expect(message.hasPrefix(directory.file("stock.csv") + ":3: column 'libelleVoieEtablissement': 'RUE DU CAF\\xE9' "
            + "is not valid UTF-8 text"), "\(message)")
        #expect(!directory.exists("out/dataset.csv") && !directory.exists("out/dataset.parquet"))
    }

    @Test func latin1ByteInARowFilteredOutIsNotRead() throws {
        let csv = Self.header + row(siret: "73282932000074", naf: "43.21A", street: Array("RUE PASTEUR".utf8))
            + row(siret: "55203253400646", naf: "69.20Z", street: Array("RUE DU CAF".utf8) + [0xE9])
        let (outcome, directory) = try run(csv)
        defer { directory.remove() }
        #expect(outcome.exitStatus == 0, "\(String(describing: outcome.failure))")
        #expect(outcome.summary["rows"]?.integerValue == 1)
    }

    /// A scan shared by several jobs checks each job's own rows: a bad byte fails the job that
    /// keeps its row only, and a job beside it keeps its valid multi-byte text.
    @Test func aSharedScanFailsOnlyTheJobThatKeepsTheBadRow() throws {
        let csv = Self.header + row(siret: "73282932000074", naf: "43.21A", street: Array("RUE DU CAFÉ ÉTÉ".utf8))
            + row(siret: "55203253400646", naf: "69.20Z", street: Array("RUE DU CAF".utf8) + [0xE9])
            + row(siret: "44306184100047", naf: "43.22A", street: Array("RUE PASTEUR".utf8))
        let directory = try TestDirectory(prefix: "latin1")
        defer { directory.remove() }
        let input = try directory.write(bytes: csv, to: "stock.csv")
        let options = try ["43", "6920Z"].map { code in
            let job = try directory.write("niche: n\(code)\nfilters:\n  naf_include: [\"\(code)\"]\nprofile: quick\n", to: "\(code).yaml")
            var options = RunProfileOptions(jobPath: job, outputDirectory: directory.file("out\(code)"))
            options.inputPath = input
            return options
        }
        let outcomes = GroupRun(options: options).execute()
        #expect(outcomes.map(\.exitStatus) == [0, 1], "\(outcomes.map { String(describing: $0.failure) })")
        #expect(outcomes[0].summary["rows"]?.integerValue == 2)
        #expect(try directory.contents("out43/dataset.csv").contains("CAFÉ ÉTÉ"))
        let message = try #require(outcomes[1].failure?.message)
        #expect(message.hasPrefix(input + ":3: column 'libelleVoieEtablissement': 'RUE DU CAF\\xE9' is not valid UTF-8 text"),
                "\(message)")
    }

    @Test func validMultiByteTextIsKept() throws {
        let csv = Self.header + row(siret: "73282932000074", naf: "43.21A", street: Array("RUE DU CAFÉ ÉTÉ €".utf8))
        let (outcome, directory) = try run(csv)
        defer { directory.remove() }
        #expect(outcome.exitStatus == 0, "\(String(describing: outcome.failure))")
        #expect(try directory.contents("out/dataset.csv").contains("CAFÉ ÉTÉ €"))
    }
}
