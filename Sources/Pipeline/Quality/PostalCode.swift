/// French postal codes as SIRENE carries them.
///
/// Valid: exactly 5 ASCII digits whose first two are `01` to `98` (metropolitan France, Corsica
/// `20`, overseas `97x`, `98x`). Not valid: `[ND]` (masked), other lengths, letters, `00xxx` and
/// `99xxx` (no such codes).
public enum PostalCode {
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == 5 else { return false }
        for byte in bytes where !isDigit(byte) { return false }
        let prefix = Int(bytes[0] - 0x30) * 10 + Int(bytes[1] - 0x30)
        return prefix >= 1 && prefix <= 98
    }

    public static func isValid(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { isValid($0) }
    }
}
