import Basics

/// A NAF code that cannot be used, with a message naming the value and the reason.
public enum NAFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not a NAF code in any accepted form.
    case invalidCode(value: String, reason: String)
    /// A subclass code whose letter belongs to the other nomenclature than the one chosen.
    case nomenclatureMismatch(code: NAFCode, expected: NAFNomenclature)
    /// A well-formed code that is not in its nomenclature, with the nearest real codes
    /// (`69.20Z Activités comptables`).
    case unknownCode(value: String, nomenclature: NAFNomenclature, nearest: [String])

    public var description: String {
        switch self {
        case let .invalidCode(value, reason):
            return "\(value.quotedForMessage()) is not a NAF code (\(reason))"
        case let .nomenclatureMismatch(code, expected):
            let actual = code.nomenclature?.displayName ?? "another nomenclature"
            return "\(code.dotted.debugDescription) is a \(actual) subclass (letter \(code.subclassLetter ?? "?")) "
                + "but the nomenclature is \(expected.rawValue) (letters \(expected.subclassLetters))"
        case let .unknownCode(value, nomenclature, nearest):
            let hint = nearest.isEmpty ? "" : "; nearest: " + nearest.joined(separator: ", ")
            return "\(value.debugDescription) is not a \(nomenclature.displayName) code\(hint)"
        }
    }
}
