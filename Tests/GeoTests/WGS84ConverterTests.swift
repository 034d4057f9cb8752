import Foundation
import Geo
import Testing

/// Conversions checked against pyproj (3.7.2, PROJ 9.5.1): for a real point of each projection
/// (a commune of the département, eastings and northings with two decimals as INSEE's text
/// could have), `Transformer.from_crs(epsg, 4326, always_xy=True).transform(x, y)`, recorded
/// once here, unrounded.
@Suite("WGS84 conversion")
struct WGS84ConverterTests {
    struct Reference: CustomTestStringConvertible, Sendable {
        let departement: String
        let epsg: Int32
        let easting: Double
        let northing: Double
        let latitude: Double
        let longitude: Double
        var testDescription: String { "\(departement) (EPSG:\(epsg))" }
    }

    static let references: [Reference] = [
        .init(departement: "75", epsg: 2154, easting: 653001.14, northing: 6862820.93,
              latitude: 48.86370448359006, longitude: 2.359365036981574),
        .init(departement: "2A", epsg: 2154, easting: 1180758.94, northing: 6128527.03,
              latitude: 42.09799938496865, longitude: 8.805575419293792),
        .init(departement: "29", epsg: 2154, easting: 172418.24, northing: 6807044.63,
              latitude: 48.15003813690074, longitude: -4.103741023155795),
        .init(departement: "67", epsg: 2154, easting: 1040217.14, northing: 6832786.63,
              latitude: 48.50595272541114, longitude: 7.6083945525778045),
        .init(departement: "06", epsg: 2154, easting: 1044682.04, northing: 6312909.73,
              latitude: 43.830971697115416, longitude: 7.286847822547685),
        .init(departement: "971", epsg: 5490, easting: 652981.64, northing: 1798454.83,
              latitude: 16.26202569343816, longitude: -61.56839811465097),
        .init(departement: "972", epsg: 5490, easting: 702617.74, northing: 1642197.93,
              latitude: 14.846466070747143, longitude: -61.116948381516266),
        .init(departement: "973", epsg: 2972, easting: 353639.64, northing: 544606.83,
              latitude: 4.925797205973191, longitude: -52.32003094981865),
        .init(departement: "974", epsg: 2975, easting: 342999.54, northing: 7653768.23,
              latitude: -21.21083690936508, longitude: 55.487342185278564),
        .init(departement: "975", epsg: 4467, easting: 561069.54, northing: 5181027.53,
              latitude: 46.780000445147245, longitude: -56.19999999053769),
        .init(departement: "976", epsg: 4471, easting: 512166.34, northing: 8594095.73,
              latitude: -12.717556090844703, longitude: 45.112067358448606),
        .init(departement: "977", epsg: 5490, easting: 517689.04, northing: 1979185.23,
              latitude: 17.90050001385617, longitude: -62.83299930744426),
        .init(departement: "978", epsg: 5490, easting: 494920.74, northing: 1998207.43,
              latitude: 18.072500718530762, longitude: -63.04799937923701),
    ]

    /// Metres between two nearby points (equirectangular: exact enough at these distances).
    static func metres(_ point: GeoPoint, latitude: Double, longitude: Double) -> Double {
        let metresPerDegree = 111_319.49
        let north = (point.latitude - latitude) * metresPerDegree
        let east = (point.longitude - longitude) * metresPerDegree * cos(latitude * .pi / 180)
        return (north * north + east * east).squareRoot()
    }

