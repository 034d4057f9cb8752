import CLua

/// Module lookup, in the order `require` tries it:
/// 1. embedded modules (`registerModule`), stored in `package.preload`, which is Lua's first
///    searcher; their chunk name is `@builtin/<name>.lua`;
/// 2. the directories given to `prependModuleDirectory` (the script's directory), as
///    `<dir>/?.lua;<dir>/?/init.lua` at the front of `package.path`;
/// 3. the system's Lua paths: the rest of `package.path` (`LUA_PATH_5_4`, `LUA_PATH` or Lua's
///    default), then `package.cpath` for C modules.
extension LuaState {
    /// Makes `require(name)` load `source` (compiled now, so a syntax error is reported here).
    /// Registering a name again replaces the module for later `require`s.
    public func registerModule(named name: String, source: String) throws(LuaError) {
        guard !name.isEmpty else { throw LuaError(.host, "an embedded module needs a name") }
        let stack = self.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        try stack.load(Array(source.utf8), chunkName: "@builtin/\(name).lua")
        stack.pushRegistryField(LUA_PRELOAD_TABLE)
        clua_insert(stack.L, -2)
        stack.rawSet(-2, name)
        embeddedModules[name] = source
    }

    /// Puts `directory` first in `package.path` (after embedded modules), so modules beside a
    /// script are found before the system's. An empty directory means the current one. Lua's
    /// path syntax cannot escape `;` or `?`, so a directory containing them is refused.
    public func prependModuleDirectory(_ directory: String) throws(LuaError) {
        guard !directory.contains(";"), !directory.contains("?") else {
            throw LuaError(.host, "cannot search modules in '\(directory)': Lua paths cannot contain ';' or '?'")
        }
        var prefix = directory.isEmpty ? "." : directory
        while prefix.count > 1, prefix.hasSuffix("/") { prefix.removeLast() }
        let entries = "\(prefix)/?.lua;\(prefix)/?/init.lua;"
        try setPackagePath(entries + packagePath)
    }

    /// The directory to pass to `prependModuleDirectory` for a script path (`.` for `x.lua`).
    public static func directory(ofScript path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The current `package.path`.
    public var packagePath: String {
        let stack = self.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        pushPackageTable()
        guard stack.type(at: -1) == .table else { return "" }
        stack.rawGet(-1, "path")
        return stack.string(at: -1) ?? ""
    }

    private func setPackagePath(_ path: String) throws(LuaError) {
        let stack = self.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        pushPackageTable()
        guard stack.type(at: -1) == .table else { throw LuaError(.host, "the package library is not loaded") }
        stack.push(string: path)
        stack.rawSet(-2, "path")
    }

    /// `package.loaded.package`: the real package table even if a script reassigned the global.
    private func pushPackageTable() {
        stack.pushRegistryField(LUA_LOADED_TABLE)
        stack.rawGet(-1, "package")
        clua_remove(stack.L, -2)
    }
}
