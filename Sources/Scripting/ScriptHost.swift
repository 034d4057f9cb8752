#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import Jobs
import LuaRuntime

/// A Lua state ready to run a `builder` pipeline: the API of `BuilderLibrary` installed, the
/// embedded scripts requirable (`require("batch")`), `builder.args` and `arg` set.
///
/// Module lookup (`require`): embedded modules first, then the running script's directory,
/// then the system's Lua paths (`LUA_PATH_5_4`, `LUA_PATH` or Lua's default).
///
/// Exit status of a run (`runFile` / `runEmbedded`):
/// - the code given to `os.exit` (or 0 after `--help`, 2 after a usage error in `parse_args`);
/// - 1 after an uncaught error, printed as `file:line: message` and a traceback;
/// - 128 + signal (130 for Ctrl-C) after an interrupt: the runtime's `file:line: interrupted`
///   and traceback when the script was stopped in Lua code, nothing more when it ended by itself;
/// - 0 otherwise.
public final class ScriptHost {
    public let lua: LuaState
    public let session: ScriptSession

    /// - `arguments`: the script's arguments (`builder.args`).
    /// - `programName`: how the user runs the script, for `parse_args` messages.
    public init(arguments: [String] = [], programName: String? = nil, console: ScriptConsole = .standard,
                jobRunner: JobRunner = JobRunner()) throws(LuaError) {
        lua = try LuaState()
        session = ScriptSession(arguments: arguments, console: console, jobRunner: jobRunner,
                                interruptHandle: lua.interruptHandle)
        session.programName = programName
        try lua.register(BuilderLibrary.functions(session))
        try lua.register(BuilderLibrary.standardLibraryOverrides(session))
        // The globals are the very functions of the table (`write_job == builder.write_job`).
        try lua.load(source: "for _, name in ipairs(...) do _G[name] = builder[name] end", chunkName: "=globals")
            .callIgnoringResults([.array(BuilderLibrary.globalNames.map { LuaValue($0) })])
        for (name, value) in BuilderLibrary.values(session) {
            try lua.setGlobal(name, value)
        }
        var embedded: [String: LuaValue] = [:]
        for name in EmbeddedScripts.names {
            embedded[name] = EmbeddedScripts.source(named: name).map { LuaValue($0) } ?? .nil
        }
        try lua.setGlobal("builder.embedded", .map(embedded))
        for name in EmbeddedScripts.scriptNames {
            if let source = EmbeddedScripts.source(named: name) {
                try lua.registerModule(named: EmbeddedScripts.moduleName(ofScript: name), source: source)
            }
        }
    }

    /// Runs a Lua file as the main script.
    public func runFile(_ path: String) -> Int32 {
        finish { () throws(LuaError) in
            try setArgumentTable(scriptName: path)
            try lua.prependModuleDirectory(LuaState.directory(ofScript: path))
            try lua.runFile(path)
        }
    }

    /// Runs an embedded script (`batch.lua`) as the main script; its chunk is `@builtin/<name>`.
    public func runEmbedded(_ name: String) -> Int32 {
        guard let full = EmbeddedScripts.scriptName(name), let source = EmbeddedScripts.source(named: full) else {
            session.console.writeError("no embedded script named '\(name)'\n")
            return 2
        }
        return finish { () throws(LuaError) in
            try setArgumentTable(scriptName: full)
            try lua.runEmbedded(source, name: full)
        }
    }

    /// `arg` as the standalone `lua` program sets it: `arg[0]` the script, `arg[1..n]` its arguments.
    private func setArgumentTable(scriptName: String) throws(LuaError) {
        try lua.setGlobal("arg", .array(session.arguments.map { LuaValue($0) }))
        try lua.load(source: "arg[0] = ...", chunkName: "=arg").callIgnoringResults([LuaValue(scriptName)])
    }

    private func finish(_ run: () throws(LuaError) -> Void) -> Int32 {
        defer {
            session.log.closeFile()
            session.releaseLocks()
        }
        do {
            try run()
        } catch {
            if let code = session.exitRequest { return code }
            session.console.writeError(error.description + "\n")
            if error.kind == .interrupted { return 128 + (session.interruptSignal ?? SIGINT) }
            return 1
        }
        if let code = session.exitRequest { return code }
        if let signal = session.interruptSignal { return 128 + signal }
        return 0
    }
}
