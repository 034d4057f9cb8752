import Foundation
import TestSupport
import Testing

/// `builder inspect`, `builder convert` and `builder sample-data --out X.parquet` through the
/// real binary: outputs, errors, exit codes (0 ok, 1 failure, 2 usage), atomic outputs.
@Suite struct InspectConvertCLITests {
    static let csv = """
        siren,code_postal,amount,flag,day,stamp,note
        000325175,01000,12.50,true,2024-01-15,2024-01-15T10:00:00,"a, ""quoted"" note"
        123456789,75001,-3,false,1999-12-31,2024-01-15 11:00:00.5,
        ,,,,,,""

        """

    /// A small Parquet file made by `builder convert` from `csv`.
    private func parquet(in workspace: TestDirectory, name: String = "small.parquet", compression: String = "none") throws -> String {
        try workspace.write(Self.csv, to: "small.csv")
        let run = try workspace.run(["convert", "small.csv", name, "--compression", compression])
        try #require(run.status == 0, "\(run.stderr)")
        return workspace.file(name)
    }

    /// No temporary output files left in the workspace.
    private func expectNoLeftovers(_ workspace: TestDirectory) {
        #expect(!workspace.tree().contains { $0.contains(".tmp-") }, "\(workspace.tree())")
    }

    // MARK: inspect

    @Test func inspectShowsSchemaRowGroupsAndStatistics() throws {
        let workspace = try TestDirectory(prefix: "cli")
        _ = try parquet(in: workspace)
        let run = try workspace.run(["inspect", "small.parquet"])
        #expect(run.status == 0, "\(run.stderr)")
        for expected in ["created by   builder version", "rows         3", "row groups   1",
                         "siren", "BYTE_ARRAY", "STRING", "UTF8", "OPTIONAL", "TIMESTAMP(MICROS,local)", "TIMESTAMP_MICROS",
                         "row group 0: 3 rows", "UNCOMPRESSED", "PLAIN,RLE",
                         "1999-12-31", "2024-01-15T11:00:00.500000", "000325175", "-3.0", "12.5"] {
            #expect(run.stdout.contains(expected), "missing '\(expected)' in:\n\(run.stdout)")
        }
        let dayLine = run.stdout.split(separator: "\n").first { $0.contains(" day ") }
        #expect(dayLine?.split(separator: " ") == ["4", "day", "INT32", "DATE", "DATE", "OPTIONAL"], "\(dayLine ?? "")")
    }

