import Parquet

/// `SampleVocabulary` turned into UTF-8 byte arrays and weighted choices once, so generating a
/// row copies bytes instead of building Strings.
final class PreparedVocabulary: Sendable {
    static let shared = PreparedVocabulary()

    /// The stock's date: rows describe the state on 2026-08-01, so dates stop the day before.
    static let stockDay = Int(CivilCalendar.days(year: 2026, month: 7, day: 31))
    static let earliestCreation = Int(CivilCalendar.days(year: 1950, month: 1, day: 1))
    static let nafRev2Start = Int(CivilCalendar.days(year: 2008, month: 1, day: 1))
    static let nafRev1Start = Int(CivilCalendar.days(year: 2003, month: 1, day: 1))
    static let naf1993Start = Int(CivilCalendar.days(year: 1993, month: 1, day: 1))
    static let processingStart = Int(CivilCalendar.days(year: 2008, month: 1, day: 1))

    let statusO = bytes("O"), statusP = bytes("P")
    let active = bytes("A"), closed = bytes("F")
    let yes = bytes("O"), no = bytes("N")
    let notDiffused = bytes(SireneSchema.notDiffused)
    let nafRev2Name = bytes("NAFRev2"), nafRev1Name = bytes("NAFRev1"), naf1993Name = bytes("NAF1993"), napName = bytes("NAP")
    let nonEmployerTranche = bytes("NN"), zeroTranche = bytes("00")
    let cedexSuffix = bytes(" CEDEX")

    let nafRev2: [[UInt8]]
    let naf2025: [[UInt8]]
    let nafChoice: WeightedChoice
    let nafRev1: [[UInt8]]
    let nap: [[UInt8]]
    let tranches: [[UInt8]]
    let trancheChoice: WeightedChoice
    let craftSuffixes = ["ZZ", "AA", "AB", "ZA", "ZB", "BZ"].map(bytes)
    let complements = SampleVocabulary.addressComplements.map(bytes)
    let repetitionIndices = ["B", "T", "Q", "C"].map(bytes)
    let streetTypes: [[UInt8]]
    let streetTypeChoice: WeightedChoice
    let streetNames = SampleVocabulary.streetNames.map(bytes)
    let awkwardStreetNames = SampleVocabulary.awkwardStreetNames.map(bytes)
    let countries: [(code: [UInt8], label: [UInt8], city: [UInt8])]
    let cities: [(code: [UInt8], postalCode: [UInt8], label: [UInt8])]
    let cityChoice: WeightedChoice
    let departments = SampleVocabulary.departments.map(bytes)
    let deliveryKinds = ["BP ", "CS ", "TSA "].map(bytes)
    let tradeWords = SampleVocabulary.tradeWords.map(bytes)
    let nameWords = SampleVocabulary.nameWords.map(bytes)
    let awkwardNames = SampleVocabulary.awkwardNames.map(bytes)
    private let prefixes = SampleVocabulary.communePrefixes.map(bytes)
    private let roots = SampleVocabulary.communeRoots.map(bytes)
    private let suffixes = SampleVocabulary.communeSuffixes.map(bytes)

    private init() {
        nafRev2 = SampleVocabulary.nafRev2.map(bytes)
        naf2025 = nafRev2.map(PreparedVocabulary.naf2025Code)
        // Zipf-Mandelbrot over the ranks: the first code gets ~6% of rows, rank 50 ~0.4%.
        nafChoice = WeightedChoice(zipfCount: nafRev2.count, offset: 3)
        nafRev1 = SampleVocabulary.nafRev1.map(bytes)
        nap = SampleVocabulary.nap.map(bytes)
        tranches = SampleVocabulary.employerTranches.map { bytes($0.0) }
        trancheChoice = WeightedChoice(weights: SampleVocabulary.employerTranches.map(\.1))
        streetTypes = SampleVocabulary.streetTypes.map { bytes($0.0) }
        streetTypeChoice = WeightedChoice(weights: SampleVocabulary.streetTypes.map(\.1))
        countries = SampleVocabulary.foreignCountries.map { (bytes($0.code), bytes($0.label), bytes($0.city)) }
        cities = SampleVocabulary.cities.map { (bytes($0.code), bytes($0.postalCode), bytes($0.label)) }
        cityChoice = WeightedChoice(weights: SampleVocabulary.cities.map(\.weight))
    }

    /// The label of a synthetic commune, a function of its code so it is the same on every row.
    func communeLabel(department: Int, number: Int) -> [UInt8] {
        var hash = UInt64(department * 1000 + number) &* 0x9E37_79B9_7F4A_7C15
        hash ^= hash >> 29
        let prefix = prefixes[Int(hash % UInt64(prefixes.count))]
        let root = roots[Int((hash >> 8) % UInt64(roots.count))]
        let suffix = suffixes[Int((hash >> 16) % UInt64(suffixes.count))]
        return prefix + root + suffix
    }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

extension PreparedVocabulary {
    /// A plausible NAF 2025 code for a rév. 2 subclass: same digits, the letter moved to the 2025
    /// set (`Z`->`Y`, `A`->`G`, `B`->`H`, `C`->`J`, `D`->`K`, `E`/`F`->`L`). Not the official
    /// correspondence table, which splits and merges codes.
    static func naf2025Code(_ rev2: [UInt8]) -> [UInt8] {
        guard let letter = rev2.last else { return rev2 }
        let mapped: UInt8
        switch letter {
        case UInt8(ascii: "Z"): mapped = UInt8(ascii: "Y")
        case UInt8(ascii: "A"): mapped = UInt8(ascii: "G")
        case UInt8(ascii: "B"): mapped = UInt8(ascii: "H")
        case UInt8(ascii: "C"): mapped = UInt8(ascii: "J")
        case UInt8(ascii: "D"): mapped = UInt8(ascii: "K")
        default: mapped = UInt8(ascii: "L")
        }
        return rev2.dropLast() + [mapped]
    }
}
