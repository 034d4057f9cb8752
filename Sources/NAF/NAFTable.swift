import Foundation
import INSEECodes

/// A level of a NAF table: the four code levels of `NAFLevel` plus the lettered sections.
public enum NAFTableLevel: String, Sendable, CaseIterable, Comparable {
    case section
    case division
    case group
    case `class`
    case subclass

    /// Length of the compact code at this level: `M`, `69`, `692`, `6920`, `6920Z`.
    var codeLength: Int {
        switch self {
        case .section: 1
        case .division: 2
        case .group: 3
        case .class: 4
        case .subclass: 5
        }
    }

    init(_ level: NAFLevel) {
        switch level {
        case .division: self = .division
        case .group: self = .group
        case .class: self = .class
        case .subclass: self = .subclass
        }
    }

    public static func < (lhs: NAFTableLevel, rhs: NAFTableLevel) -> Bool { lhs.codeLength < rhs.codeLength }
}

/// One line of a NAF table: a section, division, group, class or subclass and its labels.
public struct NAFEntry: Sendable, Equatable {
    /// Its position in the table (`NAFTable.entries`).
    public let index: Int
    /// Compact form: `M`, `69`, `692`, `6920`, `6920Z`.
    public let code: String
    public let level: NAFTableLevel
    /// The compact code of the level above, nil for a section.
    public let parent: String?
    /// Nil where the table has no French label (the NAF 2025 levels whose French titles are not
    /// shipped, see `Data/README.md`); an entry has at least one of its two labels.
    public let labelFR: String?
    /// Nil where the table has no English label.
    public let labelEN: String?

    /// The label in `language`, the other language when the table has none in this one.
    public func label(_ language: LabelLanguage = .fr) -> String {
        (language == .en ? (labelEN ?? labelFR) : (labelFR ?? labelEN)) ?? ""
    }

    /// As INSEE writes it: `M`, `69`, `69.2`, `69.20`, `69.20Z`.
    public var dotted: String {
        guard code.utf8.count > 2 else { return code }
        let bytes = Array(code.utf8)
        return String(decoding: bytes[0..<2] + [UInt8(ascii: ".")] + bytes[2...], as: UTF8.self)
    }
}

/// A NAF nomenclature (rév. 2 or 2025) as INSEE publishes it, from the table compiled into the
/// binary (`Data/naf_rev2.tsv`, `Data/naf_2025.tsv`). Each table is parsed once, on first use.
///
/// Lookups by code are dictionary reads; `index(stockBytes:)` reads a stock value (`69.20Z`)
/// without allocating, for labelling millions of rows.
public final class NAFTable: Sendable {
    public let nomenclature: NAFNomenclature
    /// In the table's order: each section followed by its divisions, groups, classes, subclasses.
    public let entries: [NAFEntry]
    private let indexByKey: [UInt64: Int]
    private let childIndices: [[Int]]
    private let sectionIndices: [Int]
    /// Labels folded for search (lower case, no accents), per entry: made on the first search,
    /// which most runs never make (6 ms per table).
    var foldedLabels: [[String]] {
        searchLabels.lock.withLock {
            if let labels = searchLabels.labels { return labels }
            let labels = entries.map { entry in
                (entry.labelFR.map(NAFSearch.words) ?? []) + (entry.labelEN.map(NAFSearch.words) ?? [])
            }
            searchLabels.labels = labels
            return labels
        }
    }
    private let searchLabels = SearchLabels()

    private final class SearchLabels: @unchecked Sendable {
        // Unchecked: `labels` is read and written under `lock`.
        let lock = NSLock()
        var labels: [[String]]?
    }

    /// The table of `nomenclature`, nil when it is not shipped with this build (see
    /// `Data/README.md`): codes of that nomenclature are then checked for their form only. Both
    /// tables are shipped; the nil case is kept for a build whose Data/ lacks one.
    public static func table(for nomenclature: NAFNomenclature) -> NAFTable? {
        switch nomenclature {
        case .rev2: rev2
        case .naf2025: naf2025
        }
    }

    /// NAF rév. 2 (2008): 21 sections, 88 divisions, 272 groups, 615 classes, 732 subclasses.
    public static let rev2: NAFTable? = load(.rev2, file: "naf_rev2.tsv")
    /// NAF 2025 (NACE Rev. 2.1 and INSEE's subclasses): 22 sections, 87 divisions, 287 groups,
    /// 651 classes, 747 subclasses.
    public static let naf2025: NAFTable? = load(.naf2025, file: "naf_2025.tsv")

    static func load(_ nomenclature: NAFNomenclature, file: String) -> NAFTable? {
        guard let text = EmbeddedFiles.all[file] else { return nil }
        do {
            return try NAFTable(nomenclature: nomenclature, tsv: text)
        } catch {
            // The file is compiled in and checked by the tests: a bad one is a build mistake.
            fatalError("\(file): \(error)")
        }
    }

