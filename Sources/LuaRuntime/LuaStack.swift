import CLua

/// Raw operations on one Lua thread's stack, used by everything else in this module.
///
/// Nothing here may raise a Lua error (a `longjmp` must never cross a Swift frame): tables are
/// read and written with raw access (no metamethods), strings are only read from string slots,
/// and stack space is reserved with `lua_checkstack`. The one exception is running out of
/// memory while pushing, which Lua reports by raising; that is not handled.
struct LuaStack {
    let L: OpaquePointer

    var top: Int32 { lua_gettop(L) }

    func type(at index: Int32) -> LuaType {
        LuaType(code: lua_type(L, index))
    }

    func absolute(_ index: Int32) -> Int32 {
        lua_absindex(L, index)
    }

    /// The bytes of the string at `index`; only call it on a string slot.
    func bytes(at index: Int32) -> [UInt8] {
        var length = 0
        guard let pointer = clua_tolstring(L, index, &length) else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) { start in
            Array(UnsafeBufferPointer(start: start, count: length))
        }
    }

    /// The text of the string at `index`, or nil when the slot is not a string.
    func string(at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        return String(decoding: bytes(at: index), as: UTF8.self)
    }

    func push(string: String) {
        var text = string
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = lua_pushlstring(L, chars.baseAddress, chars.count)
            }
        }
    }

    func push(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = lua_pushlstring(L, chars.baseAddress, chars.count)
            }
        }
    }

    // MARK: Raw table access

    /// Pushes `table[key]` (raw) for the table at `tableIndex`.
    func rawGet(_ tableIndex: Int32, _ key: String) {
        let table = absolute(tableIndex)
        push(string: key)
        lua_rawget(L, table)
    }

    /// Pops a value and stores it as `table[key]` (raw) for the table at `tableIndex`.
    func rawSet(_ tableIndex: Int32, _ key: String) {
        let table = absolute(tableIndex)
        push(string: key)
        clua_insert(L, -2)
        lua_rawset(L, table)
    }

    /// Pushes the registry field `key` (e.g. `_LOADED`, `_PRELOAD`), a table Lua itself creates.
    func pushRegistryField(_ key: String) {
        rawGet(clua_registryindex(), key)
    }

    func pushGlobals() {
        lua_rawgeti(L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
    }

    /// Pushes `table[key]` if it is a table, or creates it there (raw); returns true when it
    /// was created. Fails when `table[key]` holds something else than a table.
    func pushSubtable(_ tableIndex: Int32, _ key: String) -> Bool? {
        let table = absolute(tableIndex)
        rawGet(table, key)
        switch type(at: -1) {
        case .table:
            return false
        case .nil:
            clua_pop(L, 1)
            clua_newtable(L)
            lua_pushvalue(L, -1)
            rawSet(table, key)
            return true
        default:
            clua_pop(L, 1)
            return nil
        }
    }
}

// MARK: - Protected calls and loading

extension LuaStack {
    /// Calls the function below the `argumentCount` arguments on top of the stack with the C
    /// message handler, and returns how many results it left in their place. On failure the
    /// function and arguments are gone and the error carries the message and the traceback.
    func protectedCall(argumentCount: Int32) throws(LuaError) -> Int32 {
        let handlerIndex = top - argumentCount
        let resultBase = handlerIndex - 1
        clua_pushcfunction(L, clua_message_handler)
        clua_insert(L, handlerIndex)
        let status = clua_pcall(L, argumentCount, LUA_MULTRET, handlerIndex)
        if status == LUA_OK {
            clua_remove(L, handlerIndex)
            return top - resultBase
        }
        let kind = errorKind(status: status)
        let message = kind == .unwound ? "the run was ended by a host function"
            : string(at: -1) ?? "(error object is not a string)"
        pushRegistryField(CLUA_TRACEBACK_KEY)
        let traceback = string(at: -1)
        clua_pop(L, 1)
        lua_pushnil(L)
        rawSet(clua_registryindex(), CLUA_TRACEBACK_KEY)
        lua_settop(L, resultBase)
        throw LuaError(kind, message, traceback: traceback)
    }

    private func errorKind(status: Int32) -> LuaError.Kind {
        switch status {
        case LUA_ERRMEM: return clua_is_unwinding(L) != 0 ? .unwound : .memory
        case LUA_ERRERR: return .errorHandler
        default:
            if let flag = clua_interrupt_flag(L), clua_interrupt_state(flag) == CLUA_INTERRUPT_DELIVERED {
                return .interrupted
            }
            return .runtime
        }
    }

    /// Compiles Lua source text and pushes the chunk as a function.
    func load(_ source: [UInt8], chunkName: String) throws(LuaError) {
        let status = source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                clua_loadtext(L, chars.baseAddress, chars.count, chunkName)
            }
        }
        guard status == LUA_OK else {
            let message = string(at: -1) ?? "cannot load \(chunkName)"
            clua_pop(L, 1)
            throw LuaError(status == LUA_ERRMEM ? .memory : .syntax, message)
        }
    }
}

// MARK: - Converting values

extension LuaStack {
    /// Converts the value at `index` (see `LuaValue` for the rules). Leaves the stack as it was.
    func value(at index: Int32) throws(LuaConversionError) -> LuaValue {
        var ancestors: Set<UnsafeRawPointer> = []
        return try value(at: absolute(index), path: .root, depth: 0, ancestors: &ancestors)
    }

