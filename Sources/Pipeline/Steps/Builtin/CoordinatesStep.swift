import Basics
import Columns
import Geo

/// `enrich.coordinates`: `latitude` and `longitude` (WGS84, decimal degrees rounded to 6
/// decimals, about 11 cm) from the stock's Lambert coordinates
/// (`coordonneeLambertAbscisseEtablissement`, `coordonneeLambertOrdonneeEtablissement`), with
/// PROJ, in the projection of the row's `departement` (`DepartementGeography`: Lambert-93 in
/// metropolitan France, a UTM zone overseas).
///
/// Each row gets one outcome, counted in the manifest; every outcome but `converted` leaves both
/// columns null:
/// - `masked`: either coordinate is `[ND]` (partially diffusible establishment);
/// - `absent`: either is null or empty (the simplified layout has none);
/// - `malformed`: either is not a decimal number;
/// - `no_projection`: the département has no known projection (98x, foreign, none);
/// - `out_of_bounds`: the point is not within the département's bounds (or PROJ cannot convert it);
/// - `converted`.
final class CoordinatesStep: RegisteredStep {
    static let stepName = "enrich.coordinates"
    let name = CoordinatesStep.stepName
    let summary = "latitude, longitude (WGS84) from the Lambert coordinates, in the departement's projection (PROJ)"
    let execution = StepExecution.perRow
    let reads = [StandardColumn.departement.name]
    let sourceFields: [SourceField] = [.lambertAbscisse, .lambertOrdonnee]
    /// `_coordonnees` carries each row's outcome to `tally`, which runs after the input is gone.
    static let columns = [ColumnSpec("latitude", .number), ColumnSpec("longitude", .number), ColumnSpec("_coordonnees", .integer)]
    let adds = CoordinatesStep.columns
    private let converters = WGS84ConverterPool()
    private var departementIndex = 0
    private var outputs: [Int] = []

    /// The outcome of a row, as stored in `_coordonnees`.
    enum Outcome: Int64, CaseIterable {
        case converted, masked, absent, malformed, outOfBounds, noProjection

        /// Its field in the manifest's `coordinates` record.
        var fieldName: String {
            switch self {
            case .converted: "converted"
            case .masked: "masked"
            case .absent: "absent"
            case .malformed: "malformed"
            case .outOfBounds: "out_of_bounds"
            case .noProjection: "no_projection"
            }
        }
    }

    init(_ setup: StepSetup) {}

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        departementIndex = schema.index(of: StandardColumn.departement.name) ?? 0
        outputs = adds.compactMap { schema.index(of: $0.name) }
    }

    func apply(_ batch: inout RecordBatch) throws(RunFailure) {
        let count = batch.rowCount
        var points = CoordinatePoints(count: count)
        if let source = batch.source {
            source.withViews { sources in
                guard let eastings = sources[SourceField.lambertAbscisse.rawValue],
                      let northings = sources[SourceField.lambertOrdonnee.rawValue] else { return }
                batch.withViews(of: [departementIndex]) { columns in
                    for row in 0..<count {
                        points.classify(row, eastings: eastings, northings: northings, departement: columns[0])
                    }
                }
            }
        }
        do {
            try converters.withConverter { (converter) throws(GeoError) in try points.convert(with: converter) }
        } catch {
            throw RunFailure(.run, "\(name): \(error)")
        }

        let builder = ColumnsBuilder(kinds: [.double, .double, .int64], reservingCapacity: count)
        for row in 0..<count {
            let outcome = points.outcomes[row]
            let converted = outcome == .converted
            builder.appendDouble(0, converted ? Self.rounded(points.northings[row]) : nil)
            builder.appendDouble(1, converted ? Self.rounded(points.eastings[row]) : nil)
            builder.appendInt64(2, outcome.rawValue)
        }
        guard let columns = try? builder.finish() else { return }
        for (index, column) in zip(outputs, columns) { batch.set(index, column) }
    }

    /// To 6 decimals (about 11 cm), half away from zero.
    @inline(__always)
    static func rounded(_ degrees: Double) -> Double { (degrees * 1e6).rounded() / 1e6 }

    func tally(_ batch: RecordBatch, _ counts: inout StepCounts) {
        var totals = [Int](repeating: 0, count: Outcome.allCases.count)
        batch.withViews(of: [outputs[2]]) { views in
            for row in 0..<batch.rowCount where batch.isKept(row) {
                if let code = views[0].integer(row), code >= 0 && Int(code) < totals.count { totals[Int(code)] += 1 }
            }
        }
        for outcome in Outcome.allCases { counts.add(outcome.fieldName, totals[Int(outcome.rawValue)]) }
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        var coordinates = StructuredMap()
        for outcome in Outcome.allCases { coordinates[outcome.fieldName] = .integer(Int64(counts[outcome.fieldName])) }
        return ["coordinates": .map(coordinates)]
    }
}

/// One batch's coordinates on their way to WGS84: the parsed eastings and northings (then the
/// longitudes and latitudes), each row's outcome and département.
private struct CoordinatePoints {
    var eastings: [Double]
    var northings: [Double]
    var outcomes: [CoordinatesStep.Outcome]
    /// Per row: the position of its département in `DepartementGeography.all`, -1 for none.
    var places: [Int16]

    init(count: Int) {
        eastings = Array(repeating: 0, count: count)
        northings = Array(repeating: 0, count: count)
        outcomes = Array(repeating: .absent, count: count)
        places = Array(repeating: -1, count: count)
    }

    /// Reads row `row`'s coordinates and département: its outcome, or its projected point.
    @inline(__always)
    mutating func classify(_ row: Int, eastings eastingColumn: SourceColumnView, northings northingColumn: SourceColumnView,
                           departement: ColumnView) {
        let easting = eastingColumn.withText(row, CoordinateText.read)
        let northing = northingColumn.withText(row, CoordinateText.read)
        guard case let .number(x) = easting, case let .number(y) = northing else {
            outcomes[row] = easting == .masked || northing == .masked ? .masked
                : easting == .absent || northing == .absent ? .absent : .malformed
            return
        }
        guard let code = departement.text(row), let place = DepartementGeography.position(of: code) else {
            outcomes[row] = .noProjection
            return
        }
        eastings[row] = x
        northings[row] = y
        places[row] = Int16(place)
        // Decided once converted.
        outcomes[row] = .outOfBounds
    }

    /// Converts the rows that have a point, projection by projection, and keeps those inside
    /// their département's bounds.
    mutating func convert(with converter: WGS84Converter) throws(GeoError) {
        let all = DepartementGeography.all
        var rowsByProjection = Array(repeating: [Int](), count: Projection.allCases.count)
        for row in 0..<places.count where places[row] >= 0 {
            rowsByProjection[all[Int(places[row])].projection.ordinal].append(row)
        }
        for projection in Projection.allCases {
            let rows = rowsByProjection[projection.ordinal]
            guard !rows.isEmpty else { continue }
            var xs = rows.map { eastings[$0] }
            var ys = rows.map { northings[$0] }
            try xs.withUnsafeMutableBufferPointer { (xs) throws(GeoError) in
                try ys.withUnsafeMutableBufferPointer { (ys) throws(GeoError) in
                    try converter.convert(projection, eastings: xs, northings: ys)
                }
            }
            for (position, row) in rows.enumerated() {
                let (longitude, latitude) = (xs[position], ys[position])
                eastings[row] = longitude
                northings[row] = latitude
                if all[Int(places[row])].bounds.contains(latitude: latitude, longitude: longitude) {
                    outcomes[row] = .converted
                }
            }
        }
    }
}
