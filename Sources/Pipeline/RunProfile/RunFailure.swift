/// Why `run-profile` stopped, with the exit status it implies:
///
/// - `.usage` (exit 2): the command line or the job file is wrong, nothing was read: unknown or
///   bad option, malformed job, missing input file, input or job that is not a regular file,
///   unknown dedupe key.
/// - `.run` (exit 1): the run itself failed: unreadable or corrupt input, input without a NAF
///   column, output directory not writable, time budget or memory limit exceeded.
/// - `.interrupted(signal)` (exit 128 + signal: 130 for SIGINT, 143 for SIGTERM, as the shell
///   reports a process killed by it): SIGINT or SIGTERM stopped the run, which removed its
///   temporary files.
///
/// The message names the file, column or value at fault.
public struct RunFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case usage
        case run
        case interrupted(signal: Int32)
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var exitStatus: Int32 {
        switch kind {
        case .usage: 2
        case .run: 1
        case let .interrupted(signal): 128 + signal
        }
    }

    public var description: String { message }
}
