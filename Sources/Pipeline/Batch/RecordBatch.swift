import Columns

/// Rows going through a run's steps: the columns of the run's schema (nil until the step that
/// adds a column has run), which rows are still in (`selection`), and the input fields they
/// came from (`source`), for the steps that read the input itself.
///
/// Steps that drop rows clear their flags in `selection`; the rows stay in the columns until
/// the outputs skip them, so no step copies columns to drop a few rows.
public struct RecordBatch: Sendable {
    public let schema: BatchSchema
    public let rowCount: Int
    public private(set) var columns: [ColumnData?]
    /// False for rows a step dropped; nil while every row is in.
    public private(set) var selection: [Bool]?
    /// The selected input rows, as read (until the worker stage ends).
    public var source: SourceBatch?

    public init(schema: BatchSchema, rowCount: Int, source: SourceBatch? = nil) {
        self.schema = schema
        self.rowCount = rowCount
        self.columns = Array(repeating: nil, count: schema.columns.count)
        self.source = source
    }

    public subscript(index: Int) -> ColumnData? { columns[index] }

    public func column(named name: String) -> ColumnData? { schema.index(of: name).flatMap { columns[$0] } }

    /// Sets the column at `index`; its row count must be the batch's.
    public mutating func set(_ index: Int, _ data: ColumnData) {
        precondition(data.count == rowCount, "column \(schema.columns[index].name): \(data.count) rows in a batch of \(rowCount)")
        columns[index] = data
    }

    @inline(__always)
    public func isKept(_ row: Int) -> Bool { selection?[row] ?? true }

    /// Rows still in.
    public var keptCount: Int {
        guard let selection else { return rowCount }
        var count = 0
        for flag in selection where flag { count += 1 }
        return count
    }

    /// Drops the rows whose `keep` flag is false (rows already dropped stay dropped).
    public mutating func keep(_ keep: [Bool]) {
        guard var current = selection else {
            selection = keep.contains(false) ? keep : nil
            return
        }
        for row in 0..<rowCount where !keep[row] { current[row] = false }
        selection = current
    }

    /// Keeps only the first `count` rows still in (the rest are dropped).
    public mutating func keepFirst(_ count: Int) {
        var remaining = count
        var flags = selection ?? Array(repeating: true, count: rowCount)
        for row in 0..<rowCount where flags[row] {
            if remaining > 0 { remaining -= 1 } else { flags[row] = false }
        }
        selection = flags
    }

    /// Bytes held by the columns (for memory accounting).
    public var byteSize: Int { columns.reduce(0) { $0 + ($1?.byteSize ?? 0) } }
}

extension RecordBatch {
    /// The rows of `parts` (batches of one schema, with the same columns set) one after the
    /// other, their dropped rows still dropped; `parts` must not be empty.
    public static func joining(_ parts: [RecordBatch]) -> RecordBatch {
        precondition(!parts.isEmpty, "no batch to join")
        if parts.count == 1 { return parts[0] }
        let rows = parts.reduce(0) { $0 + $1.rowCount }
        var joined = RecordBatch(schema: parts[0].schema, rowCount: rows)
        for index in parts[0].columns.indices {
            let columns = parts.compactMap { $0.columns[index] }
            guard !columns.isEmpty else { continue }
            precondition(columns.count == parts.count, "column \(parts[0].schema.columns[index].name) set in some batches only")
            guard let data = ColumnData.concatenating(columns) else {
                preconditionFailure("column \(parts[0].schema.columns[index].name) stored differently across batches")
            }
            joined.set(index, data)
        }
        if parts.contains(where: { $0.selection != nil }) {
            var flags: [Bool] = []
            flags.reserveCapacity(rows)
            for part in parts { flags.append(contentsOf: part.selection ?? Array(repeating: true, count: part.rowCount)) }
            joined.selection = flags
        }
        return joined
    }
}
