/// The one error type of the Parquet target.
///
/// Low layers (Thrift, encodings, codecs) throw it with only a `kind` and a `message`; the file
/// reader adds the file, the row group, the column and the place in the chunk as the error
/// travels up, so the description always says where: `x.parquet: row group 3, column 'siret':
/// page header at offset 1234: compressed size 99999 exceeds the 512 bytes left in the chunk`.
public struct ParquetError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The file cannot be opened or read.
        case io
        /// The file does not start and end with the Parquet magic.
        case notParquet
        /// Modular encryption (`PARE` magic, or encrypted columns under a plaintext footer).
        case encrypted
        /// A codec this reader does not implement (LZ4, LZ4_RAW, BROTLI, LZO, unknown ids).
        case unsupportedCodec
        /// An encoding this reader does not implement, or one not valid for the column's type.
        case unsupportedEncoding
        /// A column that is not flat (inside a group, or repeated).
        case nestedColumn
        /// The bytes contradict the format or the file's own metadata.
        case corrupt
        /// A declared size passes a safety limit (Thrift caps, memory budget).
        case limitExceeded
        /// The caller asked for something that does not exist (row group, column, row).
        case invalidArgument
    }

    public var kind: Kind
    public var message: String
    /// The file path as given to the reader.
    public var file: String?
    public var rowGroup: Int?
    public var column: String?
    /// Where in the chunk or footer, e.g. `page header at offset 1234`.
    public var location: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, rowGroup: Int? = nil,
                column: String? = nil, location: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.rowGroup = rowGroup
        self.column = column
        self.location = location
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        var place: [String] = []
        if let rowGroup { place.append("row group \(rowGroup)") }
        if let column { place.append("column '\(column)'") }
        if !place.isEmpty { parts.append(place.joined(separator: ", ")) }
        if let location { parts.append(location) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    static func corrupt(_ message: String) -> ParquetError { ParquetError(.corrupt, message) }
    static func limit(_ message: String) -> ParquetError { ParquetError(.limitExceeded, message) }

    /// The same error with `what` in front of the message ("definition levels: ...").
    func prefixed(_ what: String) -> ParquetError {
        var copy = self
        copy.message = "\(what): \(message)"
        return copy
    }

    /// Fills the context fields that are still empty (inner context wins: it is more precise).
    func adding(file: String? = nil, rowGroup: Int? = nil, column: String? = nil,
                location: String? = nil) -> ParquetError {
        var copy = self
        if copy.file == nil { copy.file = file }
        if copy.rowGroup == nil { copy.rowGroup = rowGroup }
        if copy.column == nil { copy.column = column }
        if copy.location == nil { copy.location = location }
        return copy
    }
}

/// Runs `body`, prefixing the message of any `ParquetError` it throws with `what`.
@inline(__always)
func describing<T>(_ what: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ParquetError {
        throw error.prefixed(what())
    }
}

/// Runs `body`, adding context to any `ParquetError` it throws.
@inline(__always)
func withErrorContext<T>(file: String? = nil, rowGroup: Int? = nil, column: String? = nil,
                         location: @autoclosure () -> String? = nil,
                         _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ParquetError {
        throw error.adding(file: file, rowGroup: rowGroup, column: column, location: location())
    }
}
