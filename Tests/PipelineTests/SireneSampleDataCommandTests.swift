import CSV
import Foundation
import Pipeline
import TestSupport
import Testing

/// `builder sample-data` end to end through the real binary.
@Suite("builder sample-data")
struct SireneSampleDataCommandTests {
    /// Runs builder with a 120 s limit (then kills it and fails).
    static func run(_ arguments: [String]) throws -> ProcessRun {
        let binary = try #require(builderBinaryPath, "builder binary not found; build it with `swift build`")
        let run = try runProcess(binary, arguments, timeout: 120)
        if run.timedOut { Issue.record("builder \(arguments.joined(separator: " ")) timed out") }
        return run
    }

    @Test("writes a CSV our reader parses; the same seed gives the same file")
    func writesCSV() throws {
        let directory = try TestDirectory(prefix: "sirene")
        let first = directory.file("stock.csv"), second = directory.file("again.csv")
        let run = try Self.run(["sample-data", "--rows", "2500", "--out", first, "--seed", "11", "--row-group-size", "1000"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("wrote 2500 rows"))
        let (header, rows) = try readCSV(first)
        #expect(header == SireneSchema.stockEtablissement.map(\.name))
        #expect(rows.count == 2500)
        #expect(try Self.run(["sample-data", "--rows", "2500", "--out", second, "--seed", "11"]).status == 0)
        #expect(FileManager.default.contents(atPath: first) == FileManager.default.contents(atPath: second))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files == ["again.csv", "stock.csv"])
    }

    @Test("Python's csv module reads the file too (when python3 is installed)")
    func pythonReadsCSV() throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { return }
        let directory = try TestDirectory(prefix: "sirene")
        let path = directory.file("stock.csv")
        #expect(try Self.run(["sample-data", "--rows", "3000", "--out", path, "--seed", "5"]).status == 0)
        let script = """
            import csv, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                rows = list(csv.reader(f))
            print(len(rows) - 1, set(len(r) for r in rows), rows[0][50])
            """
        let printed = try runProcess(python, ["-c", script, path], timeout: 120).stdout
        #expect(printed.trimmingCharacters(in: .whitespacesAndNewlines) == "3000 {54} activitePrincipaleEtablissement")
    }

    @Test("zero rows writes the header only")
    func zeroRows() throws {
        let directory = try TestDirectory(prefix: "sirene")
        let path = directory.file("empty.csv")
        #expect(try Self.run(["sample-data", "--rows", "0", "--out", path]).status == 0)
        let text = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
        #expect(text == SireneSchema.stockEtablissement.map(\.name).joined(separator: ",") + "\n")
    }

    @Test("unknown codecs and extensions are named, bad numbers rejected: exit 2")
    func usageErrors() throws {
        let directory = try TestDirectory(prefix: "sirene")
        let parquet = try Self.run(["sample-data", "--rows", "10", "--out", directory.file("x.parquet"), "--compression", "lzo"])
        #expect(parquet.status == 2)
        #expect(parquet.stderr.contains("unknown codec 'lzo'"))
        let text = try Self.run(["sample-data", "--rows", "10", "--out", directory.file("x.txt")])
        #expect(text.status == 2)
        #expect(text.stderr.contains("'.txt'"))
        let negative = try Self.run(["sample-data", "--rows=-5", "--out", directory.file("x.csv")])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--rows"))
        let groups = try Self.run(["sample-data", "--rows", "5", "--row-group-size", "0", "--out", directory.file("x.csv")])
        #expect(groups.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("--help describes the options and the formats")
    func help() throws {
        let run = try Self.run(["sample-data", "--help"])
        #expect(run.status == 0)
        for word in ["--rows", "--out", "--seed", "--row-group-size", ".csv", ".parquet", "YYYY-MM-DD"] {
            #expect(run.stdout.contains(word), "\(word)")
        }
    }

    @Test("a missing output directory is created; one that cannot be is a usage error naming the file")
    func unwritableOutput() throws {
        let directory = try TestDirectory(prefix: "sirene")
        let path = directory.file("missing/dir/out.csv")
        let run = try Self.run(["sample-data", "--rows", "10", "--out", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(directory.exists("missing/dir/out.csv"))
        try directory.write("", to: "file")
        let blocked = directory.file("file/dir/out.csv")
        let refused = try Self.run(["sample-data", "--rows", "10", "--out", blocked])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(blocked))
    }
}
