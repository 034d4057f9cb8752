/// The kind of a page in a column chunk.
///
/// Unknown values from a file are kept as they are (new enum values do appear); only the
/// code that needs the value decides whether it is an error.
public struct PageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let dataPage = PageType(rawValue: 0)
    public static let indexPage = PageType(rawValue: 1)
    public static let dictionaryPage = PageType(rawValue: 2)
    public static let dataPageV2 = PageType(rawValue: 3)

    /// The name the specification uses, or nil for a value it does not define.
    public var name: String? {
        switch rawValue {
        case 0: return "DATA_PAGE"
        case 1: return "INDEX_PAGE"
        case 2: return "DICTIONARY_PAGE"
        case 3: return "DATA_PAGE_V2"
        default: return nil
        }
    }

    public var isKnown: Bool { name != nil }
    public var description: String { name ?? "UNKNOWN(\(rawValue))" }
}
