import INSEECodes

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A département's outline, from `Data/departements.tsv` (see `Data/README.md`): polygons, each
/// an outer ring then its holes, in degrees (longitude, latitude).
struct DepartementShape: Sendable {
    let code: String
    let name: String
    let polygons: [[[GeoPoint]]]
}

/// A point in degrees of WGS 84.
public struct GeoPoint: Sendable, Equatable {
    public let longitude: Double
    public let latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// A place on the drawn map: x and y in the map's SVG coordinates.
public struct MapPosition: Sendable, Equatable {
    public let x: Double
    public let y: Double
}

/// One part of the map: metropolitan France, or the inset of an overseas département. Each
/// has its own projection, fitted to its box.
struct MapArea: Sendable {
    let title: String?
    let codes: Set<String>
    /// Where the area is drawn (x, y, width, height).
    let box: (x: Double, y: Double, width: Double, height: Double)
    /// The degrees the area covers, to place coordinates (west, south, east, north).
    let bounds: (west: Double, south: Double, east: Double, north: Double)
    let projection: MapProjection
    let scale: Double
    let offset: (x: Double, y: Double)

    func contains(_ point: GeoPoint) -> Bool {
        point.longitude >= bounds.west && point.longitude <= bounds.east
            && point.latitude >= bounds.south && point.latitude <= bounds.north
    }

    func project(_ point: GeoPoint) -> MapPosition {
        let (u, v) = projection.raw(point)
        return MapPosition(x: offset.x + u * scale, y: offset.y - v * scale)
    }

    /// The area drawing `shapes` in `box`, fitted with a margin.
    static func fitted(title: String?, shapes: [DepartementShape], box: (x: Double, y: Double, width: Double, height: Double),
                       conic: Bool, margin: Double = 0.05) -> MapArea {
        var west = Double.infinity, east = -Double.infinity, south = Double.infinity, north = -Double.infinity
        for point in shapes.lazy.flatMap({ $0.polygons.lazy.flatMap { $0[0] } }) {
            west = min(west, point.longitude)
            east = max(east, point.longitude)
            south = min(south, point.latitude)
            north = max(north, point.latitude)
        }
        let origin = conic ? GeoPoint(longitude: 3, latitude: 46.5) : GeoPoint(longitude: (west + east) / 2, latitude: (south + north) / 2)
        let projection = MapProjection(conic: conic, origin: origin)
        var minU = Double.infinity, maxU = -Double.infinity, minV = Double.infinity, maxV = -Double.infinity
        for point in shapes.lazy.flatMap({ $0.polygons.lazy.flatMap { $0[0] } }) {
            let (u, v) = projection.raw(point)
            minU = min(minU, u)
            maxU = max(maxU, u)
            minV = min(minV, v)
            maxV = max(maxV, v)
        }
        let innerWidth = box.width * (1 - 2 * margin), innerHeight = box.height * (1 - 2 * margin)
        let scale = min(innerWidth / max(maxU - minU, 1e-9), innerHeight / max(maxV - minV, 1e-9))
        let offsetX = box.x + (box.width - (maxU - minU) * scale) / 2 - minU * scale
        let offsetY = box.y + (box.height + (maxV - minV) * scale) / 2 + minV * scale
        let pad = 0.3
        return MapArea(title: title, codes: Set(shapes.map(\.code)), box: box,
                       bounds: (west - pad, south - pad, east + pad, north + pad),
                       projection: projection, scale: scale, offset: (offsetX, offsetY))
    }
}

/// How an area's degrees become plane coordinates, unscaled: Lambert conformal conic on a sphere
/// with Lambert-93's parallels (44° and 49° N, origin 46.5° N 3° E) for metropolitan France; an
/// equirectangular projection true at the area's latitude for an inset. What does not depend on
/// the point is computed once.
struct MapProjection: Sendable {
    let origin: GeoPoint
    /// The conic's exponent, its scale and the radius of the origin's parallel; nil for an inset.
    private let conic: (n: Double, f: Double, rho0: Double)?
    /// An inset's scale of longitudes.
    private let longitudeScale: Double

    private static let radians = Double.pi / 180

    init(conic: Bool, origin: GeoPoint) {
        self.origin = origin
        let radians = Self.radians
        longitudeScale = cos(origin.latitude * radians)
        guard conic else {
            self.conic = nil
            return
        }
        let phi1 = 44 * radians, phi2 = 49 * radians
        let n = log(cos(phi1) / cos(phi2)) / log(tan(Double.pi / 4 + phi2 / 2) / tan(Double.pi / 4 + phi1 / 2))
        let f = cos(phi1) * pow(tan(Double.pi / 4 + phi1 / 2), n) / n
        self.conic = (n, f, Self.rho(origin.latitude * radians, n: n, f: f))
    }

