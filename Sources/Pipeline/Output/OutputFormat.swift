import Basics
import Jobs

/// A kind of file a run writes from its rows (`dataset.csv`, `dataset.parquet`, ...): its name
/// in `output.formats`, its file name, and how to open its writer. The one list of them is
/// `OutputFormats.all`; a new format is one file with a type conforming to this protocol and one
/// line there.
protocol OutputFormat {
    /// As `output.formats` names it: `csv`.
    static var name: String { get }
    /// The file in the output directory: `dataset.csv`.
    static var fileName: String { get }
    /// What the file holds, in a line (`--explain`).
    static var summary: String { get }
    /// The writer of one run, writing to `stagedPath` until the run commits.
    static func open(stagedPath: String, schema: BatchSchema, settings: OutputSettings) throws -> DatasetFileWriter
}

/// What writers are opened with, besides the schema.
struct OutputSettings {
    /// Under a memory limit: the most bytes a writer may hold (a Parquet row group).
    var maxBufferedBytes: Int?
    /// The job's `output` section.
    var output: JobSpec.Output

    /// What a run's exports may hold together under a memory limit: an eighth of it.
    static func exportBytes(limitMB: Int) -> Int { (limitMB << 20) / 8 }

    /// Below this `maxBufferedBytes`, a writer is one of many (a shared scan's jobs share their
    /// budget): it keeps no buffer between batches that it can take again, so that many writers
    /// at once stay small. A job of a shared scan allowed at least this much writes as it would
    /// alone.
    static let smallAllowance = 8 << 20

    /// Whether a writer allowed `maxBufferedBytes` is one of many (`smallAllowance`).
    static func isOneOfMany(_ maxBufferedBytes: Int?) -> Bool { maxBufferedBytes.map { $0 < smallAllowance } ?? false }
}

/// The output formats builder writes, and the default list.
enum OutputFormats {
    static let all: [any OutputFormat.Type] = [CSVOutput.self, ParquetOutput.self, XLSXOutput.self, HTMLReportOutput.self]

    /// Without `output.formats`.
    static let defaultNames = ["csv", "parquet", "html"]

    static func named(_ name: String) -> (any OutputFormat.Type)? { all.first { $0.name == name } }

    /// The formats of `output`, checked: unknown names are a usage error naming the field, with
    /// a suggestion.
    static func formats(of output: JobSpec.Output, jobPath: String) throws(RunFailure) -> [any OutputFormat.Type] {
        let names = output.formats ?? defaultNames
        var formats: [any OutputFormat.Type] = []
        for (index, name) in names.enumerated() {
            guard let format = named(name) else {
                let known = all.map { $0.name }
                let hint = suggestName(for: name, among: known).map { " (did you mean \($0)?)" } ?? ""
                throw RunFailure(.usage, "\(jobPath): field 'output.formats[\(index)]': unknown output format '\(name)'\(hint); "
                    + "the formats are \(known.joined(separator: ", "))")
            }
            formats.append(format)
        }
        return formats
    }
}

/// `dataset.csv` (see `DatasetCSVWriter`).
enum CSVOutput: OutputFormat {
    static let name = "csv"
    static let fileName = "dataset.csv"
    static let summary = "RFC 4180, UTF-8, a header row"

    static func open(stagedPath: String, schema: BatchSchema, settings: OutputSettings) throws -> DatasetFileWriter {
        try DatasetCSVWriter(stagedPath: stagedPath, schema: schema, dialect: settings.output.csv,
                             maxBufferedBytes: settings.maxBufferedBytes)
    }
}

/// `dataset.parquet` (see `DatasetParquetWriter`).
enum ParquetOutput: OutputFormat {
    static let name = "parquet"
    static let fileName = "dataset.parquet"
    static let summary = "typed columns, SNAPPY"

    static func open(stagedPath: String, schema: BatchSchema, settings: OutputSettings) throws -> DatasetFileWriter {
        try DatasetParquetWriter(stagedPath: stagedPath, schema: schema, maxRowGroupBytes: settings.maxBufferedBytes)
    }
}

/// `dataset.xlsx` (see `DatasetXLSXWriter`).
enum XLSXOutput: OutputFormat {
    static let name = "xlsx"
    static let fileName = "dataset.xlsx"
    static let summary = "typed cells, bold frozen header, autofilter, a KPI sheet"

    static func open(stagedPath: String, schema: BatchSchema, settings: OutputSettings) throws -> DatasetFileWriter {
        try DatasetXLSXWriter(stagedPath: stagedPath, schema: schema)
    }
}
