import CSV
import Foundation
import Geo
import Parquet
@testable import Pipeline
import TestSupport
import Testing

@Suite("SampleStockGenerator")
struct SireneSampleGeneratorTests {
    @Test("the same seed gives the same bytes, another seed other bytes")
    func determinism() throws {
        let directory = try TestDirectory(prefix: "sirene")
        try writeSampleCSV(rows: 3000, seed: 7, batchSize: 1000, to: directory.file("a.csv"))
        try writeSampleCSV(rows: 3000, seed: 7, batchSize: 1000, to: directory.file("b.csv"))
        try writeSampleCSV(rows: 3000, seed: 8, batchSize: 1000, to: directory.file("c.csv"))
        let a = try #require(FileManager.default.contents(atPath: directory.file("a.csv")))
        let b = try #require(FileManager.default.contents(atPath: directory.file("b.csv")))
        let c = try #require(FileManager.default.contents(atPath: directory.file("c.csv")))
        #expect(a.count > 100_000)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("batch sizes do not change the rows")
    func batchSizeIndependence() throws {
        func allBatches(_ size: Int) -> [ColumnBatch] {
            var generator = SampleStockGenerator(seed: 99, rows: 1000)
            var batches: [ColumnBatch] = []
            while let batch = generator.nextBatch(maxRows: size) { batches.append(batch) }
            return batches
        }
        let whole = allBatches(5000)
        #expect(whole.count == 1)
        #expect(whole.first?.rowCount == 1000)
        let directory = try TestDirectory(prefix: "sirene")
        for size in [1000, 333, 1] {
            let path = directory.file("batches-\(size).csv")
            var generator = SampleStockGenerator(seed: 99, rows: 1000)
            let output = try ColumnBatchCSVWriter(path: path, schema: SireneSchema.stockEtablissement)
            var batches = 0
            while let batch = generator.nextBatch(maxRows: size) {
                #expect(batch.rowCount <= size)
                try output.write(batch)
                batches += 1
            }
            try output.close()
            #expect(batches == (1000 + size - 1) / size)
        }
        let reference = FileManager.default.contents(atPath: directory.file("batches-1000.csv"))
        #expect(reference != nil)
        #expect(FileManager.default.contents(atPath: directory.file("batches-333.csv")) == reference)
        #expect(FileManager.default.contents(atPath: directory.file("batches-1.csv")) == reference)
    }

    @Test("batches are columnar and typed as the schema says")
    func columnarBatches() throws {
        var generator = SampleStockGenerator(seed: 1, rows: 500)
        let first = generator.nextBatch(maxRows: 500)
        let batch = try #require(first)
        let second = generator.nextBatch(maxRows: 500)
        #expect(second == nil)
        #expect(generator.isFinished)
        #expect(batch.schema == SireneSchema.stockEtablissement)
        #expect(batch.columns.count == 54)
        for (column, values) in zip(batch.schema, batch.columns) {
            let storedAs: String = switch values.storage {
            case .byteArray: "string"
            case .int32: "date"
            case .int64: column.type == .timestampMicros ? "timestampMicros" : "int64"
            case .boolean: "boolean"
            default: "other"
            }
            #expect(storedAs == column.type.rawValue, "\(column.name)")
            #expect(values.count == 500, "\(column.name)")
        }
        guard case let .byteArray(sirets)? = batch.column(named: "siret")?.storage else {
            Issue.record("siret is not a string column")
            return
        }
        #expect(sirets.offsets.count == 501)
        #expect(sirets.bytes.count == 500 * 14)
        guard let creationColumn = batch.column(named: "dateCreationEtablissement"),
              case let .int32(creation) = creationColumn.storage else {
            Issue.record("dateCreationEtablissement is not a date column")
            return
        }
        let earliest = Int32(CivilCalendar.days(year: 1950, month: 1, day: 1))
        let latest = Int32(CivilCalendar.days(year: 2026, month: 7, day: 31))
        #expect((0..<500).filter { !creationColumn.isNull($0) }.map { creation[$0] }.allSatisfy { $0 >= earliest && $0 <= latest })
    }

    @Test("zero rows: no batch")
    func zeroRows() {
        var generator = SampleStockGenerator(seed: 1, rows: 0)
        let batch = generator.nextBatch(maxRows: 10)
        #expect(batch == nil)
    }
}

@Suite("SampleStockGenerator values")
struct SireneSampleValueTests {
    static let sample = Result { try SampleRows(rows: 5000, seed: 2026) }

