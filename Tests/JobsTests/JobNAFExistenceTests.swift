import Jobs
import Testing

/// A job's NAF codes must exist in its nomenclature (NAF rév. 2 unless `naf_nomenclature` says
/// NAF2025; a subclass in the one its letter names).
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
        // 62.10 is a NAF 2025 class, no rév. 2 one; 69.21 is a class of neither.
        #expect(error("niche: n\nfilters:\n  naf_include: [\"62.10\"]\n  naf_nomenclature: NAF2025\nprofile: quick\n") == nil)
        #expect(error("niche: n\nfilters:\n  naf_include: [\"62.10\"]\nprofile: quick\n")?.contains("\"62.10\" is not a NAF rév. 2 code") == true)
        #expect(error("niche: n\nfilters:\n  naf_include: [\"69.21\"]\n  naf_nomenclature: NAF2025\nprofile: quick\n")
            == "jobs/x.yaml: field 'filters.naf_include[0]': \"69.21\" is not a NAF 2025 code; nearest: 69.20 Activités de comptabilité, de tenue de comptes et d'audit ; conseil fiscal")
        #expect(error("niche: n\nfilters:\n  naf_include: [\"6920G\"]\n  naf_nomenclature: NAF2025\nprofile: quick\n")?
            .contains("\"6920G\" is not a NAF 2025 code; nearest: 69.20Y") == true)
        #expect(error("niche: n\nfilters:\n  naf_include: [\"69.20\"]\nprofile: quick\n") == nil)
    }
}
