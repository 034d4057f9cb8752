import Basics
import Jobs
import LuaRuntime

/// `builder.json` and `builder.yaml`: encode Lua values, decode documents.
///
/// Encoding: `{}` is an empty list (Lua cannot tell), `builder.json.null` writes null, map keys
/// come in `opts.order` then sorted. Decoding: null becomes nil. Both ways, values nest at most
/// `LuaValue.maximumDepth` levels (the limit of Lua tables crossing the host boundary), and the
/// decoders report a deeper document at its line and column.
extension BuilderLibrary {
    static func codecFunctions() -> [LuaHostFunction] {
        [
            // builder.json.encode(value, opts?) -> string; opts: pretty, order
            LuaHostFunction("builder.json.encode") { args in
                let options = try args.options(2, "opts", allowed: ["pretty", "order"])
                let value = try structuredArgument(args, order: options.strings("order") ?? [])
                return [LuaValue(try JSON.encode(value, pretty: options.boolean("pretty") ?? false))]
            },
            // builder.json.decode(text) -> value
            LuaHostFunction("builder.json.decode") { args in
                [ValueBridge.lua(try JSON.decode(args.string(1, "text"), maximumDepth: LuaValue.maximumDepth))]
            },
            // builder.yaml.encode(value, opts?) -> string; opts: order
            LuaHostFunction("builder.yaml.encode") { args in
                let options = try args.options(2, "opts", allowed: ["order"])
                return [LuaValue(YAML.encode(try structuredArgument(args, order: options.strings("order") ?? [])))]
            },
            // builder.sha256(text) -> lowercase hex digest of the bytes of `text`
            LuaHostFunction("builder.sha256") { args in
                [LuaValue(SHA256.hex(of: try args.bytes(1, "text")))]
            },
            // builder.yaml.decode(text) -> value
            LuaHostFunction("builder.yaml.decode") { args in
                [ValueBridge.lua(try YAML.decode(args.string(1, "text"), maximumDepth: LuaValue.maximumDepth))]
            },
        ]
    }

    private static func structuredArgument(_ args: LuaArguments, order: [String]) throws -> StructuredValue {
        do {
            return try ValueBridge.structured(args.value(1, "value"), order: order)
        } catch let error as ValueBridge.ConversionError {
            throw args.error(1, "value", error.description)
        }
    }
}
