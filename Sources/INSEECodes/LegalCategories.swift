/// INSEE's legal-form categories (`catégorie juridique`): level I (1 digit), II (2 digits) and III
/// (4 digits), from `Data/categories_juridiques.tsv` (INSEE's list of September 2022, see
/// `Data/README.md`). INSEE publishes them in French only.
public struct LegalCategory: Sendable, Equatable {
    /// `5`, `57`, `5710`.
    public let code: String
    /// 1, 2 or 3.
    public let level: Int
    public let labelFR: String
    public let labelEN: String?

    /// The label in `language`, French when the table has no English one.
    public func label(_ language: LabelLanguage = .fr) -> String {
        language == .en ? (labelEN ?? labelFR) : labelFR
    }
}

public enum LegalCategories {
    /// Every category of the table, in its order. Parsed on first use.
    public static let all: [LegalCategory] = TSVTable.embedded(
        "categories_juridiques.tsv", columns: ["code", "level", "parent", "label_fr", "label_en"]
    ).map { fields in
        LegalCategory(code: fields[0], level: Int(fields[1]) ?? 0, labelFR: fields[3], labelEN: fields[4].isEmpty ? nil : fields[4])
    }

    private static let byNumber: [Int: Int] = {
        var index: [Int: Int] = [:]
        for (position, category) in all.enumerated() { index[key(category.code) ?? -1] = position }
        return index
    }()

    /// A code's lookup key: its digits as a number, offset by its length so that `5`, `05` and
    /// `0005` stay apart (level I `5` is not level III `0005`).
    private static func key(_ code: String) -> Int? {
        guard (1...4).contains(code.utf8.count), let value = Int(code), value >= 0 else { return nil }
        return code.utf8.count * 10_000 + value
    }

    /// The category of a code as the stock writes it: `"5710"` (spaces around it allowed), `"57"`,
    /// `"5"`; nil when there is none.
    public static func category(_ code: String) -> LegalCategory? {
        let trimmed = code.trimmingSpaces
        guard trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let key = key(trimmed), let position = byNumber[key] else { return nil }
        return all[position]
    }

    /// The category of a level-III code stored as a number (the Parquet stock's INT64 `5710`; `0`
    /// for `0000`).
    public static func category(_ code: Int) -> LegalCategory? {
        guard (0...9999).contains(code) else { return nil }
        return byNumber[4 * 10_000 + code].map { all[$0] }
    }

    /// The categories of a level.
    public static func categories(level: Int) -> [LegalCategory] { all.filter { $0.level == level } }
}

extension String {
    /// Without the spaces (U+0020) around it.
    var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
