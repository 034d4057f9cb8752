import CLua

/// Stops a running script from another thread (a Ctrl-C handler, a watchdog).
///
/// Every `LuaState` installs an instruction-count hook (every
/// `LuaState.interruptCheckInterval` instructions, inherited by coroutines). Once
/// `requestInterrupt()` has been called, the hook raises `file:line: interrupted` in the running
/// Lua code; the protected call that started the run then throws a `LuaError` of kind
/// `.interrupted` with its traceback. The request is sticky: the hook keeps raising until
/// `LuaState.clearInterrupt()`, so a script's own `pcall` cannot swallow it, and a request made
/// just before a run starts still stops that run.
///
/// Limits: code that is not executing Lua instructions (a host function waiting on a child
/// process, `io.read`, `os.execute`) is not stopped by the hook; host functions that block
/// should poll `isInterruptRequested`. A script that replaces the hook with `debug.sethook`
/// opts out of interruption on that coroutine.
///
/// The handle is `Sendable` and may outlive its state. `requestInterrupt()` is one atomic
/// compare-and-swap, so it is also safe from a signal handler.
///
/// Why a permanent hook rather than `lua_sethook` at request time: `lua_sethook` is safe from a
/// signal handler on the Lua thread, but from another thread it walks the running thread's
/// call frames while they change; and it only reaches the main thread, not a coroutine in a
/// loop. The price: with any count hook set, Lua checks every instruction, measured at about
/// 2.2x on a pure arithmetic loop and 1.1x on string and table work; host functions and child
/// processes are not affected.
public final class LuaInterruptHandle: @unchecked Sendable {
    // Unchecked: `flag` is heap memory that is only read and written through the C atomic
    // builtins (`clua_interrupt_*`), from any thread. Two flags: the interrupt, then whether a
    // host function is unwinding the run (`LuaUnwindingError`).
    let flag: UnsafeMutablePointer<Int32>

    init() {
        flag = .allocate(capacity: 2)
        flag.initialize(repeating: 0, count: 2)
    }

    deinit {
        flag.deinitialize(count: 2)
        flag.deallocate()
    }

    /// Asks the running (or next) script to stop at the next hook.
    public func requestInterrupt() {
        clua_interrupt_request(flag)
    }

    /// True from `requestInterrupt()` until the state's `clearInterrupt()`.
    public var isInterruptRequested: Bool {
        clua_interrupt_state(flag) != CLUA_INTERRUPT_NONE
    }

    /// True once the hook has raised the interrupt error in running code.
    public var wasInterruptDelivered: Bool {
        clua_interrupt_state(flag) == CLUA_INTERRUPT_DELIVERED
    }

    func clear() {
        clua_interrupt_clear(flag)
    }
}
