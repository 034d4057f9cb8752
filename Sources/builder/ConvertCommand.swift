import ArgumentParser
import Basics
import CSV
import Conversion
import Parquet

/// `builder convert IN OUT [--columns a,b] [--compression C] [--types col:type,...]`:
/// Parquet to CSV, CSV to Parquet, Parquet to Parquet, streaming.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert Parquet to CSV and CSV to Parquet (or Parquet to Parquet: recompress, keep some columns).",
        discussion: """
            The input format is read from the content (Parquet starts with PAR1, anything else \
            is CSV); the output format is the extension of OUT (.csv or .parquet). The output is \
            written under a temporary name beside OUT and renamed only when complete: an error \
            or Ctrl-C leaves OUT as it was. Rows stream through row group by row group (Parquet \
            input) or block by block (CSV input), so memory does not grow with the file.

            Parquet to CSV: RFC 4180 (comma, double quotes, CRLF, header row, UTF-8). Values \
            are written through their logical type: dates YYYY-MM-DD, timestamps \
            YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff] (a final Z when adjusted to UTC), \
            decimals exactly, booleans true/false, floats in the shortest form that reads back \
            the same, UUIDs 8-4-4-4-12, nulls as empty fields. Binary columns without annotation \
            are written as text when they are UTF-8, otherwise as \\x and hex digits; GEOMETRY \
            and GEOGRAPHY columns as the hex of their WKB bytes.

            CSV to Parquet: the first row names the columns; lines end with LF or CRLF (a file \
            with CR alone, old Mac line ends, is refused). Types are inferred from the first \
            block of the file (about 4 MiB): boolean (true/false), int64, double, date, \
            timestamp (UTC when every value ends with Z), else string. Inference never loses \
            data: 007 stays text, and a double must read back as the same number \
            (0.1000000000000000055 stays text). A later \
            value that does not fit the inferred type stops the conversion with its line and \
            column (nothing is written); give that column's type with --types, e.g. \
            --types code_postal:string. Types for --types: \(TextColumnType.names.joined(separator: ", ")). \
            An empty field is null, except "" in a string or binary column (the empty string). \
            Every column is optional. Going back to CSV gives the same values (numbers in their \
            shortest form: 1.50 becomes 1.5).

            Parquet to Parquet: keeps the schema (logical types with their parameters, such as \
            a GEOMETRY column's CRS) and the row groups (unless --row-group-size), \
            recompresses; key-value metadata is kept except ARROW:schema and pandas (they \
            describe the columns of the original writer).

            Exit status: 0 converted, 1 error (input missing, unreadable or corrupt, a value \
            that does not fit its type, write error), 2 bad usage, 130 interrupted by Ctrl-C, \
            143 by SIGTERM, 129 by SIGHUP, 131 by Ctrl-\\ (nothing written).
            """
    )

    @Argument(help: "Input file: Parquet or CSV (told apart by content).")
    var input: String

    @Argument(help: "Output file: .csv or .parquet.")
    var output: String

    @Option(help: "Columns to keep, comma-separated, in this order (default: all).")
    var columns: String?

    @Option(help: "Parquet output codec: snappy (default), zstd[:LEVEL] (1-22, default 3), gzip[:LEVEL] (1-9), none.")
    var compression: String?

    @Option(help: "CSV input column types, comma-separated NAME:TYPE (e.g. siren:string,amount:decimal(12,2)).")
    var types: String?

    @Option(help: "Rows per row group of a Parquet output (default: the input's row groups for Parquet input, 1048576 for CSV input).")
    var rowGroupSize: Int?

    func run() throws {
        var parent = OutputParent()
        do {
            try convert(&parent)
        } catch {
            // Nothing written: no directory made for it is left behind.
            parent.removeIfUnused()
            throw error
        }
    }

    private func convert(_ parent: inout OutputParent) throws {
        do {
            // Usage first: nothing is read or written before the arguments are known to be right.
            let conversion = try Conversion(Conversion.Request(
                input: input, output: output, columns: columns, compression: compression, types: types,
                rowGroupSize: rowGroupSize, createdBy: BuilderVersion.createdBy))
            parent = try OutputParent.prepare(for: output, program: "builder convert", option: "OUTPUT")
            Interruption.install()
            let clock = ContinuousClock()
            let start = clock.now
            let summary = try conversion.run(checkpoint: Interruption.check)
            let (seconds, attoseconds) = (clock.now - start).components
            StandardStreams.printError("convert: \(summary) in \(ReportFormatting.rounded(Double(seconds) + Double(attoseconds) / 1e18, 1)) s")
        } catch let failure as ConversionError {
            StandardStreams.printError("builder convert: \(failure.message)")
            throw ExitCode(failure.isUsage ? 2 : 1)
        } catch let error as ParquetError {
            StandardStreams.printError("builder convert: \(error)")
            throw ExitCode.failure
        } catch let error as CSVError {
            StandardStreams.printError("builder convert: \(error)")
            throw ExitCode.failure
        } catch is Interruption.Stop {
            StandardStreams.printError("builder convert: \(Interruption.message)")
            throw ExitCode(Interruption.exitStatus)
        }
    }
}
