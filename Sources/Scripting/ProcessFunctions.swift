import LuaRuntime

/// Replacements for standard Lua functions that would otherwise bypass the host.
extension BuilderLibrary {
    /// `os.exit([code])` ends the script with `code` (true or nil: 0, false: 1) the way the host
    /// ends it: the stack unwinds (closing `<close>` variables), the log is closed, the exit code
    /// is returned to the caller. Lua's own `os.exit` would call C `exit()` from inside the
    /// interpreter. A script's `pcall`, `xpcall` or `coroutine.resume` cannot stop it, and no
    /// `xpcall` handler runs for it (`ScriptExit` is a `LuaUnwindingError`). In a finalizer, whose
    /// error the collector swallows, the code it interrupted stops at its next instruction; in one
    /// run when the state closes after the script, the code is the exit status unless the script
    /// exited itself (see `ScriptLauncher`).
    static func standardLibraryOverrides(_ session: ScriptSession) -> [LuaHostFunction] {
        [
            LuaHostFunction("os.exit") { args in
                let code: Int32
                switch args.type(1) {
                case .none, .nil: code = 0
                case .boolean: code = try args.boolean(1, "code") ? 0 : 1
                default:
                    let value = try args.integer(1, "code")
                    guard (0...255).contains(value) else { throw args.error(1, "code", "exit status must be 0 to 255, got \(value)") }
                    code = Int32(value)
                }
                throw session.requestExit(code)
            },
        ]
    }
}
