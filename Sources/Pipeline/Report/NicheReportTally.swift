import INSEECodes
import NAF
import Parquet
import Report

/// What `report.html` needs from the rows, gathered batch by batch in file order with bounded
/// memory: counts per value of a few columns (each at most `Counter.limit` distinct values), ten-bin
/// histograms of the scores, the validity flags, the map's tally and the `topCount` rows with the
/// best `quality_score` (the first in file order on ties).
struct NicheReportTally {
    /// The rows shown in the top table.
    static let topCount = 25

    /// Counts per value, at most `limit` distinct values (the rest counted in `overflow`). Values of
    /// up to 7 bytes (codes: départements, bands, NAF codes) are counted under an integer key, so
    /// counting a row allocates nothing.
    struct Counter {
        static let limit = 10_000
        private var short = KeyCounts()
        private var long: [String: Int] = [:]
        private(set) var overflow = 0
        private(set) var missing = 0

        /// The counts per value.
        var counts: [String: Int] {
            var result = long
            short.forEach { key, count in result[ShortText.text(key), default: 0] += count }
            return result
        }

        mutating func add(_ bytes: UnsafeRawBufferPointer?) {
            guard let bytes, !bytes.isEmpty else {
                missing += 1
                return
            }
            if let key = ShortText.key(bytes) {
                if !short.add(key, limit: Self.limit - long.count) { overflow += 1 }
                return
            }
            let value = String(decoding: bytes, as: UTF8.self)
            if let index = long.index(forKey: value) {
                long.values[index] += 1
            } else if short.count + long.count < Self.limit {
                long[value] = 1
            } else {
                overflow += 1
            }
        }
    }

    /// A row of the top table: its score, its order in the file and its cells.
    struct TopRow {
        let score: Int64
        let order: Int
        let cells: [String]
    }

    /// The column indices read (nil when the schema lacks the column).
    struct Columns {
        let departement, effectif, legalForm, creation, naf, latitude, longitude: Int?
        let siret, name, denomination, postalCode, city, score: Int?
        /// The score columns (`QualityTally.scoreColumns`: `quality_score` first, then its components).
        let scores: [(name: String, index: Int)]
        /// The validity flags of `quality.checks`, with their field.
        let validity: [(field: String, index: Int)]

        init(_ schema: BatchSchema) {
            func index(_ name: String, _ type: ColumnType) -> Int? {
                guard let position = schema.index(of: name), schema.columns[position].type == type else { return nil }
                return position
            }
            departement = index("departement", .text)
            effectif = index("effectif", .text)
            legalForm = index("categorie_juridique", .text)
            creation = index("date_creation", .date)
            naf = index("naf_code", .text)
            latitude = index("latitude", .number)
            longitude = index("longitude", .number)
            siret = index("siret", .text)
            name = index("nom_complet", .text)
            denomination = index("denomination", .text) ?? index("enseigne", .text)
            postalCode = index("code_postal", .text)
            city = index("ville", .text)
            scores = QualityTally.scoreColumns.compactMap { name in index(name, .integer).map { (name, $0) } }
            score = scores.first?.index
            validity = zip(ChecksStep.fieldNames, ChecksStep.flags).compactMap { field, flag in
                index(flag.name, .boolean).map { (field, $0) }
            }
        }

        /// Every index read, in a fixed order (see `read`).
        var all: [Int?] {
            [departement, effectif, legalForm, creation, naf, latitude, longitude, siret, name, denomination, postalCode, city, score]
                + scores.map(\.index) + validity.map(\.index)
        }
    }

    let columns: Columns
    private(set) var rows = 0
    private(set) var departements = Counter()
    private(set) var headcounts = Counter()
    private(set) var legalForms = Counter()
    private(set) var nafCodes = Counter()
    private var creationYearCounts = KeyCounts()
    /// Rows per year of creation.
    var creationYears: [Int: Int] {
        var years: [Int: Int] = [:]
        creationYearCounts.forEach { key, count in years[Self.year(key)] = count }
        return years
    }
    private(set) var creationMissing = 0
    /// Per score column, the rows in bins 0-9, 10-19, ..., 90-100.
    private(set) var histograms: [[Int]]
    /// Per validity column: valid, invalid, missing.
    private(set) var validity: [(valid: Int, invalid: Int, missing: Int)]
    private var coordinates: MapTally
    /// The best rows so far, best first.
    private(set) var top: [TopRow] = []
    private let language: ReportLanguage

    init(schema: BatchSchema, language: ReportLanguage) {
        columns = Columns(schema)
        histograms = Array(repeating: Array(repeating: 0, count: 10), count: columns.scores.count)
        validity = Array(repeating: (0, 0, 0), count: columns.validity.count)
        coordinates = MapTally(usesCoordinates: columns.latitude != nil && columns.longitude != nil)
        self.language = language
    }

