/// Validity of SIRENE identifiers (research: sirene.md section 3).
///
/// - A SIREN is 9 ASCII digits passing the Luhn check.
/// - A SIRET is 14 ASCII digits whose first 9 are a valid SIREN (a Luhn-valid SIRET can hide
///   an invalid SIREN) and which pass the Luhn check, except La Poste's: SIREN `356000000`
///   has thousands of establishments, more than Luhn-valid NICs exist, so INSEE checks its SIRETs
///   by the sum of the 14 digits being a multiple of 5; only the siège `35600000000048` follows
///   Luhn.
public enum IdentifierCheck {
    /// La Poste's SIREN, whose SIRETs follow the multiple-of-5 rule.
    public static let laPosteSiren: [UInt8] = Array("356000000".utf8)
    /// La Poste's siège, the one SIRET of that SIREN checked with Luhn.
    public static let laPosteSiege: [UInt8] = Array("35600000000048".utf8)

    public static func isValidSiren<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        bytes.count == 9 && SireneIdentifier.isLuhnValid(bytes)
    }

    public static func isValidSiret<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard bytes.count == 14, isValidSiren(bytes.prefix(9)) else { return false }
        if bytes.starts(with: laPosteSiren) && !bytes.elementsEqual(laPosteSiege) {
            var sum = 0
            for byte in bytes {
                guard byte >= 0x30 && byte <= 0x39 else { return false }
                sum += Int(byte - 0x30)
            }
            return sum % 5 == 0
        }
        return SireneIdentifier.isLuhnValid(bytes)
    }

    public static func isValidSiren(_ text: String) -> Bool { isValidSiren(Array(text.utf8)) }
    public static func isValidSiret(_ text: String) -> Bool { isValidSiret(Array(text.utf8)) }
}
