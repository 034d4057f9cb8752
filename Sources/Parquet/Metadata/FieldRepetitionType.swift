/// Whether a schema field is required, optional or repeated.
///
/// Unknown values from a file are kept as they are (new enum values do appear); only the
/// code that needs the value decides whether it is an error.
public struct FieldRepetitionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let required = FieldRepetitionType(rawValue: 0)
    public static let optional = FieldRepetitionType(rawValue: 1)
    public static let repeated = FieldRepetitionType(rawValue: 2)
    public static let vector = FieldRepetitionType(rawValue: 3)

    /// The name the specification uses, or nil for a value it does not define.
    public var name: String? {
        switch rawValue {
        case 0: return "REQUIRED"
        case 1: return "OPTIONAL"
        case 2: return "REPEATED"
        case 3: return "VECTOR"
        default: return nil
        }
    }

    public var isKnown: Bool { name != nil }
    public var description: String { name ?? "UNKNOWN(\(rawValue))" }
}
