import CLua

/// A Lua 5.4 interpreter with the standard libraries open: the one owner of a `lua_State`,
/// closed when this object is deinitialized.
///
/// ```swift
/// let lua = try LuaState()
/// try lua.register([
///     LuaHostFunction("builder.write_job", global: true) { args in
///         let path = try args.string(1, "path")
///         guard args.type(2) == .table || args.type(2) == .string else {
///             throw args.typeError(2, "job", expected: "table or string")
///         }
///         let job = try args.value(2, "job")       // LuaValue: .string or .map
///         return [LuaValue(try writeJob(job, to: path))]
///     },
/// ])
/// try lua.setGlobal("builder.args", .array(arguments.map { LuaValue($0) }))
/// try lua.registerModule(named: "batch", source: batchSource)   // require("batch")
/// try lua.prependModuleDirectory(LuaState.directory(ofScript: path))
/// do {
///     try lua.runFile(path, arguments: arguments.map { LuaValue($0) })
/// } catch {
///     print(error)   // "scripts/x.lua:3: builder.write_job: ...\nstack traceback:\n..."
/// }
/// ```
///
/// Thread rules: not `Sendable`. Create it, use it and release it (with its function
/// references) on one thread at a time; a script runs on the thread that calls `run...`. The only
/// thing another thread may touch is `interruptHandle`. Host functions run on the script's
/// thread and may call back into this state (re-entrancy is allowed, concurrency is not).
///
/// Stack discipline: every public method leaves the Lua stack as it found it, whether it
/// succeeds or throws (`stackDepth` lets tests check).
///
/// Chunk names, as they appear in `file:line:` prefixes and tracebacks:
/// - a file: `@<path as given>`, or relative to the current directory when an absolute path
///   lies inside it;
/// - embedded source: `@builtin/<name>` (modules: `@builtin/<module>.lua`).
/// Lua itself shortens names longer than 60 bytes from the left (`...ts/long/path/x.lua:3:`).
public final class LuaState {
    let core: LuaStateCore
    /// Stops a running script from another thread; see `LuaInterruptHandle`.
    public let interruptHandle: LuaInterruptHandle
    private var hostFunctions: [HostFunctionBox] = []

    /// Qualified names of the functions registered so far, in registration order.
    public private(set) var registeredFunctionNames: [String] = []
    /// Embedded modules registered so far: module name -> Lua source (so it can be printed).
    public internal(set) var embeddedModules: [String: String] = [:]

    /// The interrupt hook runs every this many Lua instructions.
    public static let interruptCheckInterval: Int32 = 1000

    public init() throws(LuaError) {
        guard let L = luaL_newstate() else {
            throw LuaError(.memory, "cannot create a Lua state: out of memory")
        }
        luaL_openlibs(L)
        clua_install_guarded_calls(L)  // see `LuaUnwindingError`
        core = LuaStateCore(mainThread: L)
        interruptHandle = LuaInterruptHandle()
        clua_interrupt_install(L, interruptHandle.flag, Self.interruptCheckInterval)
    }

    deinit {
        // Finalizers run by lua_close may still call host functions: the boxes are released
        // only after it, when the stored properties go.
        core.isClosed = true
        lua_close(core.mainThread)
    }

    var stack: LuaStack { core.stack }

    /// Number of values on the Lua stack of the running thread (0 between calls). For tests.
    public var stackDepth: Int { Int(stack.top) }

    /// Makes the state runnable again after an interrupt (see `LuaInterruptHandle`) or after a
    /// host function unwound the run (see `LuaUnwindingError`).
    public func clearInterrupt() {
        interruptHandle.clear()
        clua_interrupt_install(core.mainThread, interruptHandle.flag, Self.interruptCheckInterval)
    }

    // MARK: - Loading and running chunks

    /// Compiles a Lua file (text only; as the `lua` program does, a leading UTF-8 byte-order mark
    /// and then a first line starting with `#` are skipped, line numbers are kept). Chunk name:
    /// `@<path>` (see the type's documentation).
    public func load(file path: String) throws(LuaError) -> LuaFunctionReference {
        var source = try readFile(path)
        if source.starts(with: [0xEF, 0xBB, 0xBF]) { source.removeFirst(3) }
        if source.first == UInt8(ascii: "#") {
            let lineEnd = source.firstIndex(of: UInt8(ascii: "\n")) ?? source.endIndex
            source.removeSubrange(source.startIndex..<lineEnd)
        }
        return try load(source, chunkName: "@" + displayPath(path))
    }

    /// Compiles embedded source with the chunk name `@builtin/<name>` (`name` such as `batch.lua`).
    public func load(embedded source: String, name: String) throws(LuaError) -> LuaFunctionReference {
        try load(Array(source.utf8), chunkName: "@builtin/" + name)
    }

    /// Compiles source with an explicit Lua chunk name (`@file`, `=label`, ...).
    public func load(source: String, chunkName: String) throws(LuaError) -> LuaFunctionReference {
        try load(Array(source.utf8), chunkName: chunkName)
    }

    private func load(_ source: [UInt8], chunkName: String) throws(LuaError) -> LuaFunctionReference {
        let stack = self.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        try stack.load(source, chunkName: chunkName)
        return LuaFunctionReference(core: core, stack: stack, index: -1)
    }

    /// Runs a Lua file; `arguments` are the chunk's `...`. Results are ignored. To give the
    /// script an `arg` table as well, `setGlobal("arg", ...)` first.
    public func runFile(_ path: String, arguments: [LuaValue] = []) throws(LuaError) {
        try load(file: path).callIgnoringResults(arguments)
    }

