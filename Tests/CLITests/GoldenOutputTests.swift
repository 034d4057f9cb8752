import Foundation
import TestSupport
import Testing

/// The datasets of fixed jobs on fixed sample data, byte for byte: `dataset.csv`'s SHA-256 and
/// the SHA-256 of `dataset.parquet`'s values (converted to CSV by `builder convert`). A change
/// to the pipeline that is meant to keep today's outputs must keep these; one that changes them
/// on purpose updates them in the same commit and says why.
@Suite(.serialized) struct GoldenOutputTests {
    /// 2026-05-28: freshness and date checks depend on the reference day.
    static let referenceEpoch = "1780000000"

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let job: String
        var arguments: [String] = []
        let rows: Int
        /// SHA-256 of dataset.csv, which also is that of dataset.parquet's values as CSV.
        let csv: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "6920Z, defaults", input: "stock.parquet", job: """
            niche: naf_6920Z
            filters: {naf_include: ["6920Z"]}
            profile: quick
            """,
             rows: 246,
             csv: "55ae3ac0c158755b20a2c44aecf8ed191e4dcf9574dfd47dabcbcbda3a7af904"),
        Case(name: "division 43, closed ones too, dedupe by siren", input: "stock.parquet", job: """
            niche: naf_43
            filters: {naf_include: ["43"], active_only: false}
            profile: quick
            dedupe: {keys: [siren]}
            """,
             rows: 3412,
             csv: "99694a096236054596c12f77f734bfd960775b6b0fb55923fcea77deb0188c17"),
        Case(name: "47 in three regions, fuzzy dedupe, own weights", input: "stock.parquet", job: """
            niche: naf_47
            filters: {naf_include: ["47"], naf_exclude: ["47.11"], regions: ["75", "2A", "971", "13"]}
            profile: quick
            dedupe: {keys: [denomination, code_postal], fuzzy: true}
            scoring: {weights: {completeness: 3, freshness: 1, contactability: 2}}
            """,
             rows: 204,
             csv: "3ff843ebd50e64c0e0badd19d9302ab3a904b6e9a5500fa9c9717cbd69bc405c"),
        Case(name: "NAF 2025 division", input: "stock.parquet", job: """
            niche: naf_62_2025
            filters: {naf_include: ["62"], naf_nomenclature: NAF2025}
            profile: quick
            """,
             rows: 397,
             csv: "af16f7a8c2fbaf18b7fd1762ff8906ea32f7e08ceb997e25f2d532bf9db7d65c"),
        Case(name: "CSV stock, two codes, sample", input: "stock.csv", job: """
            niche: naf_mix
            filters: {naf_include: ["43.29A", "6920Z", "56"]}
            profile: quick
            """, arguments: ["--sample", "700"],
             rows: 700,
             csv: "080e8aa3f79b78a39f9240339fa510caef57312c31f214b06733ae446a6bc297"),
        Case(name: "simplified columns", input: "simplified.csv", job: """
            niche: naf_56
            filters: {naf_include: ["56"], active_only: false}
            profile: quick
            dedupe: {keys: [siren]}
            """,
             rows: 1731,
             csv: "83334d26895441ec080de98ee6bb33a59318b8c5fa13e94082cdcab5dcc51f18"),
    ]

    /// Sample stock (Parquet and the same rows as CSV) and a simplified-columns CSV, made once.
    static let workspace: Result<TestDirectory, Error> = Result {
        let directory = try TestDirectory(prefix: "golden")
        let made = try directory.run(["sample-data", "--rows", "40000", "--seed", "7", "--out", "stock.parquet"])
        guard made.status == 0 else { throw GoldenError(message: made.stderr) }
        let converted = try directory.run(["convert", "stock.parquet", "stock.csv"])
        guard converted.status == 0 else { throw GoldenError(message: converted.stderr) }
        try directory.write(simplifiedStock(rows: 3000), to: "simplified.csv")
        return directory
    }

    struct GoldenError: Error { let message: String }

    /// A deterministic simplified-columns stock (`siren, naf_code, denomination, ...`),
    /// with duplicates, blanks, contacts and bad values.
    static func simplifiedStock(rows: Int) -> String {
        var random = SplitMix64(seed: 11)
        let codes = ["56.10A", "56.10C", "5630Z", "56.21Z", "43.29A", "6920Z", ""]
        let names = ["Café du Port", "CAFE DU PORT", "Le Bistrot", "", "Boulangerie \"Chez Paul\"", "Pizzeria, Napoli"]
        let cities = ["PARIS", "LYON", "AJACCIO", "", "Saint-Denis"]
        var lines = ["siren,naf_code,denomination,adresse,code_postal,ville,telephone,site_web,email,effectif,date_creation,etat_administratif"]
        func pick(_ values: [String]) -> String { values[Int(random.next() % UInt64(values.count))] }
        func quoted(_ text: String) -> String {
            text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        for _ in 0..<rows {
            let siren = String(format: "%09llu", random.next() % 1_000_000 + 100_000_000)
            let postal = pick(["75011", "69002", "20000", "97400", "1300", "", "75001"])
            let phone = random.next() % 3 == 0 ? "01 23 45 67 89" : ""
            let site = random.next() % 4 == 0 ? "https://example.fr" : ""
            let email = random.next() % 5 == 0 ? "contact@example.fr" : ""
            let band = pick(["NN", "00", "01", "11", "", "53"])
            let date = pick(["2019-03-01", "1999-12-31", "2031-01-01", "not a date", "", "2024-02-29"])
            let state = pick(["A", "A", "A", "F", ""])
            lines.append([siren, pick(codes), quoted(pick(names)), quoted(pick(["12 rue de la Paix", "", "BP 12"])), postal,
                          pick(cities), phone, site, email, band, date, state].joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    @Test(arguments: cases) func datasetsAreUnchanged(_ golden: Case) throws {
        let workspace = try Self.workspace.get()
        let niche = golden.name.filter { $0.isLetter || $0.isNumber }
        try workspace.write(golden.job, to: "\(niche).yaml")
        let binary = try #require(builderBinaryPath)
        let run = try runProcess("/usr/bin/env", ["SOURCE_DATE_EPOCH=\(Self.referenceEpoch)", binary, "run-profile",
                                                  "--job", "\(niche).yaml", "--input", golden.input, "--out", "out/\(niche)",
                                                  "--workers", "2"] + golden.arguments,
                                 in: workspace.path, timeout: 120)
        try #require(run.status == 0, "\(run.stderr)")
        let converted = try workspace.run(["convert", "out/\(niche)/dataset.parquet", "out/\(niche)/values.csv"])
        try #require(converted.status == 0, "\(converted.stderr)")
        let sums = try runProcess("/usr/bin/sha256sum", ["out/\(niche)/dataset.csv", "out/\(niche)/values.csv"],
                                  in: workspace.path, timeout: 30)
        let hashes = sums.stdout.split(separator: "\n").map { String($0.prefix(64)) }
        try #require(hashes.count == 2)
        let manifest = try jsonObject(workspace.contents("out/\(niche)/manifest.json"))
        #expect(manifest["rows"] as? Int == golden.rows, "rows of \(golden.name): \(manifest["rows"] ?? "")")
        #expect(hashes[0] == golden.csv, "dataset.csv of \(golden.name): \(hashes[0])")
        #expect(hashes[1] == golden.csv, "dataset.parquet values of \(golden.name): \(hashes[1])")
    }
}
