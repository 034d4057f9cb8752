import LuaRuntime
import NAF

/// `builder.naf`: NAF codes as batch scripts need them. Every function but `is_valid` raises on a
/// code that does not parse (check first with `is_valid`, which says why).
extension BuilderLibrary {
    static func nafFunctions() -> [LuaHostFunction] {
        [
            // builder.naf.is_valid(code) -> true | false, reason
            LuaHostFunction("builder.naf.is_valid") { args in
                do {
                    _ = try NAFCode(parsing: args.string(1, "code"))
                    return [true]
                } catch let error as NAFError {
                    return [false, LuaValue(error.description)]
                }
            },
            // builder.naf.normalize(code) -> "4329A"
            LuaHostFunction("builder.naf.normalize") { args in [LuaValue(try code(args).compact)] },
            // builder.naf.niche_name(code) -> "naf_4329A"
            LuaHostFunction("builder.naf.niche_name") { args in [LuaValue(try code(args).nicheName)] },
            // builder.naf.level(code) -> "division" | "group" | "class" | "subclass"
            LuaHostFunction("builder.naf.level") { args in [LuaValue(try code(args).level.rawValue)] },
            // builder.naf.nomenclature(code) -> "NAFRev2" | "NAF2025" | nil (not a subclass)
            LuaHostFunction("builder.naf.nomenclature") { args in
                [try code(args).nomenclature.map { LuaValue($0.rawValue) } ?? .nil]
            },
            // builder.naf.matches(code, stock_value) -> boolean
            LuaHostFunction("builder.naf.matches") { args in
                let parsed = try code(args)
                return [.boolean(parsed.matches(stockValue: try args.string(2, "stock_value")))]
            },
        ]
    }

    private static func code(_ args: LuaArguments) throws -> NAFCode {
        try NAFCode(parsing: args.string(1, "code"))
    }
}