    private func value(
        at index: Int32, path: FieldPath, depth: Int, ancestors: inout Set<UnsafeRawPointer>
    ) throws(LuaConversionError) -> LuaValue {
        switch type(at: index) {
        case .none, .nil:
            return .nil
        case .boolean:
            return .boolean(lua_toboolean(L, index) != 0)
        case .number:
            if lua_isinteger(L, index) != 0 {
                return .integer(lua_tointegerx(L, index, nil))
            }
            return .number(lua_tonumberx(L, index, nil))
        case .string:
            return .string(LuaString(bytes: bytes(at: index)))
        case .table:
            return try table(at: index, path: path, depth: depth, ancestors: &ancestors)
        case let other:
            throw LuaConversionError(path: path, problem: "cannot convert a \(other.name) value")
        }
    }

    private func table(
        at index: Int32, path: FieldPath, depth: Int, ancestors: inout Set<UnsafeRawPointer>
    ) throws(LuaConversionError) -> LuaValue {
        guard depth < LuaValue.maximumDepth else {
            throw LuaConversionError(path: path, problem: "tables nested deeper than \(LuaValue.maximumDepth) levels")
        }
        guard let identity = lua_topointer(L, index) else { return .array([]) }
        guard ancestors.insert(identity).inserted else {
            throw LuaConversionError(path: path, problem: "table contains itself (cycle)")
        }
        defer { ancestors.remove(identity) }
        guard lua_checkstack(L, 3) != 0 else {
            throw LuaConversionError(path: path, problem: "Lua stack overflow")
        }
        let savedTop = top
        defer { lua_settop(L, savedTop) }

        var elements: [Int64: LuaValue] = [:]
        var fields: [String: LuaValue] = [:]
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            // Key at -2, value at -1. The key is never converted in place, so `lua_next` stays valid.
            switch type(at: -2) {
            case .string:
                let keyBytes = bytes(at: -2)
                guard let key = LuaString(bytes: keyBytes).validUTF8 else {
                    throw LuaConversionError(path: path, problem: "table key is not valid UTF-8")
                }
                fields[key] = try value(at: top, path: path.appending(key: key), depth: depth + 1, ancestors: &ancestors)
            case .number where lua_isinteger(L, -2) != 0:
                let key = lua_tointegerx(L, -2, nil)
                elements[key] = try value(at: top, path: path.appending(index: key), depth: depth + 1, ancestors: &ancestors)
            case .number:
                throw LuaConversionError(path: path, problem: "table has a non-integer number key \(lua_tonumberx(L, -2, nil))")
            case let other:
                throw LuaConversionError(path: path, problem: "table has a \(other.name) key")
            }
            if !elements.isEmpty && !fields.isEmpty {
                throw LuaConversionError(path: path, problem: "table mixes sequence keys (1..n) and string keys")
            }
            clua_pop(L, 1)
        }
        if !fields.isEmpty { return .map(fields) }

        // `count` distinct integer keys are exactly 1...count, or some key lies outside.
        var array: [LuaValue] = []
        array.reserveCapacity(elements.count)
        for position in 0..<Int64(elements.count) {
            guard let element = elements[position + 1] else {
                let stray = elements.keys.filter { $0 < 1 || $0 > Int64(elements.count) }.min() ?? 0
                throw LuaConversionError(
                    path: path,
                    problem: "table is not a sequence: key \(stray) with \(elements.count) elements (keys must be 1..n)")
            }
            array.append(element)
        }
        return .array(array)
    }

    /// Pushes `value` as a Lua value (one slot). On failure nothing is pushed.
    func push(_ value: LuaValue) throws(LuaConversionError) {
        let savedTop = top
        do {
            try push(value, path: .root, depth: 0)
        } catch {
            lua_settop(L, savedTop)
            throw error
        }
    }

    private func push(_ value: LuaValue, path: FieldPath, depth: Int) throws(LuaConversionError) {
        guard lua_checkstack(L, 3) != 0 else {
            throw LuaConversionError(path: path, problem: "Lua stack overflow")
        }
        switch value {
        case .nil:
            lua_pushnil(L)
        case .boolean(let flag):
            lua_pushboolean(L, flag ? 1 : 0)
        case .integer(let integer):
            lua_pushinteger(L, integer)
        case .number(let number):
            lua_pushnumber(L, number)
        case .string(let string):
            push(bytes: string.bytes)
        case .array(let elements):
            guard depth < LuaValue.maximumDepth else {
                throw LuaConversionError(path: path, problem: "tables nested deeper than \(LuaValue.maximumDepth) levels")
            }
            lua_createtable(L, Int32(clamping: elements.count), 0)
            for (offset, element) in elements.enumerated() where !element.isNil {
                try push(element, path: path.appending(index: Int64(offset) + 1), depth: depth + 1)
                lua_rawseti(L, -2, lua_Integer(offset + 1))
            }
        case .map(let fields):
            guard depth < LuaValue.maximumDepth else {
                throw LuaConversionError(path: path, problem: "tables nested deeper than \(LuaValue.maximumDepth) levels")
            }
            lua_createtable(L, 0, Int32(clamping: fields.count))
            for (key, field) in fields where !field.isNil {
                try push(field, path: path.appending(key: key), depth: depth + 1)
                rawSet(-2, key)
            }
        }
    }
}
