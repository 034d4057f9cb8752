/// The projected coordinate systems INSEE gives establishments' coordinates in
/// (`coordonneeLambertAbscisseEtablissement` / `coordonneeLambertOrdonneeEtablissement`):
/// Lambert-93 in metropolitan France and Corsica, a UTM zone of the local geodetic system
/// overseas. Eastings and northings are in metres. Which one a département uses is in
/// `DepartementGeography`.
public enum Projection: Int32, CaseIterable, Sendable {
    /// RGF93 v1 / Lambert-93: metropolitan France and Corsica.
    case lambert93 = 2154
    /// RGAF09 / UTM zone 20N: Guadeloupe (971), Martinique (972), Saint-Barthélemy (977), Saint-Martin (978).
    case antillesUTM20N = 5490
    /// RGFG95 / UTM zone 22N: Guyane (973).
    case guyaneUTM22N = 2972
    /// RGR92 / UTM zone 40S: La Réunion (974).
    case reunionUTM40S = 2975
    /// RGSPM06 / UTM zone 21N: Saint-Pierre-et-Miquelon (975).
    case saintPierreUTM21N = 4467
    /// RGM04 / UTM zone 38S: Mayotte (976).
    case mayotteUTM38S = 4471

    /// The EPSG code (`2154`).
    public var epsg: Int32 { rawValue }

    /// Its position in `allCases`, to index per-projection tables.
    public var ordinal: Int {
        switch self {
        case .lambert93: 0
        case .antillesUTM20N: 1
        case .guyaneUTM22N: 2
        case .reunionUTM40S: 3
        case .saintPierreUTM21N: 4
        case .mayotteUTM38S: 5
        }
    }

    /// `EPSG:2154`, as PROJ takes it.
    public var identifier: String { "EPSG:\(rawValue)" }

    /// The name EPSG gives it.
    public var name: String {
        switch self {
        case .lambert93: "RGF93 v1 / Lambert-93"
        case .antillesUTM20N: "RGAF09 / UTM zone 20N"
        case .guyaneUTM22N: "RGFG95 / UTM zone 22N"
        case .reunionUTM40S: "RGR92 / UTM zone 40S"
        case .saintPierreUTM21N: "RGSPM06 / UTM zone 21N"
        case .mayotteUTM38S: "RGM04 / UTM zone 38S"
        }
    }
}

/// A point in WGS84 (EPSG:4326), in decimal degrees.
public struct GeoPoint: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A latitude/longitude box in WGS84 degrees, edges included.
public struct GeoBounds: Sendable, Equatable {
    public let south: Double
    public let west: Double
    public let north: Double
    public let east: Double

    public init(south: Double, west: Double, north: Double, east: Double) {
        self.south = south
        self.west = west
        self.north = north
        self.east = east
    }

    @inline(__always)
    public func contains(latitude: Double, longitude: Double) -> Bool {
        latitude >= south && latitude <= north && longitude >= west && longitude <= east
    }

    public func contains(_ point: GeoPoint) -> Bool { contains(latitude: point.latitude, longitude: point.longitude) }
}

/// PROJ could not set up a conversion: the projection (its EPSG code) and PROJ's reason, both
/// in `message`.
public struct GeoError: Error, Sendable, Equatable, CustomStringConvertible {
    public let epsg: Int32
    public let message: String

    public init(epsg: Int32, message: String) {
        self.epsg = epsg
        self.message = message
    }

    public var description: String { message }
}
