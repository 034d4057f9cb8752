/// The département of an establishment, from its INSEE commune code or else its postal code.
///
/// - Commune code (`codeCommuneEtablissement`, 5 characters: 2 digits or `2A`/`2B`, then 3
///   digits): its first 3 characters when it starts with `97` or `98` (overseas: `971`..`976`,
///   `977`, `978`, `98x`), else its first 2 (`75`, `2A`, `2B`). It wins over the postal code:
///   it is the official geography, and it tells Corsica's two départements apart.
/// - Otherwise a valid postal code (see `PostalCode`): first 3 digits for `97`/`98`, `2A` for
///   `200xx`-`201xx` and `2B` for `202xx`-`206xx` (the rule La Poste follows), else the first 2.
/// - Otherwise (foreign establishment, masked `[ND]` postal code without commune): none.
public enum Departement {
    public static func derive(communeCode: UnsafeRawBufferPointer?, postalCode: UnsafeRawBufferPointer?) -> String? {
        code(communeCode: communeCode, postalCode: postalCode)?.text
    }

    /// The same derivation without allocating: what filters call once per candidate row.
    public static func code(communeCode: UnsafeRawBufferPointer?, postalCode: UnsafeRawBufferPointer?) -> DepartementCode? {
        if let communeCode, let code = fromCommuneCode(communeCode) { return code }
        if let postalCode, let code = fromPostalCode(postalCode) { return code }
        return nil
    }

    /// The département of a commune code, nil when it is not a well-formed one.
    public static func fromCommuneCode(_ bytes: UnsafeRawBufferPointer) -> DepartementCode? {
        guard bytes.count == 5, isDigit(bytes[0]), isDigit(bytes[2]), isDigit(bytes[3]), isDigit(bytes[4]) else {
            return nil
        }
        let second = bytes[1]
        if second == UInt8(ascii: "A") || second == UInt8(ascii: "B") {
            guard bytes[0] == UInt8(ascii: "2") else { return nil }
            return DepartementCode(bytes[0], second)
        }
        guard isDigit(second) else { return nil }
        return isOverseas(bytes) ? DepartementCode(bytes[0], bytes[1], bytes[2]) : DepartementCode(bytes[0], bytes[1])
    }

    /// The département of a postal code, nil when it is not a valid one.
    public static func fromPostalCode(_ bytes: UnsafeRawBufferPointer) -> DepartementCode? {
        guard PostalCode.isValid(bytes) else { return nil }
        if bytes[0] == UInt8(ascii: "2") && bytes[1] == UInt8(ascii: "0") {
            return DepartementCode(UInt8(ascii: "2"), bytes[2] < UInt8(ascii: "2") ? UInt8(ascii: "A") : UInt8(ascii: "B"))
        }
        return isOverseas(bytes) ? DepartementCode(bytes[0], bytes[1], bytes[2]) : DepartementCode(bytes[0], bytes[1])
    }

    public static func derive(communeCode: String?, postalCode: String?) -> String? {
        let commune = communeCode.map { Array($0.utf8) }
        let postal = postalCode.map { Array($0.utf8) }
        return withOptionalBytes(commune) { communeBytes in
            withOptionalBytes(postal) { postalBytes in derive(communeCode: communeBytes, postalCode: postalBytes) }
        }
    }

    private static func isOverseas(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes[0] == UInt8(ascii: "9") && (bytes[1] == UInt8(ascii: "7") || bytes[1] == UInt8(ascii: "8"))
    }
}

/// A département code of 2 or 3 ASCII characters (`75`, `2A`, `971`), held inline.
public struct DepartementCode: Hashable, Sendable {
    public let first: UInt8
    public let second: UInt8
    /// 0 for two-character codes.
    public let third: UInt8

    init(_ first: UInt8, _ second: UInt8, _ third: UInt8 = 0) {
        self.first = first
        self.second = second
        self.third = third
    }

    /// Parses `75`, `2A`, `971`; nil for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 2 || bytes.count == 3 else { return nil }
        self.init(bytes[0], bytes[1], bytes.count == 3 ? bytes[2] : 0)
    }

    public var count: Int { third == 0 ? 2 : 3 }

    public var text: String {
        String(decoding: third == 0 ? [first, second] : [first, second, third], as: UTF8.self)
    }
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
