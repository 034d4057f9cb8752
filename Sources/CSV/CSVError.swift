import AtomicOutput

/// An error reading or writing CSV. The description names the file and, when known, the
/// physical line (1-based) where the offending record starts: `data.csv:12: ...`.
public struct CSVError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A quoted field was still open at the end of the input.
        case unterminatedQuote
        /// A record does not have as many fields as the header (or the first record).
        case fieldCountMismatch(expected: Int, found: Int)
        /// A single record is larger than `CSVReadOptions.maxRecordSize` (often a stray quote).
        case recordTooLarge(limit: Int)
        /// The input has no header row.
        case missingHeader
        /// A system call failed.
        case io(operation: String, code: Int32)
        /// Writing, syncing or renaming the output file failed.
        case output(AtomicOutputError)
        /// The writer was given a record with the wrong number of fields.
        case writerFieldCount(expected: Int, found: Int)
        /// The writer was used after `close()` or after a failure.
        case writerClosed
        /// The writer was created without columns.
        case noColumns
    }

    public let kind: Kind
    public let file: String
    public let line: Int?

    public init(_ kind: Kind, file: String, line: Int? = nil) {
        self.kind = kind
        self.file = file
        self.line = line
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return "\(location): \(message)"
    }

    private var message: String {
        switch kind {
        case .unterminatedQuote:
            return "quoted field opened on this line is never closed (end of file reached)"
        case let .fieldCountMismatch(expected, found):
            return "record has \(found) field\(found == 1 ? "" : "s"), expected \(expected) like the header"
        case let .recordTooLarge(limit):
            return "record is larger than \(limit) bytes (a quote opened here and never closed?)"
        case .missingHeader:
            return "no header row (the input is empty)"
        case let .io(operation, code):
            return "\(operation) failed: \(POSIX.message(for: code))"
        case let .output(error):
            return error.message
        case let .writerFieldCount(expected, found):
            return "record written with \(found) field\(found == 1 ? "" : "s"), expected \(expected)"
        case .writerClosed:
            return "writer already closed or failed"
        case .noColumns:
            return "a CSV file needs at least one column"
        }
    }
}
