/// Byte classes of ASCII text, for parsers that work on UTF-8 bytes.
public enum ASCII {
    @inline(__always) public static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
    @inline(__always) public static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }
}

extension UInt8 {
    public var isHexDigit: Bool {
        ASCII.isDigit(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}

extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension String {
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// The text without a leading byte-order mark (U+FEFF), which some editors write at the
    /// start of UTF-8 files.
    public var withoutByteOrderMark: String {
        guard unicodeScalars.first == "\u{FEFF}" else { return self }
        return String(unicodeScalars.dropFirst())
    }

    /// The text cut after `limit` characters, with "…" when it was longer.
    public func cut(after limit: Int) -> String {
        count > limit ? String(prefix(limit)) + "…" : self
    }

    /// The text quoted for a message as `debugDescription` quotes it, cut after `limit`
    /// characters when longer (`"4329AAAAAAAA…" (100000 characters)`), so that a huge value
    /// cannot flood a terminal or a log.
    public func quotedForMessage(limit: Int = 40) -> String {
        guard count > limit else { return debugDescription }
        var shown = String(prefix(limit)).debugDescription
        shown.insert("…", at: shown.index(before: shown.endIndex))
        return shown + " (\(count) characters)"
    }

    /// The text as one word of a command line a shell reads back: quoted when it holds anything
    /// but letters, digits and `-_./=:,+@%`.
    public var shellWord: String {
        let plain = !isEmpty && unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./=:,+@%".unicodeScalars.contains(scalar)
        }
        return plain ? self : "'" + split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