    private static func rho(_ phi: Double, n: Double, f: Double) -> Double { f / pow(tan(Double.pi / 4 + phi / 2), n) }

    func raw(_ point: GeoPoint) -> (Double, Double) {
        let radians = Self.radians
        guard let conic else {
            return ((point.longitude - origin.longitude) * longitudeScale, point.latitude - origin.latitude)
        }
        let theta = conic.n * (point.longitude - origin.longitude) * radians
        let r = Self.rho(point.latitude * radians, n: conic.n, f: conic.f)
        return (r * sin(theta) / radians, (conic.rho0 - r * cos(theta)) / radians)
    }
}

/// The map of France of the reports: the départements of `Data/departements.tsv`, metropolitan
/// France with an inset per overseas département, and the marks drawn on it (`MapTally`).
public enum FranceMap {
    public static let width = 720.0
    public static let height = 600.0
    /// The overseas départements drawn as insets, in order.
    static let insetCodes = ["971", "972", "973", "974", "976"]

    static let shapes: [DepartementShape] = {
        guard let text = EmbeddedFiles.all["departements.tsv"] else { fatalError("departements.tsv is not compiled in") }
        do {
            return try parse(text)
        } catch {
            // The file is compiled in and checked by the tests: a bad one is a build mistake.
            fatalError("departements.tsv: \(error)")
        }
    }()

    /// The départements of the map, from the table's text (`TSVTable`, columns `code name
    /// polygons`): polygons separated by `|`, their rings by `;`, a ring's points by spaces, each
    /// point `longitude,latitude` in thousandths of a degree. Read as bytes: the table is 180 KB,
    /// and a report is drawn at the end of every run.
    static func parse(_ text: String) throws(TSVTableError) -> [DepartementShape] {
        try TSVTable.rows(text, columns: ["code", "name", "polygons"]).map { fields in
            var outlines = fields[2]
            let polygons = outlines.withUTF8 { bytes in
                bytes.split(separator: UInt8(ascii: "|")).map { polygon in
                    polygon.split(separator: UInt8(ascii: ";")).map { ring in
                        ring.split(separator: UInt8(ascii: " ")).compactMap { pair -> GeoPoint? in
                            let parts = pair.split(separator: UInt8(ascii: ","))
                            guard parts.count == 2, let x = integer(parts[0]), let y = integer(parts[1]) else { return nil }
                            return GeoPoint(longitude: Double(x) / 1000, latitude: Double(y) / 1000)
                        }
                    }.filter { $0.count >= 3 }
                }.filter { !$0.isEmpty }
            }
            return DepartementShape(code: fields[0], name: fields[1], polygons: polygons)
        }
    }

    /// A decimal integer (an optional sign, then digits), nil for anything else.
    private static func integer(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var digits = bytes[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }

    static let names: [String: String] = Dictionary(shapes.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })

    /// The name of a département drawn on the map (`75` → `Paris`), nil for other codes.
    public static func name(of code: String) -> String? { names[code] }

    /// Metropolitan France, then the insets.
    static let areas: [MapArea] = {
        let metro = shapes.filter { !$0.code.hasPrefix("97") }
        var result = [MapArea.fitted(title: nil, shapes: metro, box: (0, 0, 575, height), conic: true, margin: 0.02)]
        let insetHeight = height / Double(insetCodes.count)
        for (index, code) in insetCodes.enumerated() {
            let shape = shapes.filter { $0.code == code }
            guard !shape.isEmpty else { continue }
            let box = (x: 585.0, y: Double(index) * insetHeight + 14, width: width - 590, height: insetHeight - 20)
            result.append(MapArea.fitted(title: code + " " + (shape.first?.name ?? ""), shapes: shape, box: box, conic: false))
        }
        return result
    }()

    /// Where a point is drawn, with the index of its area; nil outside the areas drawn.
    public static func position(of point: GeoPoint) -> (area: Int, position: MapPosition)? {
        for (index, area) in areas.enumerated() where area.contains(point) {
            return (index, area.project(point))
        }
        return nil
    }

    static func area(of code: String) -> MapArea? { areas.first { $0.codes.contains(code) } }

