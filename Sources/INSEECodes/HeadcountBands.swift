/// INSEE's salaried-headcount bands (`tranche d'effectif salarié`, `trancheEffectifs*` in SIRENE),
/// from `Data/tranches_effectifs.tsv`: `NN` (no salaried employee), `00` (0 at year end), `01`
/// (1-2) ... `53` (10 000 and more).
public struct HeadcountBand: Sendable, Equatable {
    /// `NN`, `00`, `01`, ... `53`.
    public let code: String
    /// The fewest and most people the band covers; both nil for `NN`, `maximum` nil for `53`.
    public let minimum: Int?
    public let maximum: Int?
    public let labelFR: String
    public let labelEN: String?

    /// The label in `language`, French when the table has no English one.
    public func label(_ language: LabelLanguage = .fr) -> String {
        language == .en ? (labelEN ?? labelFR) : labelFR
    }

    /// Whether the band lies entirely within `range` of people (`NN` never does).
    public func isWithin(_ range: ClosedRange<Int>) -> Bool {
        guard let minimum else { return false }
        return range.contains(minimum) && (maximum.map(range.contains) ?? false)
    }

    /// Whether the band lies entirely within `least` ... `most` people, either bound absent
    /// (`most` absent: no upper bound, so `53`, 10 000 and more, can be within). `NN` never is.
    public func isWithin(least: Int?, most: Int?) -> Bool {
        guard let minimum, minimum >= (least ?? 0) else { return false }
        guard let most else { return true }
        return maximum.map { $0 <= most } ?? false
    }
}

public enum HeadcountBands {
    /// The 16 bands in INSEE's order. Parsed on first use.
    public static let all: [HeadcountBand] = TSVTable.embedded(
        "tranches_effectifs.tsv", columns: ["code", "min", "max", "label_fr", "label_en"]
    ).map { fields in
        HeadcountBand(code: fields[0], minimum: Int(fields[1]), maximum: Int(fields[2]),
                      labelFR: fields[3], labelEN: fields[4].isEmpty ? nil : fields[4])
    }

    /// The band of a code (`"12"`), nil for anything else (an empty or missing value included).
    public static func band(_ code: String) -> HeadcountBand? {
        index(bytes: Array(code.utf8)).map { all[$0] }
    }

    /// The position in `all` of a band given as the bytes of a stock value, without allocating:
    /// meant to be called once per row.
    @inline(__always)
    public static func index<Bytes: Collection>(bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        guard bytes.count == 2 else { return nil }
        let first = bytes[bytes.startIndex], second = bytes[bytes.index(after: bytes.startIndex)]
        return byKey[Int(first) << 8 | Int(second)]
    }

    private static let byKey: [Int: Int] = {
        var index: [Int: Int] = [:]
        for (position, band) in all.enumerated() {
            let bytes = Array(band.code.utf8)
            index[Int(bytes[0]) << 8 | Int(bytes[1])] = position
        }
        return index
    }()
}
