import Columns
import Jobs
import NAF
@testable import Pipeline
import Testing

/// `NicheRouter` (a shared scan's NAF stage): each job gets exactly the rows its own NAF filter
/// keeps, whatever the number of distinct values in a batch (its table of codes holds at most
/// 2 048; past that a value is matched at each row) or in the scan (the codes it knows from
/// earlier batches), long values and nulls included.
struct NicheRouterTests {
    static func filter(_ codes: [String]) throws -> NicheFilter {
        let naf = try NAFFilter(include: codes.map { try NAFCode(parsing: $0) }, exclude: [], nomenclature: .rev2)
        let job = JobSpec(niche: "n", filters: JobSpec.Filters(naf: naf, activeOnly: false), profile: .quick)
        let columns = InputColumns(layout: .simplified, columnNames: ["siret", "naf_code"])
        return try NicheFilter(job: job, columns: columns, inputName: "stock.csv")
    }

    @Test(arguments: [50, 5_000])
    func eachJobGetsTheRowsItsOwnFilterKeeps(distinctJunk: Int) throws {
        let jobs = [["43"], ["43.29A", "69.20Z"], ["69"], ["01.11Z"]]
        let filters = try jobs.map(Self.filter)
        // Real codes among values that are no code (more distinct ones than the table holds), nulls and long text.
        var values: [String?] = []
        for row in 0..<30_000 {
            switch row % 6 {
            case 0: values.append(["43.29A", "69.20Z", "43.11Z", "69.10Z", "01.11Z", "47.11F"][row / 6 % 6])
            case 1: values.append("X\(row % distinctJunk)")
            case 2: values.append(nil)
            case 3: values.append("a value longer than seven bytes")
            default: values.append(["4329A", "6920Z", "43.29A"][row % 3])
            }
        }
        // One router for several batches, as a scan's: the codes met in a batch are known in the
        // next (at most `KnownCodes.limit` of them: 5 000 distinct junk values pass it).
        let router = NicheRouter(filters)
        for values in [values, values, values.reversed()] {
            let batch = SourceBatch(rowCount: values.count, columns: [filters[0].nafField: textColumn(values)])
            let routes = router.route(batch)
            // Each job's own NAF test (the layout's: simplified inputs may drop the dot), row by row.
            for (job, filter) in filters.enumerated() {
                let expected = values.indices.filter { row in
                    values[row].map { value in Array(value.utf8).withUnsafeBytes { filter.naf.matches($0) } } ?? false
                }
                #expect(routes[job] == expected, "job \(job): \(routes[job].count) rows routed, \(expected.count) expected")
            }
            #expect(!routes[1].isEmpty && !routes[3].isEmpty)
        }
    }

    /// `KeyIndex.find`: a key's position once held (across the table's growth), nil for one never
    /// given, and the table unchanged by looking.
    @Test func findingAKeyNeitherAddsNorMovesIt() {
        var index = KeyIndex()
        #expect(index.find(42) == nil)
        for key in 0..<1_000 { _ = index.position(of: UInt64(key) &* 0x9E37_79B9) }
        #expect(index.count == 1_000)
        for key in [0, 1, 17, 999] { #expect(index.find(UInt64(key) &* 0x9E37_79B9) == key) }
        #expect(index.find(1_000 &* 0x9E37_79B9) == nil)
        #expect(index.count == 1_000)
    }
}
