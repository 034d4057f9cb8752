import CLua

/// Calls one Lua function once per row of a table of values, fast: the function gets the same
/// Lua table every time, whose fields the caller sets (`set...`) before each call and reads
/// (`value(ofWritten:)`) after it, without converting whole tables or interning the field
/// names again for every row.
///
/// Use: `begin()`, then per row: the `set...` calls, `clearWritten()`, `call()`, the reads;
/// then `end()`. Between `begin()` and `end()` the state's stack holds the function, the table
/// and the field names: call nothing else on the state meanwhile.
public final class LuaRowCall {
    private let state: LuaState
    private let function: LuaFunctionReference
    /// Fields the caller sets before each call.
    public let readFields: [String]
    /// Fields the caller reads after each call (and clears before the next).
    public let writtenFields: [String]
    private var base: Int32 = 0
    private var active = false

    /// A value the Lua function left in a written field.
    public enum Value: Equatable {
        case null
        case boolean(Bool)
        case integer(Int64)
        case number(Double)
        case string([UInt8])
        /// Anything else: the Lua type's name.
        case other(String)
    }

    public init(state: LuaState, function: LuaFunctionReference, readFields: [String], writtenFields: [String]) {
        self.state = state
        self.function = function
        self.readFields = readFields
        self.writtenFields = writtenFields
    }

    private var L: OpaquePointer { state.stack.L }
    private var tableIndex: Int32 { base + 2 }
    private func readKeyIndex(_ field: Int) -> Int32 { base + 3 + Int32(field) }
    private func writtenKeyIndex(_ field: Int) -> Int32 { base + 3 + Int32(readFields.count + field) }

    /// Pushes the function, a fresh row table and the field names.
    public func begin() throws(LuaError) {
        guard !active else { return }
        let needed = Int32(readFields.count + writtenFields.count + 8)
        guard lua_checkstack(L, needed) != 0 else { throw LuaError(.memory, "cannot grow the Lua stack for \(needed) values") }
        base = lua_gettop(L)
        try function.pushOnto(state.stack)
        lua_createtable(L, 0, Int32(readFields.count + writtenFields.count))
        for name in readFields + writtenFields { state.stack.push(string: name) }
        active = true
    }

    /// Pops what `begin()` pushed.
    public func end() {
        guard active else { return }
        lua_settop(L, base)
        active = false
    }

    deinit { end() }

    // MARK: Setting the row

    public func setNull(_ field: Int) {
        lua_pushvalue(L, readKeyIndex(field))
        lua_pushnil(L)
        lua_rawset(L, tableIndex)
    }

    public func setText(_ field: Int, _ bytes: UnsafeRawBufferPointer?) {
        lua_pushvalue(L, readKeyIndex(field))
        if let bytes {
            _ = lua_pushlstring(L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        } else {
            lua_pushnil(L)
        }
        lua_rawset(L, tableIndex)
    }

    public func setInteger(_ field: Int, _ value: Int64?) {
        lua_pushvalue(L, readKeyIndex(field))
        if let value { lua_pushinteger(L, lua_Integer(value)) } else { lua_pushnil(L) }
        lua_rawset(L, tableIndex)
    }

    public func setNumber(_ field: Int, _ value: Double?) {
        lua_pushvalue(L, readKeyIndex(field))
        if let value { lua_pushnumber(L, value) } else { lua_pushnil(L) }
        lua_rawset(L, tableIndex)
    }

    public func setBoolean(_ field: Int, _ value: Bool?) {
        lua_pushvalue(L, readKeyIndex(field))
        if let value { lua_pushboolean(L, value ? 1 : 0) } else { lua_pushnil(L) }
        lua_rawset(L, tableIndex)
    }

    /// Sets every written field to nil, so that a row starts without the previous row's values.
    public func clearWritten() {
        for field in writtenFields.indices {
            lua_pushvalue(L, writtenKeyIndex(field))
            lua_pushnil(L)
            lua_rawset(L, tableIndex)
        }
    }

    // MARK: Calling

    /// Calls the function with the row table; returns false when it returned `false` (and only
    /// then). Errors come back with their `file:line:` message and traceback.
    public func call() throws(LuaError) -> Bool {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_pushvalue(L, base + 1)
        lua_pushvalue(L, tableIndex)
        let count = try state.stack.protectedCall(argumentCount: 1)
        guard count > 0 else { return true }
        let result = top + 1
        return !(lua_type(L, result) == LUA_TBOOLEAN && lua_toboolean(L, result) == 0)
    }

    /// The value the function left in written field `field`.
    public func value(ofWritten field: Int) -> Value {
        lua_pushvalue(L, writtenKeyIndex(field))
        lua_rawget(L, tableIndex)
        defer { clua_pop(L, 1) }
        switch lua_type(L, -1) {
        case LUA_TNIL: return .null
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, -1) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, -1) != 0 { return .integer(Int64(lua_tointegerx(L, -1, nil))) }
            return .number(lua_tonumberx(L, -1, nil))
        case LUA_TSTRING: return .string(state.stack.bytes(at: -1))
        default: return .other(String(cString: lua_typename(L, lua_type(L, -1))))
        }
    }
}

extension LuaFunctionReference {
    /// Pushes the function on `stack`.
    func pushOnto(_ stack: LuaStack) throws(LuaError) {
        guard !core.isClosed else { throw LuaError(.host, "the Lua state is closed") }
        lua_rawgeti(stack.L, clua_registryindex(), lua_Integer(reference))
    }
}

/// A field of a table a chunk returned (`LuaFunctionReference.callForTable`).
public enum LuaTableField {
    case value(LuaValue)
    case function(LuaFunctionReference)
}

extension LuaFunctionReference {
    /// Calls the function (a loaded chunk, typically) and reads the table it returns: the
    /// fields named `keys` that are set, functions as references, other values converted. Throws
    /// when it returns no table, or when a field cannot be converted (naming it).
    public func callForTable(keys: [String]) throws(LuaError) -> [String: LuaTableField] {
        guard !core.isClosed else { throw LuaError(.host, "the Lua state is closed") }
        let stack = core.stack
        let base = stack.top
        defer { lua_settop(stack.L, base) }
        try pushOnto(stack)
        let count = try stack.protectedCall(argumentCount: 0)
        guard count > 0, stack.type(at: base + 1) == .table else {
            throw LuaError(.host, "expected the script to return a table, got " + (count > 0 ? stack.type(at: base + 1).name : "nothing"))
        }
        var fields: [String: LuaTableField] = [:]
        for key in keys {
            stack.rawGet(base + 1, key)
            defer { clua_pop(stack.L, 1) }
            switch stack.type(at: -1) {
            case .nil: continue
            case .function: fields[key] = .function(LuaFunctionReference(core: core, stack: stack, index: -1))
            default:
                do throws(LuaConversionError) {
                    fields[key] = .value(try stack.value(at: -1))
                } catch {
                    throw LuaError(.conversion, "field '\(key)': \(error.message)")
                }
            }
        }
        return fields
    }
}
