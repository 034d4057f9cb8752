import INSEECodes
import Testing
@testable import Report

@Suite struct MapTests {
    @Test func theOutlinesHoldEveryDepartementOfTheMap() {
        let codes = Set(FranceMap.shapes.map(\.code))
        #expect(codes.count == 101)
        #expect(codes.contains("2A") && codes.contains("2B") && codes.contains("976") && !codes.contains("20"))
        #expect(FranceMap.name(of: "75") == "Paris")
        #expect(FranceMap.name(of: "975") == nil)
        #expect(FranceMap.areas.count == 6)
    }

    @Test func theTableIsReadPolygonByRingByPoint() throws {
        let header = "code\tname\tpolygons\n"
        let text = header
            + "971\tGuadeloupe\t-61500,16200 -61400,16300 -61300,16100;1,2 3,4|-61000,16000 bad -60900,16100 1,2,3 -60800,16000 +5,x\n"
            + "\n"
            + "2A\tCorse-du-Sud\t8700,41900 9000,42000 9100,41500\n"
        let shapes = try FranceMap.parse(text)
        #expect(shapes.map(\.code) == ["971", "2A"])
        #expect(shapes.map(\.name) == ["Guadeloupe", "Corse-du-Sud"])
        // Two polygons of one ring each: the ring of two points and the malformed points are dropped.
        let guadeloupe = shapes[0].polygons
        #expect(guadeloupe.map(\.count) == [1, 1])
        #expect(guadeloupe[0][0] == [GeoPoint(longitude: -61.5, latitude: 16.2), GeoPoint(longitude: -61.4, latitude: 16.3),
                                    GeoPoint(longitude: -61.3, latitude: 16.1)])
        #expect(guadeloupe[1][0].map(\.longitude) == [-61.0, -60.9, -60.8])
        #expect(shapes[1].polygons[0][0][2] == GeoPoint(longitude: 9.1, latitude: 41.5))
        // A line without its three fields, or another header, is a mistake in the table.
        #expect(throws: TSVTableError.self) { try FranceMap.parse(header + "a line without its three fields\n") }
        #expect(throws: TSVTableError.self) { try FranceMap.parse("code\tpolygons\n") }
    }

    @Test func everyOutlinePointIsDrawnInsideItsArea() {
        for shape in FranceMap.shapes {
            let area = try! #require(FranceMap.area(of: shape.code))
            for point in shape.polygons.flatMap({ $0.flatMap { $0 } }) {
                let position = area.project(point)
                #expect(position.x >= area.box.x - 0.5 && position.x <= area.box.x + area.box.width + 0.5, "\(shape.code)")
                #expect(position.y >= area.box.y - 0.5 && position.y <= area.box.y + area.box.height + 0.5, "\(shape.code)")
            }
        }
    }

    @Test func placesPointsInTheRightArea() {
        let paris = try! #require(FranceMap.position(of: GeoPoint(longitude: 2.35, latitude: 48.86)))
        let marseille = try! #require(FranceMap.position(of: GeoPoint(longitude: 5.37, latitude: 43.30)))
        #expect(paris.area == 0 && marseille.area == 0)
        #expect(paris.position.y < marseille.position.y && paris.position.x < marseille.position.x)
        let reunion = try! #require(FranceMap.position(of: GeoPoint(longitude: 55.45, latitude: -20.9)))
        #expect(FranceMap.areas[reunion.area].codes == ["974"])
        #expect(FranceMap.position(of: GeoPoint(longitude: -56.2, latitude: 46.8)) == nil) // Saint-Pierre: not drawn
        #expect(FranceMap.position(of: GeoPoint(longitude: 0, latitude: 0)) == nil)
    }

    @Test func choroplethHasAMarkPerDepartementWithEstablishments() {
        var tally = MapTally(usesCoordinates: false)
        for code in ["75", "75", "13", "2A", "971", "975", nil, "XX"] { tally.add(departement: code, point: nil) }
        #expect(tally.mode == .departements)
        #expect(tally.markCount == 4 && tally.mapped == 5 && tally.unmapped == 3)
        let svg = FranceMap.svg(tally, language: .fr)
        #expect(occurrences(of: "class=\"dep mark\"", in: svg) == 4)
        #expect(attributeValues("data-count", in: svg).reduce(0, +) == 5)
        #expect(svg.contains("data-marks=\"4\"") && svg.contains("data-unmapped=\"3\""))
    }

    @Test func pointsBecomeDensityCellsPastTheLimit() {
        var tally = MapTally(usesCoordinates: true)
        for index in 0..<MapTally.pointLimit {
            tally.add(departement: "75", point: GeoPoint(longitude: 2 + Double(index % 100) * 0.01, latitude: 48.5 + Double(index / 100) * 0.01))
        }
        tally.add(departement: "75", point: nil)
        #expect(tally.mode == .points && tally.markCount == MapTally.pointLimit && tally.unmapped == 1)
        let points = FranceMap.svg(tally, language: .en)
        #expect(occurrences(of: "<circle class=\"mark\"", in: points) == MapTally.pointLimit)

        tally.add(departement: "13", point: GeoPoint(longitude: 5.37, latitude: 43.3))
        #expect(tally.mode == .cells)
        #expect(tally.mapped == MapTally.pointLimit + 1)
        #expect(tally.markCount < 1000)
        let cells = FranceMap.svg(tally, language: .en)
        #expect(occurrences(of: "class=\"mark cell\"", in: cells) == tally.markCount)
        #expect(Int(attributeValues("data-count", in: cells).reduce(0, +)) == MapTally.pointLimit + 1)
        #expect(!cells.contains("<circle"))
    }
}

@Suite struct ColourScaleTests {
    @Test func quintilesUseEveryShade() {
        let scale = FranceMap.ColourScale(Array(1...100) + [0, 0])
        #expect(scale.bounds == [20, 40, 60, 80])
        #expect([0, 1, 20, 21, 80, 81, 100].map(scale.level) == [0, 1, 1, 2, 4, 5, 5])
        #expect(FranceMap.ColourScale([]).bounds.isEmpty && FranceMap.ColourScale([]).level(3) == 1)
        let single = FranceMap.ColourScale([7])
        #expect(single.level(7) == 1 && single.level(0) == 0)
    }
}
