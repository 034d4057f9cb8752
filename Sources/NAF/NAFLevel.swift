/// How specific a NAF code is: `43` (division), `43.2` (group), `43.29` (class), `43.29A` (subclass).
public enum NAFLevel: String, Sendable, CaseIterable, Comparable {
    case division
    case group
    case `class`
    case subclass

    /// Number of digits a code of this level carries (the subclass adds a letter to the 4 digits).
    public var digitCount: Int {
        switch self {
        case .division: 2
        case .group: 3
        case .class, .subclass: 4
        }
    }

    public static func < (lhs: NAFLevel, rhs: NAFLevel) -> Bool {
        lhs.digitCount < rhs.digitCount || (lhs.digitCount == rhs.digitCount && lhs == .class && rhs == .subclass)
    }
}