    @Test func inspectJSONHasEverythingInFull() throws {
        let workspace = try TestDirectory(prefix: "cli")
        _ = try parquet(in: workspace, compression: "zstd")
        let run = try workspace.run(["inspect", "small.parquet", "--json", "--columns", "day,siren"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try jsonObject(run.stdout)
        #expect(document["rows"] as? Int == 3)
        #expect((document["created_by"] as? String)?.hasPrefix("builder version") == true)
        let columns = try #require(document["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["day", "siren"])
        #expect(columns[0]["logical_type"] as? String == "DATE" && columns[0]["physical_type"] as? String == "INT32")
        let groups = try #require(document["row_groups"] as? [[String: Any]])
        let chunks = try #require(groups.first?["columns"] as? [[String: Any]])
        #expect(chunks[0]["codec"] as? String == "ZSTD")
        let stats = try #require(chunks[0]["statistics"] as? [String: Any])
        #expect(stats["min"] as? String == "1999-12-31" && stats["max"] as? String == "2024-01-15" && stats["null_count"] as? Int == 1)
    }

    @Test func inspectVerifyDecodesEveryPage() throws {
        let workspace = try TestDirectory(prefix: "cli")
        _ = try parquet(in: workspace)
        let run = try workspace.run(["inspect", "small.parquet", "--verify"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("verify: decoded 3 rows × 7 columns in "))
        let json = try workspace.run(["inspect", "small.parquet", "--verify", "--json", "--columns", "amount"])
        let verify = try #require(try jsonObject(json.stdout)["verify"] as? [String: Any])
        #expect(verify["rows"] as? Int == 3 && verify["columns"] as? Int == 1)
    }

    @Test func inspectErrorsNameTheFileAndExitOne() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let missing = try workspace.run(["inspect", "missing.parquet"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "builder inspect: missing.parquet: cannot open: No such file or directory\n")
        try workspace.write("a,b\n1,2\n", to: "table.csv")
        let notParquet = try workspace.run(["inspect", "table.csv"])
        #expect(notParquet.status == 1)
        #expect(notParquet.stderr.contains("table.csv: not a Parquet file"))
        // A footer cut short: the file ends in PAR1 but its metadata is gone.
        let path = try parquet(in: workspace)
        var bytes = try workspace.data("small.parquet")
        bytes.removeSubrange((bytes.count - 40)..<(bytes.count - 8))
        try bytes.write(to: URL(fileURLWithPath: workspace.file("cut.parquet")))
        let corrupt = try workspace.run(["inspect", "cut.parquet"])
        #expect(corrupt.status == 1)
        #expect(corrupt.stderr.hasPrefix("builder inspect: cut.parquet: "), "\(corrupt.stderr)")
        _ = path
    }

    @Test func verifyFailsOnAPageThatDoesNotDecode() throws {
        let workspace = try TestDirectory(prefix: "cli")
        _ = try parquet(in: workspace)
        var bytes = try workspace.data("small.parquet")
        // The first page header of the first column starts right after the magic.
        for offset in 4..<12 { bytes[offset] = 0xff }
        try bytes.write(to: URL(fileURLWithPath: workspace.file("bad-page.parquet")))
        let listing = try workspace.run(["inspect", "bad-page.parquet"])
        #expect(listing.status == 0, "the footer is intact: \(listing.stderr)")
        let verify = try workspace.run(["inspect", "bad-page.parquet", "--verify"])
        #expect(verify.status == 1)
        #expect(verify.stderr.hasPrefix("builder inspect: bad-page.parquet: row group 0, column 'siren': "), "\(verify.stderr)")
    }

    @Test func inspectUsageErrorsExitTwo() throws {
        let workspace = try TestDirectory(prefix: "cli")
        _ = try parquet(in: workspace)
        let typo = try workspace.run(["inspect", "small.parquet", "--columns", "sirne"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("--columns: no column named 'sirne' (did you mean 'siren'?)"))
        let twice = try workspace.run(["inspect", "small.parquet", "--columns", "day,day"])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("column 'day' is given twice"))
    }

    // MARK: convert

    @Test func csvToParquetToCSVKeepsEveryValue() throws {
        let workspace = try TestDirectory(prefix: "cli")
        _ = try parquet(in: workspace, compression: "snappy")
        let back = try workspace.run(["convert", "small.parquet", "back.csv"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stderr.contains("wrote 3 rows × 7 columns to back.csv"))
        let text = try workspace.contents("back.csv")
        #expect(text == """
            siren,code_postal,amount,flag,day,stamp,note\r
            000325175,01000,12.5,true,2024-01-15,2024-01-15T10:00:00,"a, ""quoted"" note"\r
            123456789,75001,-3.0,false,1999-12-31,2024-01-15T11:00:00.500000,\r
            ,,,,,,\r

            """)
        expectNoLeftovers(workspace)
    }

    @Test func convertReportsTheInferredTypes() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(Self.csv, to: "small.csv")
        let run = try workspace.run(["convert", "small.csv", "out.parquet", "--types", "amount:decimal(6,2),code_postal:string"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("types: siren string, code_postal string, amount decimal(6,2), flag boolean, day date, stamp timestamp, note string"),
                "\(run.stderr)")
        let back = try workspace.run(["convert", "out.parquet", "back.csv", "--columns", "amount,siren"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try workspace.contents("back.csv") == "amount,siren\r\n12.50,000325175\r\n-3.00,123456789\r\n,\r\n")
    }

    @Test func parquetToParquetProjectsAndRecompresses() throws {
        let workspace = try TestDirectory(prefix: "cli")
        _ = try parquet(in: workspace)
        let run = try workspace.run(["convert", "small.parquet", "two.parquet", "--columns", "stamp,siren", "--compression", "zstd:9"])
        #expect(run.status == 0, "\(run.stderr)")
        let listing = try jsonObject(try workspace.run(["inspect", "two.parquet", "--json"]).stdout)
        #expect((listing["columns"] as? [[String: Any]])?.map { $0["name"] as? String } == ["stamp", "siren"])
        let chunks = try #require(((listing["row_groups"] as? [[String: Any]])?.first?["columns"]) as? [[String: Any]])
        #expect(chunks.allSatisfy { $0["codec"] as? String == "ZSTD" })
        let back = try workspace.run(["convert", "two.parquet", "two.csv"])
        #expect(back.status == 0)
        #expect(try workspace.contents("two.csv").hasPrefix("stamp,siren\r\n2024-01-15T10:00:00,000325175\r\n"))
    }

    @Test func aValueThatDoesNotFitTheInferredTypeStopsWithItsLine() throws {
        let workspace = try TestDirectory(prefix: "cli")
        // More than the 4 MiB inference block of integers, then a code with a letter.
        var text = "id,code\n"
        text.reserveCapacity(6_000_000)
        for row in 0..<400_000 { text += "\(row),\(10_000 + row % 80_000)\n" }
        text += "400000,2A004\n"
        try workspace.write(text, to: "codes.csv")
        try workspace.write("stale", to: "codes.parquet")
        let run = try workspace.run(["convert", "codes.csv", "codes.parquet"], timeout: 120)
        #expect(run.status == 1)
        #expect(run.stderr.contains("codes.csv:400002: column 'code': '2A004' is not a valid int64 value; the type was inferred from the first"),
                "\(run.stderr)")
        #expect(run.stderr.contains("--types code:string"))
        #expect(try workspace.contents("codes.parquet") == "stale", "the old output is untouched")
        expectNoLeftovers(workspace)
        let fixed = try workspace.run(["convert", "codes.csv", "codes.parquet", "--types", "code:string"], timeout: 120)
        #expect(fixed.status == 0, "\(fixed.stderr)")
    }

    @Test func givenTypesAreCheckedToo() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(Self.csv, to: "small.csv")
        let run = try workspace.run(["convert", "small.csv", "out.parquet", "--types", "code_postal:int32,note:int64"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("small.csv:2: column 'note': 'a, \"quoted\" note' is not a valid int64 value (from --types)"), "\(run.stderr)")
        #expect(!workspace.exists("out.parquet"))
        expectNoLeftovers(workspace)
    }

    @Test func csvWithCROnlyLineEndsIsRefusedByName() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(Self.csv.replacingOccurrences(of: "\n", with: "\r"), to: "mac.csv")
        try workspace.write("old", to: "out.parquet")
        let run = try workspace.run(["convert", "mac.csv", "out.parquet"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("builder convert: mac.csv:1: lines end with a carriage return alone (CR, old Mac line ends)"),
                "\(run.stderr)")
        #expect(try workspace.contents("out.parquet") == "old")
        expectNoLeftovers(workspace)
    }

    @Test func givenFloatTypesRefuseNumbersTheyCannotHold() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("a,b\n1.5,2.5\n1e39,1e300\n", to: "big.csv")
        let float = try workspace.run(["convert", "big.csv", "out.parquet", "--types", "a:float"])
        #expect(float.status == 1, "\(float.stderr)")
        #expect(float.stderr.contains("big.csv:3: column 'a': '1e39' is not a valid float value (from --types)"), "\(float.stderr)")
        try workspace.write("a\n1e400\n", to: "huge.csv")
        let double = try workspace.run(["convert", "huge.csv", "out.parquet", "--types", "a:double"])
        #expect(double.status == 1, "\(double.stderr)")
        #expect(double.stderr.contains("huge.csv:2: column 'a': '1e400' is not a valid double value (from --types)"), "\(double.stderr)")
        #expect(!workspace.exists("out.parquet"))
        // The words still give infinities, and a double column holds 1e39.
        try workspace.write("a,b\ninf,1e39\n-Infinity,1\n", to: "words.csv")
        let words = try workspace.run(["convert", "words.csv", "out.parquet", "--types", "a:float,b:double"])
        #expect(words.status == 0, "\(words.stderr)")
        let back = try workspace.run(["convert", "out.parquet", "back.csv"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try workspace.contents("back.csv") == "a,b\r\ninf,1e+39\r\n-inf,1.0\r\n")
        expectNoLeftovers(workspace)
    }

    static let usageCases: [UsageCase] = [
        UsageCase(name: "unknown column", arguments: ["convert", "small.parquet", "out.csv", "--columns", "siren,cod_postal"],
                  expected: "--columns: no column named 'cod_postal' (did you mean 'code_postal'?)"),
        UsageCase(name: "unknown compression", arguments: ["convert", "small.csv", "out.parquet", "--compression", "lz4"],
                  expected: "--compression: unknown codec 'lz4' (use snappy, zstd[:LEVEL], gzip[:LEVEL] or none)"),
        UsageCase(name: "zstd level out of range", arguments: ["convert", "small.csv", "out.parquet", "--compression", "zstd:40"],
                  expected: "zstd level must be between 1 and 22, got 40"),
        UsageCase(name: "unknown type", arguments: ["convert", "small.csv", "out.parquet", "--types", "amount:money"],
                  expected: "--types: unknown type 'money' for column 'amount' (use string, binary, boolean"),
        UsageCase(name: "types without a colon", arguments: ["convert", "small.csv", "out.parquet", "--types", "amount"],
                  expected: "--types: 'amount' is not NAME:TYPE"),
        UsageCase(name: "types for an unknown column", arguments: ["convert", "small.csv", "out.parquet", "--types", "amout:double"],
                  expected: "--types: no column named 'amout' in small.csv (did you mean 'amount'?)"),
        UsageCase(name: "types for Parquet input", arguments: ["convert", "small.parquet", "out.parquet", "--types", "amount:double"],
                  expected: "--types applies to a CSV input"),
        UsageCase(name: "unknown output format", arguments: ["convert", "small.csv", "out.xlsx"],
                  expected: "cannot tell the output format from extension '.xlsx' in 'out.xlsx' (use .csv or .parquet)"),
        UsageCase(name: "compression for CSV output", arguments: ["convert", "small.parquet", "out.csv", "--compression", "zstd"],
                  expected: "--compression applies to a .parquet output"),
        UsageCase(name: "CSV to CSV", arguments: ["convert", "small.csv", "out.csv"], expected: "is already CSV"),
    ]

    @Test(arguments: usageCases)
    func convertUsageErrorsExitTwoAndWriteNothing(_ usage: UsageCase) throws {
        let workspace = try TestDirectory(prefix: "cli")
        _ = try parquet(in: workspace)
        let before = workspace.tree()
        let run = try workspace.run(usage.arguments)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("builder convert: "), "\(run.stderr)")
        #expect(run.stderr.contains(usage.expected), "\(run.stderr)")
        #expect(workspace.tree() == before)
    }

    @Test func convertErrorsOnTheInputExitOne() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let missing = try workspace.run(["convert", "missing.parquet", "out.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "builder convert: missing.parquet: cannot open: No such file or directory\n")
        _ = try parquet(in: workspace)
        var bytes = try workspace.data("small.parquet")
        bytes.removeSubrange((bytes.count - 40)..<(bytes.count - 8))
        try bytes.write(to: URL(fileURLWithPath: workspace.file("cut.parquet")))
        let corrupt = try workspace.run(["convert", "cut.parquet", "out.csv"])
        #expect(corrupt.status == 1)
        #expect(corrupt.stderr.hasPrefix("builder convert: cut.parquet: "), "\(corrupt.stderr)")
        try workspace.write("", to: "empty.csv")
        let empty = try workspace.run(["convert", "empty.csv", "out.parquet"])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("empty.csv: no header row"), "\(empty.stderr)")
        #expect(!workspace.exists("out.csv") && !workspace.exists("out.parquet"))
        expectNoLeftovers(workspace)
    }

    // MARK: sample-data

    @Test func sampleDataWritesParquetWithTheRealFilesTypes() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["sample-data", "--rows", "2500", "--out", "stock.parquet", "--row-group-size", "1000"], timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let listing = try jsonObject(try workspace.run(["inspect", "stock.parquet", "--json"]).stdout)
        #expect(listing["rows"] as? Int == 2500)
        let groups = try #require(listing["row_groups"] as? [[String: Any]])
        #expect(groups.map { $0["rows"] as? Int } == [1000, 1000, 500])
        let columns = try #require(listing["columns"] as? [[String: Any]])
        #expect(columns.count == 54)
        #expect(columns.allSatisfy { $0["repetition"] as? String == "OPTIONAL" })
        func column(_ name: String) -> [String: Any]? { columns.first { $0["name"] as? String == name } }
        #expect(column("dateCreationEtablissement")?["logical_type"] as? String == "DATE")
        #expect(column("dateDernierTraitementEtablissement")?["logical_type"] as? String == "TIMESTAMP(MICROS,local)")
        #expect(column("anneeEffectifsEtablissement")?["physical_type"] as? String == "INT64")
        #expect(column("etablissementSiege")?["physical_type"] as? String == "BOOLEAN")
        #expect(column("siret")?["logical_type"] as? String == "STRING")
        let chunks = try #require(groups[0]["columns"] as? [[String: Any]])
        #expect(chunks.allSatisfy { $0["codec"] as? String == "ZSTD" })
        // The same seed gives the same rows as the CSV output.
        let csvRun = try workspace.run(["sample-data", "--rows", "2500", "--out", "stock.csv", "--row-group-size", "1000"], timeout: 120)
        #expect(csvRun.status == 0)
        let exported = try workspace.run(["convert", "stock.parquet", "exported.csv"], timeout: 120)
        #expect(exported.status == 0, "\(exported.stderr)")
        let original = try workspace.contents("stock.csv").split(separator: "\n", omittingEmptySubsequences: false)
        let roundTrip = try workspace.contents("exported.csv").replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(original.count == roundTrip.count)
        #expect(original == roundTrip, "first difference: \(zip(original, roundTrip).first { $0 != $1 }.map { "\($0)\n\($1)" } ?? "none")")
    }

    @Test func sampleDataCompressionChoices() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let snappy = try workspace.run(["sample-data", "--rows", "10", "--out", "s.parquet", "--compression", "snappy"])
        #expect(snappy.status == 0, "\(snappy.stderr)")
        let listing = try jsonObject(try workspace.run(["inspect", "s.parquet", "--json", "--columns", "siren"]).stdout)
        let chunk = ((listing["row_groups"] as? [[String: Any]])?.first?["columns"] as? [[String: Any]])?.first
        #expect(chunk?["codec"] as? String == "SNAPPY")
        let unknown = try workspace.run(["sample-data", "--rows", "10", "--out", "u.parquet", "--compression", "lzo"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown codec 'lzo'"))
        let csv = try workspace.run(["sample-data", "--rows", "10", "--out", "u.csv", "--compression", "zstd"])
        #expect(csv.status == 2)
        #expect(!workspace.exists("u.parquet") && !workspace.exists("u.csv"))
    }
}
