/// Why `run-profile` stopped, with the exit status it implies:
///
/// - `.usage` (exit 2): the command line or the job file is wrong, nothing was read: unknown or
///   bad option, malformed job, missing input file, unknown dedupe key.
/// - `.run` (exit 1): the run itself failed: unreadable or corrupt input, input without a NAF
///   column, output directory not writable, time budget or memory limit exceeded, interrupted.
///
/// The message names the file, column or value at fault.
public struct RunFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case usage
        case run
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var exitStatus: Int32 { kind == .usage ? 2 : 1 }

    public var description: String { message }
}
