@testable import Pipeline
import Testing

/// Which niches of a batch can share an establishment, decided from their codes before any
/// dataset is read (`BatchReportBuilder.mayOverlap`).
@Suite struct BatchOverlapTests {
    @Test func onlyCodesUnderOneAnotherOrOtherNomenclaturesCanOverlap() {
        let rev2 = { (codes: [String]) in (nomenclature: "NAFRev2", codes: codes) }
        #expect(BatchReportBuilder.mayOverlap(rev2(["43"]), rev2(["4329A"])))
        #expect(BatchReportBuilder.mayOverlap(rev2(["4329A", "6920Z"]), rev2(["69"])))
        #expect(!BatchReportBuilder.mayOverlap(rev2(["01"]), rev2(["02"])))
        #expect(!BatchReportBuilder.mayOverlap(rev2(["4329A"]), rev2(["4329B", "4321A"])))
        #expect(BatchReportBuilder.mayOverlap(rev2(["01"]), (nomenclature: "NAF2025", codes: ["02"])))
        #expect(BatchReportBuilder.mayOverlap(nil, rev2(["02"])))
    }
}
