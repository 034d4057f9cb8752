/// The two NAF nomenclatures SIRENE carries. Their subclass letters are disjoint, so the letter of a
/// subclass code tells which one it belongs to.
public enum NAFNomenclature: String, Sendable, CaseIterable {
    /// NAF rév. 2 (2008), `activitePrincipaleEtablissement`: letters `A`–`F` (split classes), `Z` (unsplit).
    case rev2 = "NAFRev2"
    /// NAF 2025 (NACE Rev. 2.1), `activitePrincipaleNAF25Etablissement`: letters `G`–`L`, `Y` (unsplit).
    case naf2025 = "NAF2025"

    /// The nomenclature an upper-case ASCII subclass letter belongs to, nil for any other byte.
    @inline(__always)
    public init?(subclassLetter byte: UInt8) {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: "Z"): self = .rev2
        case UInt8(ascii: "G")...UInt8(ascii: "L"), UInt8(ascii: "Y"): self = .naf2025
        default: return nil
        }
    }

    /// The subclass letters of this nomenclature, as written in error messages.
    public var subclassLetters: String {
        switch self {
        case .rev2: "A-F, Z"
        case .naf2025: "G-L, Y"
        }
    }

    /// The name used in prose: "NAF rév. 2", "NAF 2025".
    public var displayName: String {
        switch self {
        case .rev2: "NAF rév. 2"
        case .naf2025: "NAF 2025"
        }
    }
}