    /// The SVG path of a département in its area, nil when it is not on the map.
    static func path(_ shape: DepartementShape) -> String? {
        guard let area = area(of: shape.code) else { return nil }
        var d: [UInt8] = []
        // The ring's points as written (to one decimal), each written once when repeated.
        var written: [(x: Int64, y: Int64)] = []
        for polygon in shape.polygons {
            for ring in polygon {
                written.removeAll(keepingCapacity: true)
                for point in ring {
                    let position = area.project(point)
                    let pair = (x: SVG.scaled(position.x, decimals: 1), y: SVG.scaled(position.y, decimals: 1))
                    if written.last.map({ $0 != pair }) ?? true { written.append(pair) }
                }
                guard written.count >= 3 else { continue }
                for (index, pair) in written.enumerated() {
                    d.append(UInt8(ascii: index == 0 ? "M" : index == 1 ? "L" : " "))
                    SVG.append(pair.x, decimals: 1, to: &d)
                    d.append(UInt8(ascii: ","))
                    SVG.append(pair.y, decimals: 1, to: &d)
                }
                d.append(UInt8(ascii: "Z"))
            }
        }
        return String(decoding: d, as: UTF8.self)
    }

    /// The drawn outlines (they depend on nothing but the table: made once).
    static let paths: [(shape: DepartementShape, d: String)] = shapes.compactMap { shape in path(shape).map { (shape, $0) } }

    /// The classes of the colour scale: quintiles of the counts drawn (their upper bounds), so that
    /// every shade is used whatever the spread of the counts.
    struct ColourScale {
        let bounds: [Int]

        init(_ counts: some Collection<Int>) {
            let sorted = counts.filter { $0 > 0 }.sorted()
            bounds = sorted.isEmpty ? [] : (1..<FranceMap.palette.count - 1).map { sorted[(sorted.count * $0 - 1) / (FranceMap.palette.count - 1)] }
        }

        /// 0 for nothing, else 1 to the last colour.
        func level(_ value: Int) -> Int {
            guard value > 0 else { return 0 }
            return 1 + bounds.filter { value > $0 }.count
        }
    }

    static let palette = ["#eef1f5", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]

    /// The map as SVG: outlines, then the tally's marks (each `class="mark"` with `data-count`),
    /// inset titles and a legend.
    public static func svg(_ tally: MapTally, language: ReportLanguage) -> String {
        var svg = "<svg class=\"map\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" width=\"\(SVG.number(width))\" "
            + "height=\"\(SVG.number(height))\" role=\"img\" data-mode=\"\(tally.mode.rawValue)\" "
            + "data-marks=\"\(tally.markCount)\" data-mapped=\"\(tally.mapped)\" data-unmapped=\"\(tally.unmapped)\">"
        for area in areas.dropFirst() {
            svg += "<rect class=\"inset\" x=\"\(SVG.number(area.box.x))\" y=\"\(SVG.number(area.box.y - 12))\" "
                + "width=\"\(SVG.number(area.box.width))\" height=\"\(SVG.number(area.box.height + 14))\"/>"
            svg += "<text class=\"inset-title\" x=\"\(SVG.number(area.box.x + 3))\" y=\"\(SVG.number(area.box.y - 2))\">"
                + HTML.escape(area.title ?? "") + "</text>"
        }
        let counts = tally.mode == .departements ? tally.departements : [:]
        let scale = ColourScale(tally.mode == .cells ? Array(tally.cells.values) : Array(counts.values))
        for (shape, d) in paths {
            let count = counts[shape.code] ?? 0
            let label = shape.code + " " + shape.name + (tally.mode == .departements ? ": " + language.count(count) : "")
            if count > 0 {
                svg += "<path class=\"dep mark\" data-code=\"\(HTML.escape(shape.code))\" data-count=\"\(count)\" "
                    + "fill=\"\(palette[scale.level(count)])\" d=\"\(d)\"><title>\(HTML.escape(label))</title></path>"
            } else {
                svg += "<path class=\"dep\" data-code=\"\(HTML.escape(shape.code))\" d=\"\(d)\"><title>\(HTML.escape(label))</title></path>"
            }
        }
        switch tally.mode {
        case .departements:
            break
        case .points:
            for position in tally.pointPositions {
                svg += "<circle class=\"mark\" data-count=\"1\" cx=\"\(SVG.number(position.x))\" cy=\"\(SVG.number(position.y))\" r=\"1.6\"/>"
            }
        case .cells:
            for (cell, count) in tally.cells.sorted(by: { ($0.key.y, $0.key.x) < ($1.key.y, $1.key.x) }) {
                svg += "<rect class=\"mark cell\" data-count=\"\(count)\" x=\"\(SVG.number(Double(cell.x) * MapTally.cellSize))\" "
                    + "y=\"\(SVG.number(Double(cell.y) * MapTally.cellSize))\" width=\"\(SVG.number(MapTally.cellSize))\" "
                    + "height=\"\(SVG.number(MapTally.cellSize))\" fill=\"\(palette[scale.level(count)])\">"
                    + "<title>\(HTML.escape(language.count(count)))</title></rect>"
            }
        }
        svg += legend(tally, scale: scale, language: language)
        return svg + "</svg>"
    }

