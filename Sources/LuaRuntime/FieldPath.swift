/// Where a field sits inside a converted value, written as a Lua expression:
/// `filters.naf_include[2]`, `weights["not an identifier"]`. Empty for the value itself.
struct FieldPath: CustomStringConvertible, Sendable {
    private(set) var description = ""

    static let root = FieldPath()

    var isRoot: Bool { description.isEmpty }

    func appending(key: String) -> FieldPath {
        var path = self
        if Self.isIdentifier(key) {
            path.description += isRoot ? key : "." + key
        } else {
            path.description += "[\"" + key + "\"]"
        }
        return path
    }

    func appending(index: Int64) -> FieldPath {
        var path = self
        path.description += "[\(index)]"
        return path
    }

    /// A Lua name (letters, digits, underscores, not starting with a digit). Keywords are not
    /// excluded: the path is for people, not for the parser.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return text.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}
