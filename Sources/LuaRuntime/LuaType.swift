import CLua

/// The type of a Lua value on the stack, named as Lua names it in messages.
public enum LuaType: Sendable, Equatable {
    /// An absent argument (beyond the last one passed); Lua calls it "no value".
    case none
    case `nil`, boolean, lightUserdata, number, string, table, function, userdata, thread

    init(code: Int32) {
        switch code {
        case LUA_TNIL: self = .nil
        case LUA_TBOOLEAN: self = .boolean
        case LUA_TLIGHTUSERDATA: self = .lightUserdata
        case LUA_TNUMBER: self = .number
        case LUA_TSTRING: self = .string
        case LUA_TTABLE: self = .table
        case LUA_TFUNCTION: self = .function
        case LUA_TUSERDATA: self = .userdata
        case LUA_TTHREAD: self = .thread
        default: self = .none
        }
    }

    /// `no value`, `nil`, `number`, `userdata`, ... as in Lua's `bad argument` messages.
    public var name: String {
        switch self {
        case .none: "no value"
        case .nil: "nil"
        case .boolean: "boolean"
        case .lightUserdata, .userdata: "userdata"
        case .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .thread: "thread"
        }
    }
}