    @Test("header and row width match the schema")
    func shape() throws {
        let sample = try Self.sample.get()
        #expect(sample.header == SireneSchema.stockEtablissement.map(\.name))
        #expect(sample.rows.count == 5000)
        #expect(sample.rows.allSatisfy { $0.count == 54 })
    }

    @Test("SIREN and SIRET are Luhn-valid, NIC has 5 digits, SIRET is unique and = SIREN + NIC")
    func identifiers() throws {
        let sample = try Self.sample.get()
        var sirets = Set<String>()
        for row in sample.rows {
            let siren = sample.value(row, "siren"), nic = sample.value(row, "nic"), siret = sample.value(row, "siret")
            #expect(isDigits(siren, count: 9) && SireneIdentifier.isLuhnValid(siren.utf8), "\(siren)")
            #expect(isDigits(nic, count: 5), "\(nic)")
            #expect(siret == siren + nic)
            #expect(SireneIdentifier.isLuhnValid(siret.utf8), "\(siret)")
            sirets.insert(siret)
        }
        #expect(sirets.count == sample.rows.count)
        #expect(sample.values("nic").contains { $0.hasPrefix("000") })
        #expect(!SireneIdentifier.isLuhnValid("123456789".utf8))
        #expect(SireneIdentifier.isLuhnValid("732829320".utf8))
    }

