import Basics
import Jobs
import Parquet

/// The type a column has in an input cache file.
enum CacheColumnType: Sendable {
    case text, date, timestampMicros, int64, boolean
}

/// One column of an input cache file: the field, its name in the input's layout, its type.
struct CacheColumn: Sendable {
    let field: SourceField
    let name: String
    let type: CacheColumnType
}

/// What an input cache file holds (see `InputCacheFilter`): every column a job of the input's
/// layout reads, with the input's own types (Parquet) or as text (CSV), for the rows the cache's
/// filter keeps, in input order. A job reading the cache instead of the input then selects
/// exactly the same rows, in the same order, with the same values.
///
/// The run that finds no cache file builds it while it reads the input for its own job: the
/// workers keep the cache's rows, the run writes them, and takes its own rows among them.
enum InputCacheContent {
    /// The fields a cache keeps: every field of the input a filter or a step can read, whatever
    /// the steps of the jobs that will read it.
    static func fields(for columns: InputColumns) -> [SourceField] {
        SourceField.allCases.filter { columns.has($0) }
    }

    /// The cache file's columns for `input`.
    static func columns(for input: StockInput) -> [CacheColumn] {
        fields(for: input.columns).compactMap { field in
            input.columns.name(of: field).map { CacheColumn(field: field, name: $0, type: type(of: field, in: input)) }
        }
    }

    private static func type(of field: SourceField, in input: StockInput) -> CacheColumnType {
        guard case let .parquet(reader) = input.reader, let name = input.columns.name(of: field),
              let leaf = reader.schema.columnIndex(named: name) else { return .text }
        let column = reader.schema.columns[leaf]
        switch column.physicalType {
        case .boolean: return .boolean
        case .int32:
            if case .date? = column.logicalType { return .date }
            return .int64
        case .int64:
            if case .timestamp? = column.logicalType { return .timestampMicros }
            return .int64
        case .int96: return .timestampMicros
        default: return .text
        }
    }
}

/// An input cache being written by the run that reads the input.
final class InputCacheBuild {
    let file: String
    let filter: InputCacheFilter
    let writer: InputCacheParquetWriter
    let started = Stopwatch.now()
    var rowsKept = 0

    init(file: String, filter: InputCacheFilter, writer: InputCacheParquetWriter) {
        self.file = file
        self.filter = filter
        self.writer = writer
    }
}
