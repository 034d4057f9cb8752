import CLua

/// A misused argument of a host function. The host turns it into the Lua error
/// `file:line: builder.write_job: bad argument #2 'job' (table or string expected, got number)`.
public struct LuaArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based position of the argument.
    public var position: Int
    public var name: String
    public var problem: String

    public init(position: Int, name: String, problem: String) {
        self.position = position
        self.name = name
        self.problem = problem
    }

    public var description: String {
        "bad argument #\(position) '\(name)' (\(problem))"
    }
}

/// Typed access to the arguments of a host function call, in Lua's terms.
///
/// Every accessor takes the argument's 1-based position and its name (used in the message) and
/// throws a `LuaArgumentError` when the argument has the wrong type. The `optional...` variants
/// accept an absent argument or nil. Strings are strict: a number is not accepted where a
/// string is expected (call `tostring` in Lua).
///
/// Valid only during the call it was given to: do not keep it. To keep a Lua function, take a
/// `LuaFunctionReference` with `function(_:_:)`.
public struct LuaArguments {
    let stack: LuaStack
    let core: LuaStateCore
    /// The qualified name of the host function being called (`builder.write_job`).
    public let functionName: String
    /// How many arguments the caller passed (trailing nils included).
    public let count: Int

    init(stack: LuaStack, core: LuaStateCore, functionName: String) {
        self.stack = stack
        self.core = core
        self.functionName = functionName
        self.count = Int(stack.top)
    }

    /// True once the state's interrupt was requested: a host function that blocks (waiting on
    /// a child process, sleeping) should poll it and give up with an error.
    public var isInterruptRequested: Bool {
        guard let flag = clua_interrupt_flag(stack.L) else { return false }
        return clua_interrupt_state(flag) != CLUA_INTERRUPT_NONE
    }

    /// The type of the argument, `.none` when it was not passed.
    public func type(_ position: Int) -> LuaType {
        guard position >= 1, position <= count else { return .none }
        return stack.type(at: Int32(position))
    }

    /// True when the argument was not passed or is nil.
    public func isAbsent(_ position: Int) -> Bool {
        let type = type(position)
        return type == .none || type == .nil
    }

    /// `bad argument #position 'name' (problem)`, for checks the accessors do not cover.
    public func error(_ position: Int, _ name: String, _ problem: String) -> LuaArgumentError {
        LuaArgumentError(position: position, name: name, problem: problem)
    }

    /// `bad argument #2 'job' (table or string expected, got number)`.
    public func typeError(_ position: Int, _ name: String, expected: String) -> LuaArgumentError {
        error(position, name, "\(expected) expected, got \(type(position).name)")
    }

    // MARK: Any value

    /// The argument converted to a `LuaValue` (`.nil` when absent); a table that cannot be
    /// converted is reported with its field path.
    public func value(_ position: Int, _ name: String) throws(LuaArgumentError) -> LuaValue {
        guard position >= 1, position <= count else { return .nil }
        do {
            return try stack.value(at: Int32(position))
        } catch {
            throw self.error(position, name, error.message)
        }
    }

    // MARK: Primitives

    public func string(_ position: Int, _ name: String) throws(LuaArgumentError) -> String {
        guard type(position) == .string, let text = stack.string(at: Int32(position)) else {
            throw typeError(position, name, expected: "string")
        }
        return text
    }

    public func optionalString(_ position: Int, _ name: String) throws(LuaArgumentError) -> String? {
        isAbsent(position) ? nil : try string(position, name)
    }

    /// The exact bytes of a string argument (for binary content or embedded NULs).
    public func bytes(_ position: Int, _ name: String) throws(LuaArgumentError) -> [UInt8] {
        guard type(position) == .string else { throw typeError(position, name, expected: "string") }
        return stack.bytes(at: Int32(position))
    }

    /// An integer; a float with an exact integer value (`3.0`) is accepted, as in Lua.
    public func integer(_ position: Int, _ name: String) throws(LuaArgumentError) -> Int64 {
        guard type(position) == .number else { throw typeError(position, name, expected: "integer") }
        var isInteger: Int32 = 0
        let integer = lua_tointegerx(stack.L, Int32(position), &isInteger)
        guard isInteger != 0 else { throw error(position, name, "number has no integer representation") }
        return integer
    }

    public func optionalInteger(_ position: Int, _ name: String) throws(LuaArgumentError) -> Int64? {
        isAbsent(position) ? nil : try integer(position, name)
    }

    public func number(_ position: Int, _ name: String) throws(LuaArgumentError) -> Double {
        guard type(position) == .number else { throw typeError(position, name, expected: "number") }
        return lua_tonumberx(stack.L, Int32(position), nil)
    }

    public func optionalNumber(_ position: Int, _ name: String) throws(LuaArgumentError) -> Double? {
        isAbsent(position) ? nil : try number(position, name)
    }

    public func boolean(_ position: Int, _ name: String) throws(LuaArgumentError) -> Bool {
        guard type(position) == .boolean else { throw typeError(position, name, expected: "boolean") }
        return lua_toboolean(stack.L, Int32(position)) != 0
    }

    public func optionalBoolean(_ position: Int, _ name: String) throws(LuaArgumentError) -> Bool? {
        isAbsent(position) ? nil : try boolean(position, name)
    }

    // MARK: Tables

    /// A table with keys 1..n (or `{}`).
    public func array(_ position: Int, _ name: String) throws(LuaArgumentError) -> [LuaValue] {
        guard type(position) == .table else { throw typeError(position, name, expected: "table") }
        guard let elements = try value(position, name).arrayValue else {
            throw error(position, name, "array expected, got table with string keys")
        }
        return elements
    }

    /// A table with string keys (or `{}`).
    public func map(_ position: Int, _ name: String) throws(LuaArgumentError) -> [String: LuaValue] {
        guard type(position) == .table else { throw typeError(position, name, expected: "table") }
        guard let fields = try value(position, name).mapValue else {
            throw error(position, name, "table with string keys expected, got array")
        }
        return fields
    }

    /// An option table checked against `allowed` keys: an unknown key is an error that suggests
    /// the nearest allowed one. An absent argument gives empty options.
    public func options(_ position: Int, _ name: String, allowed: [String]) throws(LuaArgumentError) -> LuaOptions {
        if isAbsent(position) {
            return try LuaOptions(validating: [:], allowed: allowed, position: position, argumentName: name)
        }
        return try LuaOptions(validating: .map(map(position, name)), allowed: allowed, position: position, argumentName: name)
    }

    // MARK: Functions

    /// A Lua function, anchored so that it can be called after this call returns.
    public func function(_ position: Int, _ name: String) throws(LuaArgumentError) -> LuaFunctionReference {
        guard type(position) == .function else { throw typeError(position, name, expected: "function") }
        return LuaFunctionReference(core: core, stack: stack, index: Int32(position))
    }

    public func optionalFunction(_ position: Int, _ name: String) throws(LuaArgumentError) -> LuaFunctionReference? {
        isAbsent(position) ? nil : try function(position, name)
    }
}
