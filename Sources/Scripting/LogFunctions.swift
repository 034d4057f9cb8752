import Basics
import Jobs
import LuaRuntime

/// `log`, `builder.open_log` and `builder.set_log_level` (see `ScriptLog`).
extension BuilderLibrary {
    static func logFunctions(_ session: ScriptSession) -> [LuaHostFunction] {
        [
            // log(level, message, fields?)
            LuaHostFunction("builder.log", global: true) { args in
                let level = try logLevel(args, position: 1)
                let message = try args.string(2, "message")
                var fields = StructuredMap()
                if !args.isAbsent(3) {
                    do {
                        if case let .map(map) = try ValueBridge.structured(.map(args.map(3, "fields"))) { fields = map }
                    } catch let error as ValueBridge.ConversionError {
                        throw args.error(3, "fields", error.description)
                    }
                }
                session.log.record(level, message, fields: fields)
                return []
            },

            // builder.open_log(path) -> absolute path
            LuaHostFunction("builder.open_log") { args in
                let path = try args.string(1, "path")
                guard !path.isEmpty else { throw args.error(1, "path", "empty path") }
                return [LuaValue(try session.log.openFile(path))]
            },

            // builder.status(lines): live lines redrawn in place below the log on a terminal
            LuaHostFunction("builder.status") { args in
                var lines: [String] = []
                if !args.isAbsent(1) {
                    for (index, element) in try args.array(1, "lines").enumerated() {
                        guard let line = element.stringValue else {
                            throw args.error(1, "lines", "element \(index + 1): string expected, got \(element.typeName)")
                        }
                        lines.append(line)
                    }
                }
                session.log.status.set(lines)
                return []
            },

            // builder.is_terminal() -> whether standard error is a terminal (builder.status draws there)
            LuaHostFunction("builder.is_terminal") { _ in [.boolean(session.log.status.isTerminal)] },

            // builder.set_log_level(level)
            LuaHostFunction("builder.set_log_level") { args in
                session.log.minimumLevel = try logLevel(args, position: 1)
                return []
            },
        ]
    }

    private static func logLevel(_ args: LuaArguments, position: Int) throws(LuaArgumentError) -> LogLevel {
        let name = try args.string(position, "level")
        guard let level = LogLevel(rawValue: name) else {
            let names = LogLevel.allCases.map(\.rawValue)
            let hint = suggestName(for: name, among: names).map { ", did you mean '\($0)'?" } ?? ""
            throw args.error(position, "level", "unknown level '\(name)'\(hint) (levels: \(names.joined(separator: ", ")))")
        }
        return level
    }
}
