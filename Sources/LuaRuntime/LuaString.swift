/// A Lua string: bytes, not necessarily UTF-8, embedded NULs allowed.
///
/// Use `string` for text (invalid UTF-8 is replaced by U+FFFD) or `bytes` for the exact content.
public struct LuaString: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The bytes decoded as UTF-8; invalid sequences become U+FFFD.
    public var string: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes decoded as UTF-8, or nil when they are not valid UTF-8.
    public var validUTF8: String? {
        let decoded = string
        return decoded.utf8.elementsEqual(bytes) ? decoded : nil
    }

    public var description: String { string }
}
