/// A NAF activity code at any level: division `43`, group `43.2`, class `43.29` or subclass `43.29A`.
///
/// Two codes are equal when they normalise to the same compact form, so `43.29a`, `4329A` and
/// ` 43 . 29 A ` are one code, one niche. Parsing checks the form, then that the code exists in its
/// nomenclature's table (`NAFTable`): a subclass in the one its letter names, a division, group or
/// class in the one given (NAF rév. 2 unless told otherwise). A nomenclature whose table is not
/// shipped is checked for the form only.
public struct NAFCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Digits then the upper-case subclass letter if any: `43`, `432`, `4329`, `4329A`.
    public let compact: String
    public let level: NAFLevel

    /// Parses a code as a user writes it (see `NAFCodeParser` for the accepted forms) and checks
    /// that it exists: `NAFError.unknownCode`, with the nearest real codes, when it does not.
    /// `nomenclature` is the one a code without a subclass letter is looked up in.
    public init(parsing text: String, nomenclature: NAFNomenclature = .rev2) throws(NAFError) {
        let parsed = try NAFCodeParser.parse(text)
        self.compact = parsed.compact
        self.level = parsed.level
        self.pattern = NAFStockPattern(compact: parsed.compact)
        let lookedUp = self.nomenclature ?? nomenclature
        if let table = NAFTable.table(for: lookedUp), !table.contains(self) {
            let nearest = table.nearest(to: self).map { "\($0.dotted) \($0.label())" }
            throw .unknownCode(value: text, nomenclature: lookedUp, nearest: nearest)
        }
    }

    /// Whether `text` parses as a code that exists (see `init(parsing:nomenclature:)`).
    public static func isValid(_ text: String, nomenclature: NAFNomenclature = .rev2) -> Bool {
        (try? NAFCode(parsing: text, nomenclature: nomenclature)) != nil
    }

    /// The INSEE form, as the stock files write it: `43`, `43.2`, `43.29`, `43.29A`.
    public var dotted: String {
        guard compact.utf8.count > 2 else { return compact }
        let bytes = Array(compact.utf8)
        return String(decoding: bytes[0..<2] + [UInt8(ascii: ".")] + bytes[2...], as: UTF8.self)
    }

    /// The niche (job) name: `naf_` + the compact form, `naf_6920Z`, `naf_43`.
    public var nicheName: String { "naf_" + compact }

    /// The subclass letter (`A`, `Z`, `G`, ...), nil below the subclass level.
    public var subclassLetter: Character? {
        level == .subclass ? compact.last : nil
    }

    /// The nomenclature a subclass letter implies; nil for divisions, groups and classes, which
    /// are written the same way in both.
    public var nomenclature: NAFNomenclature? {
        guard level == .subclass, let letter = compact.utf8.last else { return nil }
        return NAFNomenclature(subclassLetter: letter)
    }

    /// Whether this code may be used with `nomenclature`: true unless it is a subclass of the other one.
    public func isCompatible(with nomenclature: NAFNomenclature) -> Bool {
        self.nomenclature.map { $0 == nomenclature } ?? true
    }

    /// Whether a stock value (`69.20Z`, exactly as in SIRENE) falls under this code, by prefix at
    /// this code's level. Values that are not a strict rév. 2 or 2025 subclass (`52.1D` NAFRev1,
    /// `52.10` NAP, lower case, spaces) never match.
    public func matches(stockValue: String) -> Bool {
        NAFStockValue.withBytes(of: stockValue) { pattern.matches($0) }
    }

    /// The same test on the raw UTF-8 bytes of a stock value, without allocating.
    @inline(__always)
    public func matches(stockBytes bytes: UnsafeRawBufferPointer) -> Bool {
        pattern.matches(bytes)
    }

    /// The codes in order with later duplicates (same niche) removed.
    public static func deduplicated(_ codes: some Sequence<NAFCode>) -> [NAFCode] {
        var seen = Set<NAFCode>()
        return codes.filter { seen.insert($0).inserted }
    }

    public var description: String { dotted }

    public static func < (lhs: NAFCode, rhs: NAFCode) -> Bool { lhs.compact < rhs.compact }

    public static func == (lhs: NAFCode, rhs: NAFCode) -> Bool { lhs.compact == rhs.compact }

    public func hash(into hasher: inout Hasher) { hasher.combine(compact) }

    /// The prefix test of this code against a packed stock value.
    let pattern: NAFStockPattern
}
