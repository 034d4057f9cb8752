import LuaRuntime

/// Replacements for standard Lua functions that would otherwise bypass the host.
extension BuilderLibrary {
    /// `os.exit([code])` ends the script with `code` (true or nil: 0, false: 1) the way the host
    /// ends it: the stack unwinds (closing `<close>` variables), the log is closed, the exit code
    /// is returned to the caller. Lua's own `os.exit` would call C `exit()` from inside the
    /// interpreter. A script's `pcall` cannot stop it (see `exitGuard`).
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
            // Hidden: taken by `exitGuard` then removed from `os`.
            LuaHostFunction("os.builder_exit_pending") { _ in [.boolean(session.exitRequest != nil)] },
        ]
    }

    /// Makes `pcall`, `xpcall` and `coroutine.resume` let an exit through: once `os.exit` (or
    /// `parse_args` after `--help` or a usage error) has asked to end the run, the error they
    /// caught is raised again, so the script stops at once instead of running on until the
    /// interrupt hook fires; an `xpcall` handler is not called for it.
    static let exitGuard = """
        local exit_pending = os.builder_exit_pending
        os.builder_exit_pending = nil
        local raw_pcall, raw_xpcall, raw_resume, error, type = pcall, xpcall, coroutine.resume, error, type
        local function pass(ok, ...)
          if not ok and exit_pending() then error((...), 0) end
          return ok, ...
        end
        function pcall(f, ...) return pass(raw_pcall(f, ...)) end
        function xpcall(f, handler, ...)
          if type(handler) ~= "function" then
            error("bad argument #2 to 'xpcall' (function expected, got " .. type(handler) .. ")", 2)
          end
          return pass(raw_xpcall(f, function(message)
            if exit_pending() then return message end
            return handler(message)
          end, ...))
        end
        function coroutine.resume(co, ...) return pass(raw_resume(co, ...)) end
        """
}
