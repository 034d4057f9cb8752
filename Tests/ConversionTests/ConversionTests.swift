import Conversion
import Parquet
import TestSupport
import Testing

/// `Conversion` and `InspectReport` as a library, without the binary: what `builder convert`
/// and `builder inspect` do once their arguments are parsed.
struct ConversionTests {
    static let csv = """
        siren,code_postal,amount,day,note
        000325175,01000,12.50,2024-01-15,"a, ""quoted"" note"
        123456789,75001,-3,1999-12-31,
        ,,,,""

        """

    private func request(_ directory: TestDirectory, _ input: String, _ output: String, types: String? = nil,
                         compression: String? = nil, columns: String? = nil) -> Conversion.Request {
        Conversion.Request(input: directory.file(input), output: directory.file(output), columns: columns,
                           compression: compression, types: types, createdBy: "builder tests")
    }

    @Test func csvToParquetAndBackKeepsTheValues() throws {
        let directory = try TestDirectory(prefix: "conversion")
        defer { directory.remove() }
        try directory.write(Self.csv, to: "in.csv")
        let toParquet = try Conversion(request(directory, "in.csv", "out.parquet", compression: "zstd"))
        #expect(toParquet.inputFormat == .csv && toParquet.outputFormat == .parquet)
        let summary = try toParquet.run()
        #expect(summary.hasSuffix("out.parquet (ZSTD; types: siren string, code_postal string, amount double, day date, note string)"), "\(summary)")
        let reader = try ParquetFileReader(path: directory.file("out.parquet"))
        #expect(reader.rowCount == 3)
        #expect(reader.columns.map(\.logicalType) == [.string, .string, nil, .date, .string])
        _ = try Conversion(request(directory, "out.parquet", "back.csv")).run()
        #expect(try directory.contents("back.csv") == """
            siren,code_postal,amount,day,note\r
            000325175,01000,12.5,2024-01-15,"a, ""quoted"" note"\r
            123456789,75001,-3.0,1999-12-31,\r
            ,,,,\r

            """)
        let report = InspectReport.text(reader, columns: [1, 3])
        #expect(report.contains("columns      5 (2 shown)"), "\(report)")
        #expect(report.contains("code_postal") && report.contains("DATE") && !report.contains("amount"), "\(report)")
    }

    @Test func badRequestsAreUsageErrorsBeforeAnythingIsWritten() throws {
        let directory = try TestDirectory(prefix: "conversion")
        defer { directory.remove() }
        try directory.write(Self.csv, to: "in.csv")
        func problem(_ request: Conversion.Request) -> ConversionError? {
            do {
                _ = try Conversion(request)
                return nil
            } catch {
                return error
            }
        }
        let cases: [(Conversion.Request, String)] = [
            (request(directory, "in.csv", "out.txt"), "cannot tell the output format from extension '.txt'"),
            (request(directory, "in.csv", "out.parquet", compression: "lz4"), "--compression: unknown codec 'lz4'"),
            (request(directory, "in.csv", "out.parquet", types: "amount:money"), "--types: unknown type 'money' for column 'amount'"),
            (request(directory, "in.csv", "out.csv"), "is already CSV"),
        ]
        for (request, message) in cases {
            let error = try #require(problem(request))
            #expect(error.isUsage && error.message.contains(message), "\(error)")
        }
        let missing = try #require(problem(request(directory, "absent.csv", "out.parquet")))
        #expect(!missing.isUsage && missing.message.contains("absent.csv: cannot open"), "\(missing)")
        #expect(directory.tree().sorted() == ["in.csv"])
    }

    @Test func aValueThatDoesNotFitItsTypeNamesLineAndColumnAndWritesNothing() throws {
        let directory = try TestDirectory(prefix: "conversion")
        defer { directory.remove() }
        try directory.write(Self.csv, to: "in.csv")
        let conversion = try Conversion(request(directory, "in.csv", "out.parquet", types: "note:int64"))
        let error = try #require(throws: ConversionError.self) { try conversion.run() }
        #expect(error.message.hasSuffix("in.csv:2: column 'note': 'a, \"quoted\" note' is not a valid int64 value (from --types); nothing was written"),
                "\(error)")
        #expect(!error.isUsage)
        #expect(directory.tree().sorted() == ["in.csv"])
    }

    @Test func aCheckpointThatThrowsStopsTheConversion() throws {
        struct Stop: Error {}
        let directory = try TestDirectory(prefix: "conversion")
        defer { directory.remove() }
        try directory.write(Self.csv, to: "in.csv")
        let conversion = try Conversion(request(directory, "in.csv", "out.parquet"))
        #expect(throws: Stop.self) { try conversion.run(checkpoint: { throw Stop() }) }
        #expect(directory.tree().sorted() == ["in.csv"])
    }

    @Test func columnSelectionNamesTheProblem() throws {
        let names = ["siren", "code_postal"]
        #expect(try ColumnSelection.resolve("code_postal, siren", available: names).get() == [1, 0])
        guard case let .failure(problem) = ColumnSelection.resolve("cod_postal", available: names) else {
            Issue.record("accepted an unknown column")
            return
        }
        #expect(problem.description == "--columns: no column named 'cod_postal' (did you mean 'code_postal'?); the columns are: siren, code_postal")
        #expect(ReportFormatting.byteSize(1536) == "1.5 KiB" && ReportFormatting.rounded(2.375, 2) == "2.38")
    }
}
