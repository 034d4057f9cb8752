import Jobs
import Testing

/// A job's NAF codes must exist in its nomenclature (NAF rév. 2 unless `naf_nomenclature` says
/// NAF2025, whose table this build does not ship: those are checked for their form only).
@Suite struct JobNAFExistenceTests {
    func error(_ yaml: String) -> String? {
        do {
            _ = try JobSpec(yaml: yaml, source: "jobs/x.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func unknownCodesAreRefusedWithTheNearestRealOnes() {
        #expect(error("niche: n\nfilters:\n  naf_include: [\"6920Z\", \"6920A\"]\nprofile: quick\n")
            == "jobs/x.yaml: field 'filters.naf_include[1]': \"6920A\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables")
        #expect(error("niche: n\nfilters:\n  naf_include: [\"69\"]\n  naf_exclude: [\"6999Z\"]\nprofile: quick\n")
            == "jobs/x.yaml: field 'filters.naf_exclude[0]': \"6999Z\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables, 69.10Z Activités juridiques")
        #expect(error("niche: n\nfilters:\n  naf_include: [\"69.21\"]\nprofile: quick\n")?.contains("nearest: 69.20 Activités comptables") == true)
    }

    @Test func codesWithoutALetterAreLookedUpInTheJobsNomenclature() {
        // 69.21 is no rév. 2 class; under NAF2025 (no table in this build) only its form is checked.
        #expect(error("niche: n\nfilters:\n  naf_include: [\"69.21\"]\n  naf_nomenclature: NAF2025\nprofile: quick\n") == nil)
        #expect(error("niche: n\nfilters:\n  naf_include: [\"69.20\"]\nprofile: quick\n") == nil)
    }
}
