import Basics
import Jobs
import LuaRuntime

/// The Lua API (README, `scripts/meta/builder.lua`), as one registration list: the globals `render_template`,
/// `write_job`, `run_job`, `log`, and the `builder` table with the helpers. The editor file
/// `scripts/meta/builder.lua` documents exactly these names (a test checks it).
///
/// Conventions: wrong argument types, unknown option keys and impossible requests raise
/// (`file:line: builder.fs.read: cannot read x: No such file or directory`, catchable with
/// `pcall`); outcomes a script is expected to handle are returned: a failed job is a result
/// table, `is_valid` and `validate_job` return `false, reason`.
public enum BuilderLibrary {
    /// Every host function of the API, in the order they are documented.
    static func functions(_ session: ScriptSession) -> [LuaHostFunction] {
        jobFunctions(session) + logFunctions(session) + argumentFunctions(session) + nafFunctions()
            + fileFunctions(session) + codecFunctions() + timeFunctions(session) + reportFunctions()
    }

    /// The qualified names of the API's functions (`builder.fs.read`, ...); globals are also
    /// installed under their last component (`write_job`).
    public static var functionNames: [String] {
        functions(placeholderSession).map(\.name)
    }

    /// The functions also installed as globals.
    public static var globalNames: [String] {
        functions(placeholderSession).filter(\.isGlobal).compactMap { $0.name.split(separator: ".").last.map(String.init) }
    }

    /// Values of the `builder` table that are not functions.
    static func values(_ session: ScriptSession) -> [(name: String, value: LuaValue)] {
        [
            ("builder.args", .array(session.arguments.map { LuaValue($0) })),
            ("builder.version", LuaValue(BuilderVersion.current)),
            ("builder.json.null", LuaValue(ValueBridge.null)),
            ("builder.runner_placeholders", .array(RunnerCommand.placeholders.map { LuaValue($0) })),
            ("builder.limits", .array(RunOptionLimits.all.map(limitTable))),
        ]
    }

    /// `{name = "workers", min = 1, max = 256, text = "must be between 1 and 256"}` (`unit` when
    /// there is one): a limit of `RunOptionLimits` for scripts, which check their options with it.
    static func limitTable(_ limit: RunOptionLimit) -> LuaValue {
        func number(_ value: Double) -> LuaValue { Int64(exactly: value).map(LuaValue.integer) ?? .number(value) }
        var fields: [String: LuaValue] = ["name": LuaValue(limit.name), "min": number(limit.minimum),
                                          "text": LuaValue(limit.requirement)]
        if let maximum = limit.maximum { fields["max"] = number(maximum) }
        if let unit = limit.unit { fields["unit"] = LuaValue(unit) }
        return .map(fields)
    }

    /// A session for listing names only: bodies are never called.
    private static var placeholderSession: ScriptSession {
        ScriptSession(arguments: [], console: ScriptConsole(writeOutput: { _ in }, writeError: { _ in }),
                      jobRunner: JobRunner(executablePath: "builder"), interruptHandle: nil)
    }
}