    @Test("dates, timestamps, booleans and integers use INSEE's text forms")
    func formats() throws {
        let sample = try Self.sample.get()
        for row in sample.rows {
            for column in ["dateCreationEtablissement", "dateDebut"] {
                let value = sample.value(row, column)
                #expect(value.isEmpty || isISODate(value), "\(column) \(value)")
            }
            let processed = sample.value(row, "dateDernierTraitementEtablissement")
            #expect(processed.isEmpty || isISOTimestamp(processed), "\(processed)")
            #expect(["true", "false"].contains(sample.value(row, "etablissementSiege")))
            let periods = sample.value(row, "nombrePeriodesEtablissement")
            #expect(Int(periods).map { $0 >= 1 } == true)
            let creation = sample.value(row, "dateCreationEtablissement"), start = sample.value(row, "dateDebut")
            #expect(creation.isEmpty || creation >= "1950-01-01")
            #expect(start <= "2026-07-31")
            if !creation.isEmpty { #expect(start >= creation) }
            let year = sample.value(row, "anneeEffectifsEtablissement")
            #expect(year.isEmpty || (Int(year).map { (2015...2026).contains($0) } == true))
        }
        // Nulls exist where the real file has them.
        #expect(sample.values("dateCreationEtablissement").contains(""))
        #expect(sample.values("trancheEffectifsEtablissement").filter(\.isEmpty).count > 2500)
    }

    @Test("[ND] appears only on P rows, and every P row masks its postal code")
    func notDiffused() throws {
        let sample = try Self.sample.get()
        var partialRows = 0
        for row in sample.rows {
            let partial = sample.value(row, "statutDiffusionEtablissement") == "P"
            #expect(["O", "P"].contains(sample.value(row, "statutDiffusionEtablissement")))
            if partial {
                partialRows += 1
                let foreign = !sample.value(row, "codePaysEtrangerEtablissement").isEmpty
                #expect(foreign || sample.value(row, "codePostalEtablissement") == "[ND]")
                #expect(foreign || sample.value(row, "coordonneeLambertAbscisseEtablissement") == "[ND]")
                #expect(!sample.value(row, "siret").isEmpty)
            } else {
                #expect(!row.contains("[ND]"))
            }
        }
        let share = Double(partialRows) / Double(sample.rows.count)
        #expect(share > 0.03 && share < 0.12, "P share \(share)")
    }

    @Test("Lambert coordinates are real points of the commune's département, in its projection")
    func lambertCoordinates() throws {
        let sample = try Self.sample.get()
        let converter = WGS84Converter()
        var converted: [Int32: Int] = [:]
        var withoutCoordinates = 0
        for row in sample.rows {
            let x = sample.value(row, "coordonneeLambertAbscisseEtablissement")
            let y = sample.value(row, "coordonneeLambertOrdonneeEtablissement")
            #expect(x.isEmpty == y.isEmpty && (x == "[ND]") == (y == "[ND]"))
            guard !x.isEmpty, x != "[ND]" else {
                withoutCoordinates += 1
                continue
            }
            let commune = sample.value(row, "codeCommuneEtablissement")
            let geography = try #require(DepartementGeography.find(department(ofCommune: commune)), "commune \(commune) has coordinates")
            // One decimal, like the other generated coordinates.
            #expect(x.split(separator: ".").last?.count == 1 && y.split(separator: ".").last?.count == 1, "\(x) \(y)")
            let point = try converter.convert(geography.projection, easting: try #require(Double(x)), northing: try #require(Double(y)))
            #expect(point.map(geography.bounds.contains) == true, "\(commune): \(x) \(y) -> \(String(describing: point))")
            converted[geography.projection.epsg, default: 0] += 1
        }
        // About 70% of the diffusible rows in France; Lambert-93 and overseas projections both appear.
        let share = Double(converted.values.reduce(0, +)) / Double(sample.rows.count)
        #expect(share > 0.55 && share < 0.75, "share with coordinates \(share)")
        #expect(converted[2154, default: 0] > 2500)
        #expect(converted.keys.contains { $0 != 2154 })
        #expect(withoutCoordinates > 0)
    }

    @Test("every département has sample points inside its bounds")
    func samplePointsOfEveryDepartement() throws {
        let converter = WGS84Converter()
        for (place, geography) in DepartementGeography.all.enumerated() {
            let values = SampleCoordinates.points[place]
            #expect(values.count >= 6 && values.count % 2 == 0, "\(geography.code)")
            for index in stride(from: 0, to: values.count, by: 2) {
                // The farthest a generated point moves: 100 m on each axis.
                for (dx, dy) in [(-100, -100), (100, 100), (-100, 100), (100, -100)] {
                    let point = try converter.convert(geography.projection, easting: Double(Int(values[index]) + dx),
                                                      northing: Double(Int(values[index + 1]) + dy))
                    #expect(point.map(geography.bounds.contains) == true, "\(geography.code) point \(index / 2)")
                }
            }
        }
    }

    @Test("NAF codes match their nomenclature; NAF 2025 codes on active rows")
    func nafCodes() throws {
        let sample = try Self.sample.get()
        var counts: [String: Int] = [:]
        var activeRows = 0, activeWithNAF25 = 0, nomenclatures = Set<String>()
        for row in sample.rows {
            let code = sample.value(row, "activitePrincipaleEtablissement")
            let nomenclature = sample.value(row, "nomenclatureActivitePrincipaleEtablissement")
            nomenclatures.insert(nomenclature)
            #expect(isNAFCode(code, nomenclature: nomenclature), "\(code) \(nomenclature)")
            counts[code, default: 0] += 1
            let naf25 = sample.value(row, "activitePrincipaleNAF25Etablissement")
            if !naf25.isEmpty {
                #expect(nomenclature == "NAFRev2")
                #expect(isNAFCode(naf25, nomenclature: "NAF2025"), "\(naf25)")
                #expect(naf25.prefix(5) == code.prefix(5))
            }
            if sample.value(row, "etatAdministratifEtablissement") == "A" {
                activeRows += 1
                if !naf25.isEmpty { activeWithNAF25 += 1 }
                #expect(nomenclature == "NAFRev2")
            }
        }
        #expect(nomenclatures.isSuperset(of: ["NAFRev2", "NAFRev1", "NAP"]))
        #expect(Double(activeWithNAF25) / Double(activeRows) > 0.99)
        for code in ["69.20Z", "43.29A", "47.11F", "62.01Z", "56.10A"] {
            #expect(counts[code, default: 0] >= 10, "\(code): \(counts[code, default: 0])")
        }
        #expect(counts.keys.filter { $0.hasPrefix("43.") }.count >= 8)
        #expect(counts.count > 150)
        // Long-tailed: the most frequent code holds a few percent, not most rows.
        let top = counts.values.max() ?? 0
        #expect(top > 100 && top < 600)
    }

    @Test("shares of active rows and sièges, one siège per SIREN at most")
    func shares() throws {
        let sample = try Self.sample.get()
        let active = sample.values("etatAdministratifEtablissement").filter { $0 == "A" }.count
        #expect(sample.values("etatAdministratifEtablissement").allSatisfy { $0 == "A" || $0 == "F" })
        let activeShare = Double(active) / 5000
        #expect(activeShare > 0.33 && activeShare < 0.43, "active \(activeShare)")
        var siegesBySiren: [String: Int] = [:]
        for row in sample.rows where sample.value(row, "etablissementSiege") == "true" {
            siegesBySiren[sample.value(row, "siren"), default: 0] += 1
        }
        #expect(siegesBySiren.values.allSatisfy { $0 == 1 })
        let siegeShare = Double(siegesBySiren.count) / 5000
        #expect(siegeShare > 0.58 && siegeShare < 0.72, "siège \(siegeShare)")
        let tranches = Set(sample.values("trancheEffectifsEtablissement"))
        let known: Set<String> = ["", "NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"]
        #expect(tranches.isSubset(of: known))
        #expect(tranches.contains("NN"))
    }

    @Test("the département is derivable from the commune and agrees with the postal code")
    func departments() throws {
        let sample = try Self.sample.get()
        var seen = Set<String>()
        for row in sample.rows {
            let commune = sample.value(row, "codeCommuneEtablissement")
            let postal = sample.value(row, "codePostalEtablissement")
            if commune.isEmpty {
                #expect(!sample.value(row, "codePaysEtrangerEtablissement").isEmpty)
                continue
            }
            #expect(commune.utf8.count == 5)
            let department = department(ofCommune: commune)
            seen.insert(department)
            guard postal != "[ND]", !postal.isEmpty else { continue }
            #expect(isDigits(postal, count: 5), "\(postal)")
            if department == "2A" || department == "2B" {
                #expect(postal.hasPrefix("20"))
            } else if department == "977" || department == "978" {
                #expect(postal.hasPrefix("971"))
            } else {
                #expect(postal.hasPrefix(department), "\(commune) \(postal)")
            }
        }
        #expect(seen.contains("2A") || seen.contains("2B"))
        #expect(seen.contains { $0.hasPrefix("97") })
        #expect(seen.contains { $0.count == 2 && $0 != "2A" && $0 != "2B" })
    }

    @Test("some values need CSV quoting, some are accented UTF-8")
    func awkwardValues() throws {
        let sample = try Self.sample.get()
        let all = sample.rows.joined()
        #expect(all.contains { $0.contains(",") })
        #expect(all.contains { $0.contains("\"") })
        #expect(all.contains { $0.utf8.contains { $0 >= 0x80 } })
        #expect(!all.contains { $0.contains("\u{FFFD}") })
    }
}
