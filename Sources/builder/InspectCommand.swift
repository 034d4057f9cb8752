import ArgumentParser
import Basics
import Conversion
import Parquet

/// `builder inspect FILE [--json] [--columns a,b] [--verify]`: what a Parquet file holds, and
/// optionally whether every page of it decodes.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the schema, row groups and statistics of a Parquet file.",
        discussion: """
            Prints the file's schema (name, physical type, logical and legacy converted type, \
            repetition), row count, key-value metadata, created_by, and for each row group its \
            rows and sizes and, per column chunk, the codec, encodings, sizes and statistics \
            (null count, min and max shown through the logical type: dates, timestamps, \
            decimals, text). Text mode shortens long values; --json prints everything in full.

            --verify decodes every page of every selected column, reports rows per second, and \
            fails with the error (file, row group, column, page) on a file that does not decode: \
            a quick "is my file readable" check.

            Exit status: 0 ok, 1 the file cannot be read (missing, not Parquet, corrupt), \
            2 bad usage.
            """
    )

    @Argument(help: "The Parquet file.")
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "Only these columns (comma-separated), in the listing and for --verify.")
    var columns: String?

    @Flag(help: "Decode every page of the selected columns and report the speed; exit 1 on the first error.")
    var verify = false

    func run() throws {
        let reader: ParquetFileReader
        do {
            reader = try ParquetFileReader(path: file)
        } catch let error as ParquetError {
            throw failure("\(error)")
        }
        let selected: [Int]
        switch ColumnSelection.resolve(columns, available: reader.columns.map(\.name)) {
        case let .success(indices): selected = indices
        case let .failure(problem): throw failure(problem.description, status: 2)
        }
        var verification: InspectVerification?
        if verify {
            do {
                verification = try InspectVerification.run(reader, columns: selected)
            } catch let error as ParquetError {
                if !json { print(InspectReport.text(reader, columns: selected)) }
                throw failure("\(error)")
            }
        }
        if json {
            print(try InspectReport.json(reader, columns: selected, verification: verification))
        } else {
            print(InspectReport.text(reader, columns: selected))
            if let verification { print(verification.summary) }
        }
    }

    /// Prints `message` and gives the exit status to throw (1: the file, 2: the usage).
    private func failure(_ message: String, status: Int32 = 1) -> ExitCode {
        StandardStreams.printError("builder inspect: \(message)")
        return ExitCode(status)
    }
}