    /// Runs embedded source as `@builtin/<name>`; `arguments` are the chunk's `...`.
    public func runEmbedded(_ source: String, name: String, arguments: [LuaValue] = []) throws(LuaError) {
        try load(embedded: source, name: name).callIgnoringResults(arguments)
    }

    /// Runs a snippet and returns its converted results (`evaluate("return 1, 'a'")`).
    @discardableResult
    public func evaluate(_ source: String, chunkName: String = "=evaluate") throws(LuaError) -> [LuaValue] {
        try load(source: source, chunkName: chunkName).call()
    }

    // MARK: - Globals

    /// The value of a global, or of a field inside global tables for a dotted name
    /// (`builder.args`); `.nil` when absent. Read with raw access (strict mode does not apply).
    /// A function or other unconvertible value is a `.conversion` error.
    public func global(_ name: String) throws(LuaError) -> LuaValue {
        let stack = self.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        try pushField(name)
        do {
            return try stack.value(at: -1)
        } catch {
            throw LuaError(.conversion, "global '\(name)': \(error.message)")
        }
    }

    /// A global function (or a function inside global tables, dotted name), or nil when there
    /// is none.
    public func globalFunction(_ name: String) throws(LuaError) -> LuaFunctionReference? {
        let stack = self.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        try pushField(name)
        guard stack.type(at: -1) == .function else { return nil }
        return LuaFunctionReference(core: core, stack: stack, index: -1)
    }

    /// Sets a global, or a field inside global tables for a dotted name (`builder.args`),
    /// creating the tables on the way. Raw access.
    public func setGlobal(_ name: String, _ value: LuaValue) throws(LuaError) {
        let stack = self.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        do {
            try stack.push(value)
        } catch {
            throw LuaError(.conversion, "global '\(name)': \(error.message)")
        }
        try store(valueOnTopAs: name)
    }

    /// Strict mode (off by default): once enabled, reading an undefined global raises
    /// `file:line: undefined global 'name'` instead of returning nil. It sets a metatable on
    /// the global table (replacing any), so `rawget(_G, name)` still reads without raising.
    public func enableStrictGlobals() throws(LuaError) {
        try load(embedded: """
            setmetatable(_G, {__index = function(_, name)
              error("undefined global '" .. tostring(name) .. "'", 2)
            end})
            """, name: "strict.lua").callIgnoringResults()
    }

    // MARK: - Host functions

    /// Installs host functions (see `LuaHostFunction`). A name registered twice, a malformed
    /// name or a name component already holding a non-table value is an error; the functions
    /// before it stay registered.
    public func register(_ functions: [LuaHostFunction]) throws(LuaError) {
        for function in functions {
            guard !registeredFunctionNames.contains(function.name) else {
                throw LuaError(.host, "host function '\(function.name)' is registered twice")
            }
            let box = HostFunctionBox(function: function, core: core)
            let stack = self.stack
            let base = stack.top
            defer { lua_settop(stack.L, base) }
            clua_pushhostfunction(stack.L, dispatchHostFunction, Unmanaged.passUnretained(box).toOpaque())
            try store(valueOnTopAs: function.name)
            if function.isGlobal, let shortName = function.name.split(separator: ".").last {
                clua_pushhostfunction(stack.L, dispatchHostFunction, Unmanaged.passUnretained(box).toOpaque())
                try store(valueOnTopAs: String(shortName))
            }
            hostFunctions.append(box)
            registeredFunctionNames.append(function.name)
        }
    }

    // MARK: - Dotted names

    private func components(of name: String) throws(LuaError) -> [String] {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy(FieldPath.isIdentifier) else {
            throw LuaError(.host, "'\(name)' is not a Lua name or dotted name")
        }
        return parts
    }

    /// Pushes the value at a dotted name (nil when a table on the way is missing).
    private func pushField(_ name: String) throws(LuaError) {
        let parts = try components(of: name)
        stack.pushGlobals()
        for part in parts {
            guard stack.type(at: -1) == .table else {
                clua_pop(stack.L, 1)
                lua_pushnil(stack.L)
                return
            }
            stack.rawGet(-1, part)
            clua_remove(stack.L, -2)
        }
    }

    /// Pops the value on top and stores it at a dotted name, creating tables on the way. A
    /// table created at the first level is also recorded in `package.loaded`, so `require`
    /// returns it.
    private func store(valueOnTopAs name: String) throws(LuaError) {
        let parts = try components(of: name)
        let stack = self.stack
        stack.pushGlobals()
        for (level, part) in parts.dropLast().enumerated() {
            guard let created = stack.pushSubtable(-1, part) else {
                throw LuaError(.host, "cannot define '\(name)': '\(parts[0...level].joined(separator: "."))' is not a table")
            }
            clua_remove(stack.L, -2)
            if level == 0 && created {
                stack.pushRegistryField(LUA_LOADED_TABLE)
                lua_pushvalue(stack.L, -2)
                stack.rawSet(-2, part)
                clua_pop(stack.L, 1)
            }
        }
        lua_rotate(stack.L, -2, 1)  // value above its table
        stack.rawSet(-2, parts[parts.count - 1])
        clua_pop(stack.L, 1)
    }

    // MARK: - Files

    /// The path as given, or relative to the current directory when it is an absolute path
    /// inside it, so that messages read `scripts/x.lua:3:` whatever way the script was named.
    private func displayPath(_ path: String) -> String {
        guard path.hasPrefix("/"), let directory = currentDirectory() else { return path }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// A state belongs to one thread at a time; only its `interruptHandle` crosses threads.
@available(*, unavailable)
extension LuaState: Sendable {}
