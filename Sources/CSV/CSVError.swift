import AtomicOutput
import SystemIO

/// An error reading or writing CSV. The description names the file and, when known, the
/// physical line (1-based) where the offending record starts: `data.csv:12: ...`.
public struct CSVError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A quoted field was still open at the end of the input.
        case unterminatedQuote
        /// A record does not have as many fields as the header (or the first record).
        case fieldCountMismatch(expected: Int, found: Int)
        /// A single record is larger than `CSVReadOptions.maxRecordSize`, with what its bytes
        /// show about why.
        case recordTooLarge(limit: Int, cause: LongRecordCause)
        /// Lines end with a lone carriage return (old Mac files): read as LF/CRLF CSV, the whole
        /// file would be one record.
        case carriageReturnLineEnds
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

    /// Why a record grew past the size limit, as its bytes tell.
    public enum LongRecordCause: Sendable, Equatable {
        /// A quoted field is still open where the reader had to stop.
        case openQuote
        /// No quote open: a record (a line, or lines joined by quoted line breaks) that long.
        case noRecordEnd
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
        case let .recordTooLarge(limit, .openQuote):
            return "a quoted field opened in the record starting on this line is still open after \(limit) bytes "
                + "(a closing quote is missing)"
        case let .recordTooLarge(limit, .noRecordEnd):
            return "a record longer than \(limit) bytes (no line end found outside quotes)"
        case .carriageReturnLineEnds:
            return "lines end with a carriage return alone (CR, old Mac line ends), which CSV does not use: "
                + "the file would read as one line; save it with LF or CRLF line ends (e.g. tr '\\r' '\\n' < in.csv > out.csv)"
        case .missingHeader:
            return "no header row (the input is empty)"
        case let .io(operation, code):
            return "\(operation) failed: \(SystemIO.message(for: code))"
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
