import Basics
import LuaRuntime

/// `builder.parse_args(spec, argv?)`: declarative command-line options (see `ArgumentSpec`).
///
/// Returns the table of values. `--help` prints the generated help on standard output and ends
/// the run with status 0; a usage error (unknown option, missing or malformed value) prints
/// `<program>: <problem>` and a hint on standard error and ends the run with status 2. A mistake
/// in the spec itself is an ordinary error of `parse_args` (the script's bug).
///
/// `builder.usage_error(program, message)`: the same report for bad usage a script finds itself
/// (after `parse_args`): prints it on standard error and returns 2, the usage exit status.
extension BuilderLibrary {
    static func argumentFunctions(_ session: ScriptSession) -> [LuaHostFunction] {
        [
            LuaHostFunction("builder.parse_args") { args in
                let spec = try ArgumentSpec(args.value(1, "spec"), defaultProgram: session.programName ?? "builder script")
                var argv = session.arguments
                if !args.isAbsent(2) {
                    argv = []
                    for (offset, element) in try args.array(2, "argv").enumerated() {
                        guard let text = element.stringValue else {
                            throw args.error(2, "argv", "element \(offset + 1): string expected, got \(element.typeName)")
                        }
                        argv.append(text)
                    }
                }
                do {
                    switch try spec.parse(argv) {
                    case let .values(values):
                        return [.map(values)]
                    case .helpRequested:
                        session.console.writeOutput(spec.helpText)
                        throw session.requestExit(0)
                    }
                } catch let error as CommandLineUsageError {
                    session.console.writeError(StandardStreams.usageMessage(program: spec.program, error.message))
                    throw session.requestExit(2)
                }
            },

            // usage_error(program, message) -> 2
            LuaHostFunction("builder.usage_error") { args in
                let program = try args.string(1, "program")
                let message = try args.string(2, "message")
                session.console.writeError(StandardStreams.usageMessage(program: program, message))
                return [.integer(2)]
            },
        ]
    }
}
