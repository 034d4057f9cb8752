/// Searching a NAF table by words and finding the real codes nearest to one that does not exist.
enum NAFSearch {
    /// The words of `text` folded for comparison: lower case, accents removed (`é` → `e`,
    /// `œ` → `oe`), split on anything that is not a letter or a digit.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if let folded = fold(scalar) {
                current += folded
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A letter or digit folded to lower-case ASCII where French spelling allows, nil for a
    /// separator.
    private static func fold(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "a"..."z", "0"..."9": return String(scalar)
        case "A"..."Z": return String(Character(scalar)).lowercased()
        default: break
        }
        if let base = accents[scalar] { return base }
        guard scalar.properties.isAlphabetic else { return nil }
        return String(Character(scalar)).lowercased()
    }

    private static let accents: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        let groups: [(String, String)] = [
            ("àâäáãåÀÂÄÁÃÅ", "a"), ("çÇ", "c"), ("éèêëÉÈÊË", "e"), ("îïíìÎÏÍÌ", "i"), ("ñÑ", "n"),
            ("ôöóòõÔÖÓÒÕ", "o"), ("ùûüúÙÛÜÚ", "u"), ("ÿýŸÝ", "y"), ("œŒ", "oe"), ("æÆ", "ae"),
        ]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars { table[scalar] = base }
        }
        return table
    }()

    /// Entries whose labels (French or English) contain every word of `query`, best first: whole
    /// words before word beginnings before parts of words, then shorter labels, then finer levels
    /// (the subclass before the class of the same label), then code order.
    static func search(_ query: String, in table: NAFTable, limit: Int) -> [NAFEntry] {
        let wanted = words(query)
        guard !wanted.isEmpty, limit > 0 else { return [] }
        var scored: [(score: Int, entry: NAFEntry)] = []
        for entry in table.entries {
            let labelWords = table.foldedLabels[entry.index]
            var score = 0
            for word in wanted {
                var best = 0
                for candidate in labelWords {
                    if candidate == word { best = 3; break }
                    if candidate.hasPrefix(word) { best = max(best, 2) } else if best == 0, candidate.contains(word) { best = 1 }
                }
                if best == 0 { score = 0; break }
                score += best
            }
            if score > 0 { scored.append((score, entry)) }
        }
        scored.sort { lhs, rhs in
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            let left = lhs.entry.label().count, right = rhs.entry.label().count
            if left != right { return left < right }
            if lhs.entry.level != rhs.entry.level { return lhs.entry.level > rhs.entry.level }
            return lhs.entry.index < rhs.entry.index
        }
        return scored.prefix(limit).map(\.entry)
    }

    /// The real codes nearest to `compact` (a well-formed code that is not in the table): the
    /// entries of the same level under its deepest existing ancestor (the class's subclasses, the
    /// group's classes, the division's groups...), nearest by digits first.
    static func nearest(to compact: String, level: NAFTableLevel, in table: NAFTable, limit: Int) -> [NAFEntry] {
        var ancestor: NAFEntry?
        var length = min(compact.utf8.count, 4)
        while length >= 2, ancestor == nil {
            let prefix = String(compact.prefix(length))
            if prefix != compact { ancestor = table.entry(prefix) }
            length -= 1
        }
        guard let ancestor else { return [] }
        var candidates: [NAFEntry] = []
        var frontier = [ancestor]
        while !frontier.isEmpty {
            var next: [NAFEntry] = []
            for entry in frontier {
                for child in table.children(of: entry) {
                    if child.level == level { candidates.append(child) } else if child.level < level { next.append(child) }
                }
            }
            frontier = next
        }
        let target = digits(compact)
        return candidates
            .map { (distance: abs(digits($0.code) - target), entry: $0) }
            .sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.entry.index < $1.entry.index }
            .prefix(limit).map(\.entry)
    }

    /// The digits of a compact code as a number padded to 4 digits: `692` → 6920, `6920Z` → 6920.
    private static func digits(_ compact: String) -> Int {
        var value = 0, count = 0
        for byte in compact.utf8 where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") && count < 4 {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
        }
        while count < 4 { value *= 10; count += 1 }
        return value
    }
}

extension NAFTable {
    /// Entries whose labels contain every word of `query`, accents and case ignored, best first
    /// (see `NAFSearch.search`).
    public func search(_ query: String, limit: Int = 20) -> [NAFEntry] {
        NAFSearch.search(query, in: self, limit: limit)
    }

    /// The real codes nearest to a code that is not in this table (empty when it is).
    public func nearest(to code: NAFCode, limit: Int = 3) -> [NAFEntry] {
        guard !contains(code) else { return [] }
        return NAFSearch.nearest(to: code.compact, level: NAFTableLevel(code.level), in: self, limit: limit)
    }
}
