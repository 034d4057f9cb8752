#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaRuntime

/// `builder.sleep`, `builder.now` and `builder.interrupted`: time and Ctrl-C, for back-off loops.
extension BuilderLibrary {
    static func timeFunctions(_ session: ScriptSession) -> [LuaHostFunction] {
        [
            // builder.sleep(seconds) -> true, or false when cut short by Ctrl-C
            LuaHostFunction("builder.sleep") { args in
                let seconds = try args.number(1, "seconds")
                guard seconds >= 0, seconds.isFinite else {
                    throw args.error(1, "seconds", "must be a non-negative number, got \(seconds)")
                }
                let completed = session.blocking { () -> Bool in
                    let deadline = now() + seconds
                    while true {
                        if session.cancellation.isCancelled || args.isInterruptRequested { return false }
                        let remaining = deadline - now()
                        if remaining <= 0 { return true }
                        // Short naps, so that Ctrl-C is noticed within 20 ms.
                        usleep(useconds_t(min(remaining, 0.02) * 1_000_000))
                    }
                }
                return [.boolean(completed)]
            },
            // builder.now() -> seconds since 1970-01-01 UTC, with sub-second precision
            LuaHostFunction("builder.now") { _ in [.number(now())] },
            // builder.interrupted() -> false, or the signal received (2 for Ctrl-C, 15 for SIGTERM)
            LuaHostFunction("builder.interrupted") { _ in
                [session.interruptSignal.map { .integer(Int64($0)) } ?? false]
            },
        ]
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
