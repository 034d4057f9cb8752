/// An error out of the Lua runtime: a chunk that did not compile, a script that raised, an
/// interrupt, or a value that could not be converted.
///
/// `message` is Lua's message with its `file:line:` prefix kept as it is
/// (`scripts/batch.lua:12: builder.write_job: bad argument #2 'job' (...)`); `traceback` is the
/// `stack traceback:` text of the failing stack when the error was raised by running code.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The chunk did not compile (or a binary chunk was refused).
        case syntax
        /// The code raised an error (`error(...)`, a failing host function, a runtime fault).
        case runtime
        /// The run stopped because `LuaInterruptHandle.requestInterrupt()` was called.
        case interrupted
        /// Lua ran out of memory.
        case memory
        /// A host function ended the run by throwing a `LuaUnwindingError`.
        case unwound
        /// The error handler itself failed (for instance a `__tostring` that raises).
        case errorHandler
        /// A value could not cross between Lua and Swift (a function in a table, a cycle, ...).
        case conversion
        /// A script file could not be read, or the API was misused (bad name, closed state).
        case host
    }

    public var kind: Kind
    public var message: String
    public var traceback: String?

    public init(_ kind: Kind, _ message: String, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    /// The message, then the traceback on the following lines (what the `lua` program prints).
    public var description: String {
        guard let traceback, !traceback.isEmpty else { return message }
        return message + "\n" + traceback
    }
}

/// A value that cannot be converted, with the path of the field inside it
/// (`filters.naf_include[2]`; empty for the value itself).
struct LuaConversionError: Error {
    var path: FieldPath
    var problem: String

    /// `field 'filters.naf_include[2]': cannot convert a function value`, or just the problem
    /// for the value itself.
    var message: String {
        path.isRoot ? problem : "field '\(path)': \(problem)"
    }
}
