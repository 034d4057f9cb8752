import Columns

/// What the values of a pipeline column are. Every column is nullable.
public enum ColumnType: String, Sendable, CaseIterable {
    /// UTF-8 text: a BYTE_ARRAY STRING in Parquet, a Lua string.
    case text
    /// A calendar day (days since 1970-01-01): `YYYY-MM-DD` in CSV and Lua, DATE in Parquet.
    case date
    /// `true`/`false` in CSV, BOOLEAN in Parquet, a Lua boolean.
    case boolean
    /// A whole number: decimal in CSV, INT64 in Parquet, a Lua integer.
    case integer
    /// A decimal number (coordinates): shortest round-trip decimal in CSV, DOUBLE in Parquet,
    /// a Lua float.
    case number

    /// How the column is stored while the pipeline holds it.
    public var kind: ColumnsBuilder.Kind {
        switch self {
        case .text: .byteArray
        case .date: .int32
        case .boolean: .boolean
        case .integer: .int64
        case .number: .double
        }
    }
}

/// A column of the pipeline: what a step adds and what later steps and the outputs read.
///
/// Internal columns (`_name`) carry what one step tells another (whether a row has a street
/// line, ...) and never reach the datasets.
public struct ColumnSpec: Sendable, Equatable, Hashable {
    public let name: String
    public let type: ColumnType

    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
    }

    public var isInternal: Bool { name.hasPrefix("_") }
}
