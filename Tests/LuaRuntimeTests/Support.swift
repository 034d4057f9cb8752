import LuaRuntime

extension LuaState {
    /// Passes `value` to Lua and back through a Lua function (`return ...`).
    func roundTrip(_ value: LuaValue) throws -> LuaValue {
        let identity = try load(source: "return ...", chunkName: "=identity")
        let results = try identity.call([value])
        return results.first ?? .nil
    }

    /// The error a snippet raises, or nil when it succeeds.
    func failure(of source: String, chunkName: String = "=test") -> LuaError? {
        do {
            try evaluate(source, chunkName: chunkName)
            return nil
        } catch {
            return error
        }
    }
}
