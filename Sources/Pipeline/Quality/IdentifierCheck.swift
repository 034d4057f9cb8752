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

    public static func isValidSiren(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 9 && isLuhnValid(bytes)
    }

    public static func isValidSiret(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == 14, isValidSiren(UnsafeRawBufferPointer(rebasing: bytes[0..<9])) else { return false }
        if bytes.starts(with: laPosteSiren) && !bytes.elementsEqual(laPosteSiege) {
            var sum = 0
            for byte in bytes {
                guard isDigit(byte) else { return false }
                sum += Int(byte &- 0x30)
            }
            return sum % 5 == 0
        }
        return isLuhnValid(bytes)
    }

    /// The Luhn check on ASCII digits (false for anything else): from the right, every second
    /// digit doubled (minus 9 when above 9), the sum a multiple of 10.
    @inline(__always)
    static func isLuhnValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty else { return false }
        var sum = 0
        var doubled = false
        var index = bytes.count - 1
        while index >= 0 {
            let digit = Int(bytes[index] &- 0x30)
            guard digit < 10 else { return false }
            if doubled {
                let twice = digit * 2
                sum += twice > 9 ? twice - 9 : twice
            } else {
                sum += digit
            }
            doubled.toggle()
            index -= 1
        }
        return sum % 10 == 0
    }

    public static func isValidSiren(_ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { isValidSiren($0) } }
    public static func isValidSiret(_ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { isValidSiret($0) } }
}
