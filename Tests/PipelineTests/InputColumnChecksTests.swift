import Foundation
import Basics
import Jobs
import Parquet
import Pipeline
import TestSupport
import Testing

/// Columns the run reads must be unambiguous and of a type the filters can compare: otherwise
/// a clear error, never a silent empty or arbitrary result.
@Suite struct InputColumnChecksTests {
    func run(input name: String, in directory: TestDirectory) throws -> RunOutcome {
        let job = try directory.write("niche: n\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n", to: "job.yaml")
        var options = RunProfileOptions(jobPath: job, outputDirectory: directory.file("out"))
        options.inputPath = directory.file(name)
        return JobRun(options: options).execute()
    }

    @Test func duplicateNAFHeaderInCSVIsRefused() throws {
        let directory = try TestDirectory(prefix: "columns")
        defer { directory.remove() }
        _ = try directory.write("""
            siren,siret,activitePrincipaleEtablissement,etatAdministratifEtablissement,activitePrincipaleEtablissement
            732829320,73282932000074,69.20Z,A,43.21A

            """, to: "stock.csv")
        let outcome = try run(input: "stock.csv", in: directory)
        #expect(outcome.exitStatus == 1)
        #expect(outcome.failure?.message == directory.file("stock.csv")
            + ": column 'activitePrincipaleEtablissement' appears 2 times (columns 3, 5); keep one")
        #expect(!directory.exists("out/dataset.csv"))
    }

    @Test func duplicateUnusedHeaderIsAccepted() throws {
        let directory = try TestDirectory(prefix: "columns")
        defer { directory.remove() }
        _ = try directory.write("""
            siren,siret,activitePrincipaleEtablissement,etatAdministratifEtablissement,extra,extra
            732829320,73282932000074,43.21A,A,x,y

            """, to: "stock.csv")
        let outcome = try run(input: "stock.csv", in: directory)
        #expect(outcome.exitStatus == 0, "\(String(describing: outcome.failure))")
        #expect(outcome.summary["rows"]?.integerValue == 1)
    }

    @Test func numericStateColumnIsRefusedNotSilentlyEmpty() throws {
        let directory = try TestDirectory(prefix: "columns")
        defer { directory.remove() }
        let writer = try ParquetFileWriter(path: directory.file("stock.parquet"), fields: [
            .string("siren"), .string("siret"), .string("activitePrincipaleEtablissement"),
            .int64("etatAdministratifEtablissement"),
        ])
        let columns = writer.schema.columns
        try writer.write([
            try ColumnValues(column: columns[0], cells: [.string("732829320")]),
            try ColumnValues(column: columns[1], cells: [.string("73282932000074")]),
            try ColumnValues(column: columns[2], cells: [.string("43.21A")]),
            try ColumnValues(column: columns[3], cells: [.int(1)]),
        ])
        try writer.close()
        let outcome = try run(input: "stock.parquet", in: directory)
        #expect(outcome.exitStatus == 1)
        let message = try #require(outcome.failure?.message)
        #expect(message.hasPrefix(directory.file("stock.parquet") + ": column 'etatAdministratifEtablissement' holds "),
                "\(message)")
        #expect(message.contains("filters.active_only"))
        #expect(!directory.exists("out/dataset.csv"))
    }

    /// A BYTE_ARRAY column without the STRING annotation may hold Latin-1: the kept rows' text
    /// is checked, as for CSV.
    @Test func latin1BinaryColumnOfAKeptRowIsRefused() throws {
        let directory = try TestDirectory(prefix: "columns")
        defer { directory.remove() }
        try writeStreetStock(to: directory.file("stock.parquet"), rows: [
            StreetStockRow(siret: "73282932000074", naf: "43.21A", street: Array("RUE PASTEUR".utf8)),
            StreetStockRow(siret: "55203253400646", naf: "43.22A", street: Array("CAF".utf8) + [0xE9]),
        ])
        let outcome = try run(input: "stock.parquet", in: directory)
        #expect(outcome.exitStatus == 1)
        #expect(outcome.failure?.message == directory.file("stock.parquet")
            + ": row group 0, row 1: column 'libelleVoieEtablissement': 'CAF\\xE9' is not valid UTF-8 text; nothing was written")
        #expect(!directory.exists("out/dataset.parquet"))
    }
}