    static func legend(_ tally: MapTally, scale: ColourScale, language: ReportLanguage) -> String {
        let caption: ReportText = switch tally.mode {
        case .departements: .mapDepartements
        case .points: .mapPoints
        case .cells: .mapCells
        }
        var svg = "<text class=\"legend\" x=\"8\" y=\"\(SVG.number(height - 10))\">" + HTML.escape(caption.text(language)) + "</text>"
        guard tally.mode != .points, !scale.bounds.isEmpty else { return svg }
        for (index, colour) in palette.enumerated().dropFirst() {
            let x = 8 + Double(index - 1) * 74
            let label = index <= scale.bounds.count ? "≤ " + language.count(scale.bounds[index - 1])
                : "> " + language.count(scale.bounds.last ?? 0)
            svg += "<rect class=\"legend-swatch\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(height - 40))\" width=\"16\" height=\"10\" "
                + "fill=\"\(colour)\"/><text class=\"legend\" x=\"\(SVG.number(x + 19))\" y=\"\(SVG.number(height - 31))\">"
                + HTML.escape(label) + "</text>"
        }
        return svg
    }
}

/// What the map of a niche shows, tallied row by row in bounded memory: the establishments per
/// département; or, when the rows have coordinates, a dot per establishment up to `pointLimit`,
/// beyond which the dots become density cells (`cellSize` map units square).
public struct MapTally: Sendable {
    public enum Mode: String, Sendable {
        /// A choropleth: each département with establishments is a mark.
        case departements
        /// A dot per establishment.
        case points
        /// A square per cell holding establishments.
        case cells
    }

    public struct Cell: Hashable, Sendable {
        public let x: Int
        public let y: Int
    }

    /// The most dots drawn; past it, density cells.
    public static let pointLimit = 5000
    /// The side of a density cell, in map units.
    public static let cellSize = 6.0

    /// Whether establishments are placed by their coordinates (else by their département).
    public let usesCoordinates: Bool
    public private(set) var departements: [String: Int] = [:]
    private(set) var pointPositions: [MapPosition] = []
    private(set) var cells: [Cell: Int] = [:]
    /// Establishments that could not be placed.
    public private(set) var unmapped = 0

    public init(usesCoordinates: Bool) {
        self.usesCoordinates = usesCoordinates
    }

    public var mode: Mode {
        if !usesCoordinates { return .departements }
        return cells.isEmpty ? .points : .cells
    }

    /// The number of marks drawn.
    public var markCount: Int {
        switch mode {
        case .departements: departements.count
        case .points: pointPositions.count
        case .cells: cells.count
        }
    }

    /// Establishments placed on the map.
    public var mapped: Int {
        switch mode {
        case .departements: departements.values.reduce(0, +)
        case .points: pointPositions.count
        case .cells: cells.values.reduce(0, +)
        }
    }

    /// Adds an establishment of `departement` (a code) at `point` (when known).
    public mutating func add(departement: String?, point: GeoPoint?) {
        if usesCoordinates {
            guard let point, let placed = FranceMap.position(of: point) else {
                unmapped += 1
                return
            }
            if cells.isEmpty && pointPositions.count < Self.pointLimit {
                pointPositions.append(placed.position)
                return
            }
            if cells.isEmpty {
                for position in pointPositions { cells[Self.cell(position), default: 0] += 1 }
                pointPositions = []
            }
            cells[Self.cell(placed.position), default: 0] += 1
        } else {
            guard let departement, FranceMap.names[departement] != nil else {
                unmapped += 1
                return
            }
            departements[departement, default: 0] += 1
        }
    }

    /// Adds `count` establishments of `departement` (a code; nil: none known), placed by
    /// département (a tally that does not use coordinates).
    public mutating func add(departement: String?, count: Int) {
        precondition(!usesCoordinates, "a tally by coordinates places each establishment")
        guard count > 0 else { return }
        guard let departement, FranceMap.names[departement] != nil else {
            unmapped += count
            return
        }
        departements[departement, default: 0] += count
    }

    static func cell(_ position: MapPosition) -> Cell {
        Cell(x: Int((position.x / cellSize).rounded(.down)), y: Int((position.y / cellSize).rounded(.down)))
    }
}
