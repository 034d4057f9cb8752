import INSEECodes
import LuaRuntime
import NAF

/// `builder.naf`: NAF codes as batch scripts need them, and INSEE's labels. Every function but
/// `is_valid` raises on a code that does not parse or does not exist (check first with
/// `is_valid`, which says why and names the nearest real codes). Codes without a subclass letter
/// are looked up in NAF rév. 2 unless `nomenclature` says `NAF2025`.
extension BuilderLibrary {
    static func nafFunctions() -> [LuaHostFunction] {
        [
            // builder.naf.is_valid(code, nomenclature?) -> true | false, reason
            LuaHostFunction("builder.naf.is_valid") { args in
                do {
                    _ = try NAFCode(parsing: args.string(1, "code"), nomenclature: nomenclature(args, 2))
                    return [true]
                } catch let error as NAFError {
                    return [false, LuaValue(error.description)]
                }
            },
            // builder.naf.normalize(code, nomenclature?) -> "4329A"
            LuaHostFunction("builder.naf.normalize") { args in
                [LuaValue(try NAFCode(parsing: args.string(1, "code"), nomenclature: nomenclature(args, 2)).compact)]
            },
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
            // builder.naf.label(code, lang?) -> "Activités comptables" | nil (a nomenclature whose table is not in the build)
            LuaHostFunction("builder.naf.label") { args in
                let language = try self.language(args, 2)
                return [try NAFLookup.entry(args.string(1, "code")).map { LuaValue($0.entry.label(language)) } ?? .nil]
            },
            // builder.naf.children(code?) -> {{code, dotted, level, label}, ...} (the sections for nil)
            LuaHostFunction("builder.naf.children") { args in
                if args.isAbsent(1) {
                    return [.array((NAFTable.rev2?.children(of: nil) ?? []).map { describe($0, .fr) })]
                }
                guard let found = try NAFLookup.entry(args.string(1, "code")) else { return [.array([])] }
                return [.array(found.table.children(of: found.entry).map { describe($0, .fr) })]
            },
            // builder.naf.search(words, opts?) -> {{code, dotted, level, label}, ...}, best first
            LuaHostFunction("builder.naf.search") { args in
                let words = try args.string(1, "words")
                let opts = try args.options(2, "opts", allowed: ["limit", "lang", "nomenclature"])
                let limit = try opts.integer("limit") ?? 20
                guard limit >= 1, limit <= 10_000 else { throw opts.error("limit", "must be between 1 and 10000, got \(limit)") }
                let language = try opts.string("lang").map { text throws(LuaArgumentError) in
                    guard let language = LabelLanguage(rawValue: text) else { throw opts.error("lang", "expected fr or en, got \(text.debugDescription)") }
                    return language
                } ?? .fr
                let chosen = try opts.string("nomenclature").map { text throws(LuaArgumentError) in
                    guard let nomenclature = NAFNomenclature(rawValue: text) else {
                        throw opts.error("nomenclature", "expected NAFRev2 or NAF2025, got \(text.debugDescription)")
                    }
                    return nomenclature
                } ?? .rev2
                guard let table = NAFTable.table(for: chosen) else { return [.array([])] }
                return [.array(table.search(words, limit: Int(limit)).map { describe($0, language) })]
            },
        ]
    }

    private static func code(_ args: LuaArguments) throws -> NAFCode {
        try NAFCode(parsing: args.string(1, "code"))
    }

    /// The optional nomenclature argument at `position`: `NAFRev2` (default) or `NAF2025`.
    private static func nomenclature(_ args: LuaArguments, _ position: Int) throws -> NAFNomenclature {
        guard let name = try args.optionalString(position, "nomenclature") else { return .rev2 }
        guard let nomenclature = NAFNomenclature(rawValue: name) else {
            throw LuaArgumentError(position: position, name: "nomenclature", problem: "expected NAFRev2 or NAF2025, got \(name.debugDescription)")
        }
        return nomenclature
    }

    /// The optional language argument at `position`: `fr` (default) or `en`.
    private static func language(_ args: LuaArguments, _ position: Int) throws -> LabelLanguage {
        guard let name = try args.optionalString(position, "lang") else { return .fr }
        guard let language = LabelLanguage(rawValue: name) else {
            throw LuaArgumentError(position: position, name: "lang", problem: "expected fr or en, got \(name.debugDescription)")
        }
        return language
    }

    private static func describe(_ entry: NAFEntry, _ language: LabelLanguage) -> LuaValue {
        .map(["code": LuaValue(entry.code), "dotted": LuaValue(entry.dotted), "level": LuaValue(entry.level.rawValue),
              "label": LuaValue(entry.label(language))])
    }
}
