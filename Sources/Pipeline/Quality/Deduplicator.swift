
/// `quality.dedupe`: keeps the first row (in file order) of every set of rows with equal
/// `dedupe.keys` values, and drops the others.
///
/// - Keys are output column names (`siret`, `siren`, `denomination`, `code_postal`, ...).
/// - A row with a null in any key column is never a duplicate (nothing to compare).
/// - `fuzzy: true` compares normalised text: ASCII letters folded to lower case, the accented
///   Latin letters of French folded to their base letter, everything but letters and digits
///   dropped (`"Café  du Port"` = `"CAFE DU PORT"` = `"cafe-du-port"`). It is a normalised
///   exact match, not a similarity measure.
///
/// Memory grows with the number of distinct keys seen: a single all-digit key of up to 14 digits
/// (a SIRET, a SIREN) takes 5 to 8 bytes once there are thousands (`CompactKeySet`), so that 16
/// million SIRETs fit in about 90 MB; other keys are held as their bytes.
///
/// With a `spill`, all-digit keys are not held: they are written to it and checked once every
/// row is read (`repeatedDeferredKeys`). No row is dropped for them meanwhile, so the rows kept
/// are those of an exact run only when no such key came twice; the caller runs again without a
/// spill when one did (`GroupRun`).
public struct Deduplicator {
    /// The key columns' indices in the run's schema.
    public let keys: [Int]
    public let fuzzy: Bool
    private var numericKeys = CompactKeySet()
    private var byteKeys = Set<[UInt8]>()
    private let spill: KeySpill?
    public private(set) var duplicatesRemoved = 0

    public init(keys: [Int], fuzzy: Bool) {
        self.init(keys: keys, fuzzy: fuzzy, spill: nil)
    }

    init(keys: [Int], fuzzy: Bool, spill: KeySpill?) {
        self.keys = keys
        self.fuzzy = fuzzy
        self.spill = spill
    }

    /// With a spill: how many all-digit keys came more than once (0: the rows kept are exact).
    func repeatedDeferredKeys() throws(KeySpillError) -> Int {
        try spill?.repeatedKeys() ?? 0
    }

    /// Bytes held by the keys seen so far (an estimate, for memory accounting).
    public var approximateMemory: Int {
        numericKeys.allocatedBytes + byteKeys.count * 64
    }

    /// Applies the dedupe to the rows of `batch` still in: returns false for each duplicate (and
    /// true for every other row, dropped or not), nil when no row is a duplicate.
    public mutating func filter(_ batch: RecordBatch) throws(KeySpillError) -> [Bool]? {
        var result: [Bool]?
        var removed = 0
        func dropDuplicate(_ row: Int) {
            if result == nil { result = Array(repeating: true, count: batch.rowCount) }
            result?[row] = false
            removed += 1
        }
        var key: [UInt8] = []
        // Numeric keys are added together, in row order (see `CompactKeySet.insert(_:)`); they
        // never equal a byte key, so first wins as if rows were taken one by one. Spilled, they
        // drop no row now: their rows are not kept.
        var numericRows: [Int] = []
        var numericValues: [UInt64] = []
        batch.withViews(of: keys) { views in
            for row in 0..<batch.rowCount where batch.isKept(row) {
                guard buildKey(views, row: row, into: &key) else { continue }
                if let numeric = Self.numericKey(key) {
                    if spill == nil { numericRows.append(row) }
                    numericValues.append(numeric)
                } else if !byteKeys.insert(key).inserted {
                    dropDuplicate(row)
                }
            }
        }
        if let spill {
            try spill.append(numericValues)
        } else {
            let inserted = numericKeys.insert(numericValues)
            for (position, row) in numericRows.enumerated() where !inserted[position] { dropDuplicate(row) }
        }
        duplicatesRemoved += removed
        return result
    }

    /// The key of one row as bytes (values joined by 0x1F); false when a key value is null.
    private func buildKey(_ views: [ColumnView], row: Int, into key: inout [UInt8]) -> Bool {
        key.removeAll(keepingCapacity: true)
        for (position, view) in views.enumerated() {
            guard !view.isNull(row) else { return false }
            if position > 0 { key.append(0x1F) }
            switch view {
            case .text:
                if fuzzy { Self.appendFolded(view.textBytes(row), to: &key) } else { key.append(contentsOf: view.textBytes(row)) }
            default:
                key.append(contentsOf: CellText.text(view, row).utf8)
            }
        }
        return true
    }

    /// A key of 1 to 18 ASCII digits as an integer with a leading 1 (so `007` and `7` differ).
    private static func numericKey(_ key: [UInt8]) -> UInt64? {
        guard !key.isEmpty, key.count <= 18 else { return nil }
        var value: UInt64 = 1
        for byte in key {
            guard isDigit(byte) else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        return value
    }

    /// Appends the fuzzy form of `text`: letters and digits only, lower case, French accents
    /// removed.
    static func appendFolded(_ text: UnsafeRawBufferPointer, to key: inout [UInt8]) {
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte < 0x80 {
                if isDigit(byte) || (byte >= 0x61 && byte <= 0x7A) {
                    key.append(byte)
                } else if byte >= 0x41 && byte <= 0x5A {
                    key.append(byte + 0x20)
                }
                index += 1
                continue
            }
            // Two-byte sequences of Latin-1 letters (U+00C0-U+00FF): fold to the base letter.
            if byte == 0xC3, index + 1 < text.endIndex {
                if let base = latin1Base[Int(text[index + 1])] { key.append(base) }
                index += 2
                continue
            }
            if byte == 0xC5, index + 1 < text.endIndex, text[index + 1] == 0x92 || text[index + 1] == 0x93 {
                key.append(contentsOf: [0x6F, 0x65])  // Œ œ -> oe
                index += 2
                continue
            }
            key.append(byte)  // other non-ASCII text is compared as it is
            index += 1
        }
    }

    /// Second byte of `0xC3 xx` (U+00C0 + xx - 0x80) to its lower-case base letter.
    private static let latin1Base: [Int: UInt8] = {
        var table: [Int: UInt8] = [:]
        let groups: [(String, String)] = [
            ("a", "\u{C0}\u{C1}\u{C2}\u{C3}\u{C4}\u{C5}\u{E0}\u{E1}\u{E2}\u{E3}\u{E4}\u{E5}"),
            ("c", "\u{C7}\u{E7}"), ("e", "\u{C8}\u{C9}\u{CA}\u{CB}\u{E8}\u{E9}\u{EA}\u{EB}"),
            ("i", "\u{CC}\u{CD}\u{CE}\u{CF}\u{EC}\u{ED}\u{EE}\u{EF}"), ("n", "\u{D1}\u{F1}"),
            ("o", "\u{D2}\u{D3}\u{D4}\u{D5}\u{D6}\u{F2}\u{F3}\u{F4}\u{F5}\u{F6}"),
            ("u", "\u{D9}\u{DA}\u{DB}\u{DC}\u{F9}\u{FA}\u{FB}\u{FC}"), ("y", "\u{DD}\u{FD}\u{FF}"),
        ]
        for (base, letters) in groups {
            for scalar in letters.unicodeScalars {
                let utf8 = Array(String(scalar).utf8)
                if utf8.count == 2, utf8[0] == 0xC3 { table[Int(utf8[1])] = base.utf8.first }
            }
        }
        return table
    }()
}
