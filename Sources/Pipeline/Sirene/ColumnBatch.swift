import Columns

/// Rows of a SIRENE file in columnar form (the shared `ColumnData` layout): what the sample
/// generator produces and the sample writers consume.
public struct ColumnBatch: Sendable {
    public let schema: [SireneColumn]
    public let columns: [ColumnData]

    public init(schema: [SireneColumn], columns: [ColumnData]) {
        self.schema = schema
        self.columns = columns
    }

    public var rowCount: Int { columns.first?.count ?? 0 }

    /// The column called `name`, if any.
    public func column(named name: String) -> ColumnData? {
        schema.firstIndex { $0.name == name }.map { columns[$0] }
    }
}

extension SireneColumnType {
    /// How a column of this type is stored: strings as byte arrays, dates as days (Int32),
    /// timestamps as microseconds (Int64).
    var kind: ColumnsBuilder.Kind {
        switch self {
        case .string: .byteArray
        case .date: .int32
        case .timestampMicros, .int64: .int64
        case .boolean: .boolean
        }
    }
}

/// Builds the rows of one SIRENE schema (`SireneSchema.stockEtablissement`, `.stockUniteLegale`)
/// column by column, values addressed by column index: every row appends one value (or null)
/// to every column.
struct SireneRowsBuilder {
    let schema: [SireneColumn]
    private let builder: ColumnsBuilder

    init(schema: [SireneColumn], reservingCapacity rows: Int) {
        self.schema = schema
        builder = ColumnsBuilder(kinds: schema.map(\.type.kind), reservingCapacity: rows)
    }

    func append(_ column: Int, _ value: [UInt8]?) {
        if let value { builder.appendText(column, value) } else { builder.appendNull(column) }
    }

    func appendNull(_ column: Int) { builder.appendNull(column) }

    /// `value` in decimal (`value` >= 0).
    func appendDigits(_ column: Int, _ value: Int, width: Int = 1) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            let written = DecimalText.write(UInt64(max(0, value)), minimumWidth: width, into: buffer)
            builder.appendPart(column, UnsafeRawBufferPointer(rebasing: buffer[0..<written]))
        }
        builder.endText(column)
    }

    /// One value made of `parts` one after the other.
    func appendParts(_ column: Int, _ parts: [UInt8]...) {
        for part in parts { part.withUnsafeBytes { builder.appendPart(column, $0) } }
        builder.endText(column)
    }

    func appendDate(_ column: Int, _ days: Int32?) { builder.appendInt32(column, days) }

    func appendInt64(_ column: Int, _ value: Int64?) { builder.appendInt64(column, value) }

    func appendBoolean(_ column: Int, _ value: Bool?) { builder.appendBoolean(column, value) }

    func finish() -> ColumnBatch {
        // Only byte arrays can fail (past 2 GiB in one batch); sample batches are far smaller.
        let columns = (try? builder.finish()) ?? []
        return ColumnBatch(schema: schema, columns: columns)
    }
}

enum DecimalText {
    /// Writes `value` in decimal, left-padded with zeros to `minimumWidth`; returns the length.
    /// `buffer` must hold at least 20 bytes (and `minimumWidth`).
    @discardableResult
    static func write(_ value: UInt64, minimumWidth: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let width = min(max(digits, minimumWidth), buffer.count)
        var remaining = value
        var index = width - 1
        while index >= 0 {
            buffer[index] = UInt8(truncatingIfNeeded: 0x30 + remaining % 10)
            remaining /= 10
            index -= 1
        }
        return width
    }
}