    /// Parses a table: a header line `code level parent label_fr label_en`, then one tab-separated
    /// line per entry, parents before children; each entry has a French or an English label.
    public init(nomenclature: NAFNomenclature, tsv: String) throws(TSVTableError) {
        self.nomenclature = nomenclature
        var entries: [NAFEntry] = []
        var indexByKey: [UInt64: Int] = [:]
        let rows = try TSVTable.rows(tsv, columns: ["code", "level", "parent", "label_fr", "label_en"])
        for (position, fields) in rows.enumerated() {
            func fail(_ message: String) -> TSVTableError { TSVTableError(line: position + 2, message: message) }
            guard let level = NAFTableLevel(rawValue: fields[1]), fields[0].utf8.count == level.codeLength,
                  let key = Self.key(fields[0].utf8) else {
                throw fail("bad code \(fields[0]) or level \(fields[1])")
            }
            let parent = fields[2].isEmpty ? nil : fields[2]
            let parentListed = parent.map { Self.key($0.utf8).flatMap { indexByKey[$0] } != nil } ?? true
            guard (level == .section) == (parent == nil), parentListed else {
                throw fail("parent \(fields[2]) of \(fields[0]) is not listed before it")
            }
            guard indexByKey[key] == nil else { throw fail("\(fields[0]) is listed twice") }
            guard !fields[3].isEmpty || !fields[4].isEmpty else { throw fail("\(fields[0]) has no label (French or English)") }
            indexByKey[key] = entries.count
            entries.append(NAFEntry(index: entries.count, code: fields[0], level: level, parent: parent,
                                    labelFR: fields[3].isEmpty ? nil : fields[3],
                                    labelEN: fields[4].isEmpty ? nil : fields[4]))
        }
        var childIndices = [[Int]](repeating: [], count: entries.count)
        var sectionIndices: [Int] = []
        for entry in entries {
            if let parent = entry.parent, let parentIndex = Self.key(parent.utf8).flatMap({ indexByKey[$0] }) {
                childIndices[parentIndex].append(entry.index)
            } else {
                sectionIndices.append(entry.index)
            }
        }
        self.entries = entries
        self.indexByKey = indexByKey
        self.childIndices = childIndices
        self.sectionIndices = sectionIndices
    }

    /// The entries of `level`, in order.
    public func entries(at level: NAFTableLevel) -> [NAFEntry] {
        entries.filter { $0.level == level }
    }

    /// The entry of a compact code (`6920Z`, `692`) or a section letter (`M`), any case.
    public func entry(_ compact: String) -> NAFEntry? {
        Self.key(compact.uppercased().utf8).flatMap { indexByKey[$0] }.map { entries[$0] }
    }

    /// The entry of a parsed code.
    public func entry(for code: NAFCode) -> NAFEntry? {
        Self.key(code.compact.utf8).flatMap { indexByKey[$0] }.map { entries[$0] }
    }

    public func contains(_ code: NAFCode) -> Bool { entry(for: code) != nil }

    /// The entries directly under `entry`, or the sections for nil.
    public func children(of entry: NAFEntry?) -> [NAFEntry] {
        (entry.map { childIndices[$0.index] } ?? sectionIndices).map { entries[$0] }
    }

    /// The chain above `entry`, from its section down to its parent.
    public func ancestors(of entry: NAFEntry) -> [NAFEntry] {
        var chain: [NAFEntry] = []
        var current = entry.parent.flatMap(self.entry)
        while let found = current {
            chain.append(found)
            current = found.parent.flatMap(self.entry)
        }
        return chain.reversed()
    }

    /// The index of a stock value as SIRENE writes it (`69.20Z`, 6 bytes), nil when it is not a
    /// subclass of this table. No allocation: meant to be called once per row.
    @inline(__always)
    public func index(stockBytes bytes: UnsafeRawBufferPointer) -> Int? {
        guard let value = NAFStockValue.pack(bytes), value.nomenclature == nomenclature else { return nil }
        // Drop the dot (byte 2): compact key of bytes 0, 1, 3, 4, 5.
        let bits = value.bits
        let key = (bits & 0xFFFF) | ((bits >> 24) << 16)
        return indexByKey[key]
    }

    /// The same for a stock value held in a string.
    public func index(stockValue: String) -> Int? {
        NAFStockValue.withBytes(of: stockValue) { index(stockBytes: $0) }
    }

    /// A compact code packed into an integer, byte i at bits 8i (at most 5 ASCII bytes).
    @inline(__always)
    static func key<Bytes: Sequence>(_ bytes: Bytes) -> UInt64? where Bytes.Element == UInt8 {
        var key: UInt64 = 0
        var count = 0
        for byte in bytes {
            guard count < 5, byte < 0x80 else { return nil }
            key |= UInt64(byte) << UInt64(8 * count)
            count += 1
        }
        return count == 0 ? nil : key
    }
}

/// Looking a code up as a user writes it, sections included: what `builder naf` and the Lua
/// `builder.naf.label/children` share.
public enum NAFLookup {
    /// The entry of `text`: a section letter (`M`, any case, spaces around it allowed) or a code
    /// checked as `NAFCode(parsing:nomenclature:)` does (which throws for a bad or unknown one).
    /// `nomenclature` is the one for sections and codes without a subclass letter. Nil when the
    /// code's nomenclature has no table in this build.
    public static func entry(_ text: String, nomenclature: NAFNomenclature = .rev2) throws(NAFError) -> (table: NAFTable, entry: NAFEntry)? {
        let trimmed = text.split(separator: " ", omittingEmptySubsequences: true)
        if trimmed.count == 1, let letter = trimmed[0].unicodeScalars.first, trimmed[0].unicodeScalars.count == 1,
           letter.properties.isAlphabetic, letter.isASCII {
            guard let table = NAFTable.table(for: nomenclature) else { return nil }
            guard let section = table.entry(String(letter)), section.level == .section else {
                let sections = table.children(of: nil).map(\.code).joined()
                throw .invalidCode(value: text, reason: "there is no section \(String(letter).uppercased()); the sections are \(sections.first.map(String.init) ?? "")-\(sections.last.map(String.init) ?? "")")
            }
            return (table, section)
        }
        let code = try NAFCode(parsing: text, nomenclature: nomenclature)
        guard let table = NAFTable.table(for: code.nomenclature ?? nomenclature), let entry = table.entry(for: code) else { return nil }
        return (table, entry)
    }
}