    /// Adds the rows of `batch` still in.
    mutating func add(_ batch: RecordBatch) {
        let present = columns.all.compactMap { $0 }
        batch.withViews(of: present) { views in
            var byIndex: [Int: ColumnView] = [:]
            for (position, index) in present.enumerated() { byIndex[index] = views[position] }
            func view(_ index: Int?) -> ColumnView { index.flatMap { byIndex[$0] } ?? .absent }
            let departement = view(columns.departement), effectif = view(columns.effectif), legalForm = view(columns.legalForm)
            let creation = view(columns.creation), naf = view(columns.naf), latitude = view(columns.latitude)
            let longitude = view(columns.longitude), score = view(columns.score)
            let scoreViews = columns.scores.map { view($0.index) }
            let validityViews = columns.validity.map { view($0.index) }
            for row in 0..<batch.rowCount where batch.isKept(row) {
                let order = rows
                rows += 1
                departements.add(departement.text(row))
                headcounts.add(effectif.text(row))
                legalForms.add(legalForm.text(row))
                nafCodes.add(naf.text(row))
                if let days = creation.date(row) {
                    _ = creationYearCounts.add(Self.key(year: CivilCalendar.date(days: Int64(days)).year), limit: .max)
                } else {
                    creationMissing += 1
                }
                for (position, scoreView) in scoreViews.enumerated() {
                    if let value = scoreView.integer(row) { histograms[position][Int(min(max(value, 0), 100) / 10).clamped(to: 0...9)] += 1 }
                }
                for (position, flag) in validityViews.enumerated() {
                    switch flag.boolean(row) {
                    case true?: validity[position].valid += 1
                    case false?: validity[position].invalid += 1
                    case nil: validity[position].missing += 1
                    }
                }
                if coordinates.usesCoordinates {
                    var point: GeoPoint?
                    if let lat = latitude.number(row), let lon = longitude.number(row) { point = GeoPoint(longitude: lon, latitude: lat) }
                    coordinates.add(departement: nil, point: point)
                }
                let value = score.integer(row) ?? -1
                if top.count < Self.topCount || value > (top.last?.score ?? Int64.min) {
                    insertTop(TopRow(score: value, order: order, cells: topCells(row, view: view)))
                }
            }
        }
    }

    /// The map: the establishments by their coordinates when the rows have them, else by
    /// département (from the département counts).
    var map: MapTally {
        if coordinates.usesCoordinates { return coordinates }
        var tally = MapTally(usesCoordinates: false)
        for (code, count) in departements.counts { tally.add(departement: code, count: count) }
        tally.add(departement: nil, count: departements.missing + departements.overflow)
        return tally
    }

    private mutating func insertTop(_ row: TopRow) {
        // Best first; on equal scores the earlier row stays ahead.
        let position = top.firstIndex { $0.score < row.score } ?? top.count
        top.insert(row, at: position)
        if top.count > Self.topCount { top.removeLast() }
    }

    /// The columns of the top table (see `topColumns`).
    private func topCells(_ row: Int, view: (Int?) -> ColumnView) -> [String] {
        let name = CellText.value(view(columns.name), row) ?? CellText.value(view(columns.denomination), row) ?? ""
        let place = [CellText.value(view(columns.postalCode), row), CellText.value(view(columns.city), row)].compactMap { $0 }
        let effectif = CellText.value(view(columns.effectif), row)
        return [
            CellText.text(view(columns.siret), row),
            name,
            CellText.text(view(columns.naf), row),
            place.joined(separator: " "),
            CellText.text(view(columns.departement), row),
            effectif.map { HeadcountBands.band($0)?.label(labelLanguage) ?? $0 } ?? "",
            CellText.text(view(columns.creation), row),
            CellText.text(view(columns.score), row),
        ]
    }

    static let topColumns: [ReportText] = [.colSiret, .colName, .colNAF, .colCity, .colDepartement, .colHeadcount, .colCreated, .colScore]

    var labelLanguage: LabelLanguage { language == .en ? .en : .fr }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}

extension NicheReportTally {
    /// A year as a key of `KeyCounts`, and back.
    static func key(year: Int64) -> UInt64 { UInt64(bitPattern: year) }
    static func year(_ key: UInt64) -> Int { Int(Int64(bitPattern: key)) }
}

/// Counts per key (`KeyIndex`): the report counts four values per row.
struct KeyCounts {
    private var index = KeyIndex()
    private var counts: [Int] = []

    /// Keys counted.
    var count: Int { index.count }

    /// Counts one more `key`; false, counting nothing, when `key` is new and `limit` keys are
    /// counted already.
    mutating func add(_ key: UInt64, limit: Int) -> Bool {
        guard let position = index.position(of: key, limit: limit) else { return false }
        if position == counts.count { counts.append(1) } else { counts[position] += 1 }
        return true
    }

    /// Calls `body` with each key and its count, in the order the keys came.
    func forEach(_ body: (UInt64, Int) -> Void) {
        index.forEach { key, position in body(key, counts[position]) }
    }
}
