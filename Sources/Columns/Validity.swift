/// Which rows hold a value: bit `i` of `words` is set when row `i` is not null.
public struct Validity: Sendable, Equatable {
    public let words: [UInt64]
    public let count: Int
    public let nullCount: Int

    public init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
        var valid = 0
        for word in words { valid += word.nonzeroBitCount }
        nullCount = count - valid
    }

    /// Builds from one flag per row: true where the row holds a value, false for a null.
    public init(_ flags: [Bool]) {
        let count = flags.count
        self = flags.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return Validity(words: [], count: 0) }
            return Validity(flags: base.assumingMemoryBound(to: UInt8.self), count: count)
        }
    }

    /// The validity of `flags` (true where the row holds a value), or nil when no row is null:
    /// what `ColumnValues` expects, so that an all-present column carries no bitmap.
    public static func ofNullable(_ flags: [Bool]) -> Validity? {
        flags.contains(false) ? Validity(flags) : nil
    }

    /// Builds from one byte per row, each 0 (null) or 1 (valid).
    public init(flags: UnsafePointer<UInt8>, count: Int) {
        let wordCount = (count + 63) / 64
        var valid = 0
        let raw = UnsafeRawPointer(flags)
        let words = [UInt64](unsafeUninitializedCapacity: wordCount) { buffer, initialized in
            for wordIndex in 0..<wordCount {
                var word: UInt64 = 0
                let start = wordIndex * 64
                let end = Swift.min(start + 64, count)
                var row = start
                // Eight 0/1 bytes at a time: the multiply gathers their low bits into one byte.
                while row + 8 <= end {
                    let eight = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: row, as: UInt64.self))
                    word |= ((eight &* 0x0102_0408_1020_4080) >> 56) << UInt64(row - start)
                    row += 8
                }
                while row < end {
                    word |= UInt64(flags[row] & 1) << UInt64(row - start)
                    row += 1
                }
                valid += word.nonzeroBitCount
                buffer[wordIndex] = word
            }
            initialized = wordCount
        }
        self.words = words
        self.count = count
        self.nullCount = count - valid
    }

    @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }
}