    @Test(arguments: references) func matchesPyprojWithinOneCentimetre(_ reference: Reference) throws {
        let geography = try #require(DepartementGeography.find(reference.departement))
        #expect(geography.projection.epsg == reference.epsg)
        let point = try #require(try WGS84Converter().convert(geography.projection, easting: reference.easting,
                                                               northing: reference.northing))
        let error = Self.metres(point, latitude: reference.latitude, longitude: reference.longitude)
        #expect(error < 0.01, "\(reference.departement): \(point) is \(error) m from pyproj's")
        // In fact the same operations as pyproj: far below a millimetre.
        #expect(abs(point.latitude - reference.latitude) < 1e-9 && abs(point.longitude - reference.longitude) < 1e-9)
        #expect(geography.bounds.contains(point))
    }

    @Test func manyPointsAtOnceGiveWhatOnePointAtATimeGives() throws {
        let converter = WGS84Converter()
        let lambert = Self.references.filter { $0.epsg == 2154 }
        var eastings = lambert.map(\.easting)
        var northings = lambert.map(\.northing)
        try eastings.withUnsafeMutableBufferPointer { (eastings) throws(GeoError) in
            try northings.withUnsafeMutableBufferPointer { (northings) throws(GeoError) in
                try converter.convert(.lambert93, eastings: eastings, northings: northings)
            }
        }
        for (index, reference) in lambert.enumerated() {
            let single = try #require(try converter.convert(.lambert93, easting: reference.easting, northing: reference.northing))
            #expect(northings[index] == single.latitude && eastings[index] == single.longitude)
        }
    }

    @Test func aPointPROJCannotConvertComesBackInfiniteAndSpoilsNothing() throws {
        let converter = WGS84Converter()
        let reunion = try #require(Self.references.first { $0.departement == "974" })
        var eastings = [1e9, reunion.easting]
        var northings = [1e9, reunion.northing]
        try eastings.withUnsafeMutableBufferPointer { (eastings) throws(GeoError) in
            try northings.withUnsafeMutableBufferPointer { (northings) throws(GeoError) in
                try converter.convert(.reunionUTM40S, eastings: eastings, northings: northings)
            }
        }
        #expect(!eastings[0].isFinite && !northings[0].isFinite)
        #expect(abs(northings[1] - reunion.latitude) < 1e-9 && abs(eastings[1] - reunion.longitude) < 1e-9)
        #expect(try converter.convert(.reunionUTM40S, easting: 1e9, northing: 1e9) == nil)
        let again = try #require(try converter.convert(.reunionUTM40S, easting: reunion.easting, northing: reunion.northing))
        #expect(abs(again.latitude - reunion.latitude) < 1e-9)
    }

    @Test func everyProjectionCanBeMade() throws {
        let converter = WGS84Converter()
        for projection in Projection.allCases { try converter.prepare(projection) }
    }

    @Test func threadsSharingAPoolGetTheSameResults() async throws {
        let pool = WGS84ConverterPool()
        let expected = try Self.references.map { reference in
            try WGS84Converter().convert(DepartementGeography.find(reference.departement)!.projection,
                                         easting: reference.easting, northing: reference.northing)
        }
        try await withThrowingTaskGroup(of: [GeoPoint?].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var results: [GeoPoint?] = []
                    for _ in 0..<50 {
                        results = try Self.references.map { reference in
                            try pool.withConverter { (converter) throws(GeoError) in
                                try converter.convert(DepartementGeography.find(reference.departement)!.projection,
                                                      easting: reference.easting, northing: reference.northing)
                            }
                        }
                    }
                    return results
                }
            }
            for try await results in group { #expect(results == expected) }
        }
    }
}

@Suite("Département geography")
struct DepartementGeographyTests {
    @Test func projectionsByDepartement() {
        let expected: [(String, Int32)] = [
            ("01", 2154), ("13", 2154), ("2A", 2154), ("2B", 2154), ("75", 2154), ("95", 2154),
            ("971", 5490), ("972", 5490), ("977", 5490), ("978", 5490), ("973", 2972), ("974", 2975),
            ("975", 4467), ("976", 4471),
        ]
        for (code, epsg) in expected {
            #expect(DepartementGeography.find(code)?.projection.epsg == epsg, "\(code)")
            #expect(DepartementGeography.find(code)?.code == code)
        }
    }

    @Test func everyDepartementOnce() {
        let codes = DepartementGeography.all.map(\.code)
        #expect(codes.count == 104)
        #expect(Set(codes).count == codes.count)
        let metropolitan = (1...95).filter { $0 != 20 }.map { $0 < 10 ? "0\($0)" : "\($0)" } + ["2A", "2B"]
        #expect(Set(codes) == Set(metropolitan + (971...978).map(String.init)))
        for entry in DepartementGeography.all {
            #expect(DepartementGeography.find(entry.code) == entry)
            #expect(entry.bounds.south < entry.bounds.north && entry.bounds.west < entry.bounds.east, "\(entry.code)")
        }
    }

    @Test(arguments: ["", "7", "20", "00", "96", "99", "2C", "2a", "3A", "2A1", "970", "979", "984", "987", "988",
                      "9710", "075", " 75", "75 ", "A2"])
    func notADepartementWithAProjection(_ code: String) {
        #expect(DepartementGeography.find(code) == nil)
    }

    @Test func boundsTellNeighboursApart() throws {
        let paris = try #require(DepartementGeography.find("75"))
        #expect(paris.bounds.contains(latitude: 48.8566, longitude: 2.3522))
        #expect(!paris.bounds.contains(latitude: 48.5, longitude: 2.3522))
        let corsica = try #require(DepartementGeography.find("2A"))
        #expect(!corsica.bounds.contains(latitude: 48.8566, longitude: 2.3522))
        // Ouessant, the westernmost commune, is inside Finistère's box.
        #expect(try #require(DepartementGeography.find("29")).bounds.contains(latitude: 48.46, longitude: -5.09))
        // Réunion and Mayotte are south of the equator.
        #expect(try #require(DepartementGeography.find("974")).bounds.contains(latitude: -21.115, longitude: 55.536))
        #expect(!(try #require(DepartementGeography.find("976")).bounds.contains(latitude: 12.78, longitude: 45.23)))
    }
}
