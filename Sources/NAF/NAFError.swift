import Basics

/// A NAF code that cannot be used, with a message naming the value and the reason.
public enum NAFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not a NAF code in any accepted form.
    case invalidCode(value: String, reason: String)
    /// A subclass code whose letter belongs to the other nomenclature than the one chosen.
    case nomenclatureMismatch(code: NAFCode, expected: NAFNomenclature)

    public var description: String {
        switch self {
        case let .invalidCode(value, reason):
            return "\(value.quotedForMessage()) is not a NAF code (\(reason))"
        case let .nomenclatureMismatch(code, expected):
            let actual = code.nomenclature?.displayName ?? "another nomenclature"
            return "\(code.dotted.debugDescription) is a \(actual) subclass (letter \(code.subclassLetter ?? "?")) "
                + "but the nomenclature is \(expected.rawValue) (letters \(expected.subclassLetters))"
        }
    }
}
