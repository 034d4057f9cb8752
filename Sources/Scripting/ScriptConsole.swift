#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics

/// Where a script's host writes: standard output (results, `--help`, JSON) and standard error
/// (human progress, log lines, error messages). Tests pass their own to capture both.
///
/// The standard console writes through `StandardStreams`, which flushes C stdio (where Lua's
/// `print` and `io.write` buffer) before each write, so host output and script output keep their
/// order.
public struct ScriptConsole: Sendable {
    public var writeOutput: @Sendable (String) -> Void
    public var writeError: @Sendable (String) -> Void
    /// Whether `writeError` goes to a terminal, where `builder.status` lines are drawn in place.
    public var errorIsTerminal: Bool

    public init(writeOutput: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
                errorIsTerminal: Bool = false) {
        self.writeOutput = writeOutput
        self.writeError = writeError
        self.errorIsTerminal = errorIsTerminal
    }

    /// The process's standard output and standard error.
    public static var standard: ScriptConsole {
        ScriptConsole(
            writeOutput: { text in StandardStreams.write(text, to: STDOUT_FILENO) },
            writeError: { text in StandardStreams.write(text, to: STDERR_FILENO) },
            errorIsTerminal: StatusArea.standardErrorIsTerminal()
        )
    }
}
