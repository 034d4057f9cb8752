import Basics
import Jobs
import NAF
import Testing

@Suite("Job schema")
struct JobSpecTests {
    static let full = """
        niche: "naf_6920Z"
        filters:
          naf_include: ["6920Z", "43.2"]
          naf_exclude: ["43.22A"]
          active_only: false
          regions: ["75", "92", "2a", "971"]
        profile: "standard"
        output: {dir: "out/naf_6920Z", lang: "en"}
        dedupe: {keys: ["siren", "denomination"], fuzzy: true}
        scoring: {weights: {contactability: 70, freshness: 30.5}}
        kpi_targets: {min_quality_score: 80, max_dup_pct: 1.5}
        budgets: {time_budget_min: 30, ram_mb: 2048}
        retention_days: 30
        http: {timeout: 10, user_agent: "builder"}
        enrich: [sitemap, whois]
        """

    func decode(_ yaml: String) throws(JobSpecError) -> JobSpec {
        try JobSpec(yaml: yaml, source: "jobs/naf_6920Z.yaml")
    }

    func error(_ yaml: String) -> JobSpecError? {
        do {
            _ = try decode(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesEveryField() throws {
        let job = try decode(Self.full)
        #expect(job.niche == "naf_6920Z")
        #expect(job.filters.naf.include.map(\.compact) == ["6920Z", "432"])
        #expect(job.filters.naf.exclude.map(\.compact) == ["4322A"])
        #expect(job.filters.naf.nomenclature == .rev2)
        #expect(job.filters.activeOnly == false)
        #expect(job.filters.regions == [.postalCodePrefix("75"), .postalCodePrefix("92"), .corsicanDepartment("2A"),
                                        .postalCodePrefix("971")])
        #expect(job.profile == .standard)
        #expect(job.output == .init(dir: "out/naf_6920Z", lang: "en"))
        #expect(job.dedupe == .init(keys: ["siren", "denomination"], fuzzy: true))
        #expect(job.scoring.weights == [.init(name: "contactability", value: 70), .init(name: "freshness", value: 30.5)])
        #expect(job.kpiTargets == .init(minQualityScore: 80, maxDupPct: 1.5))
        #expect(job.budgets == .init(timeBudgetMin: 30, ramMB: 2048))
        #expect(job.retentionDays == 30)
        #expect(job.otherSections.keys == ["http", "enrich"])
        #expect(job.otherSections["http"]?["timeout"] == .integer(10))
        #expect(job.otherSections["enrich"] == ["sitemap", "whois"])
        #expect(job.filters.naf.matches(stockValue: "43.21A"))
        #expect(!job.filters.naf.matches(stockValue: "43.22A"))
    }

    @Test func defaults() throws {
        let job = try decode("niche: naf_43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n")
        #expect(job.filters.naf.exclude.isEmpty)
        #expect(job.filters.activeOnly)
        #expect(job.filters.regions.isEmpty)
        #expect(job.filters.naf.nomenclature == .rev2)
        #expect(job.output == .init(dir: nil, lang: "fr"))
        #expect(job.dedupe == .init(keys: ["siret"], fuzzy: false))
        #expect(job.scoring.weights.map(\.name) == ["contactability", "unicity", "completeness", "freshness"])
        #expect(job.scoring.weights.map(\.value) == [50, 20, 20, 10])
        #expect(job.kpiTargets == .init(minQualityScore: nil, maxDupPct: nil))
        #expect(job.budgets == .init(timeBudgetMin: nil, ramMB: nil))
        #expect(job.retentionDays == nil)
        #expect(job.otherSections.isEmpty)
    }

    @Test func timeBudgetAcceptsFractionsOfAMinute() throws {
        let job = try decode("niche: n\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\nbudgets: {time_budget_min: 0.5}\n")
        #expect(job.budgets.timeBudgetMin == 0.5)
    }

    @Test func nullCountsAsAbsent() throws {
        let job = try decode("niche: n\nfilters:\n  naf_include: [\"43\"]\n  naf_exclude:\n  regions: ~\nprofile: quick\noutput:\n")
        #expect(job.filters.naf.exclude.isEmpty)
        #expect(job.output.lang == "fr")
    }

    @Test func naf2025Nomenclature() throws {
        let job = try decode("niche: n\nfilters:\n  naf_include: [\"53.20G\", \"69\"]\n  naf_nomenclature: NAF2025\nprofile: quick\n")
        #expect(job.filters.naf.nomenclature == .naf2025)
        #expect(job.filters.naf.matches(stockValue: "53.20G"))
        #expect(!job.filters.naf.matches(stockValue: "69.20Z"))
        #expect(job.filters.naf.matches(stockValue: "69.20Y"))
    }

    @Test func csvDialects() throws {
        #expect(try decode(Self.base).output.csv == .rfc4180)
        #expect(JobSpec.CSVDialect.rfc4180 == .init(delimiter: UInt8(ascii: ","), byteOrderMark: false))
        #expect(try decode(Self.base + "output: {csv: excel-fr}\n").output.csv == .init(delimiter: UInt8(ascii: ";"), byteOrderMark: true))
        #expect(try decode(Self.base + "output: {csv: rfc4180}\n").output.csv == .rfc4180)
        #expect(try decode(Self.base + "output: {csv: {delimiter: \"\\t\"}}\n").output.csv == .init(delimiter: 0x09, byteOrderMark: false))
        #expect(try decode(Self.base + "output: {csv: {delimiter: \"|\", bom: true}}\n").output.csv == .init(delimiter: 0x7C, byteOrderMark: true))
        #expect(try decode(Self.base + "output: {csv: {bom: true}}\n").output.csv == .init(delimiter: 0x2C, byteOrderMark: true))
        #expect(try decode(Self.base + "output: {csv: {}}\n").output.csv == .rfc4180)
        #expect(try decode(Self.base + "output: {csv: ~}\n").output.csv == .rfc4180)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let yaml: String
        let expected: String
        var testDescription: String { expected }
    }

    static let base = "niche: n\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n"

    @Test(arguments: [
        Bad(yaml: "filters:\n  naf_include: [\"43\"]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'niche': missing (expected a string such as \"naf_6920Z\")"),
        Bad(yaml: "niche: n\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters': missing (expected a mapping with naf_include)"),
        Bad(yaml: "niche: n\nfilters: {}\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_include': missing (expected a non-empty list of NAF codes such as [\"6920Z\"])"),
        Bad(yaml: "niche: n\nfilters: {naf_include: []}\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_include': missing (expected a non-empty list of NAF codes such as [\"6920Z\"])"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\n",
            expected: "jobs/naf_6920Z.yaml: field 'profile': missing (expected one of quick, standard, deep)"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\nprofile: fast\n",
            expected: "jobs/naf_6920Z.yaml: field 'profile': expected one of quick, standard, deep, got \"fast\""),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"6920Z\", \"69.2Z9\"]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_include[1]': \"69.2Z9\" is not a NAF code (a subclass letter must follow the 4 digits of a class, as in 69.20Z; found 'Z' after 3 digits)"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [6920]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_include[0]': expected a NAF code as a string, got integer 6920 (quote it: \"6920\")"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: \"43\"\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_include': expected a list, got string \"43\""),
        Bad(yaml: "niche: 12\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'niche': expected a string, got integer 12"),
        Bad(yaml: "niche: a/b\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'niche': expected a name usable as a directory name (not empty, no '/' or '\\', no control characters), got \"a/b\""),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43.21G\"]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_include[0]': \"43.21G\" is a NAF 2025 subclass (letter G) but the nomenclature is NAFRev2 (letters A-F, Z); set filters.naf_nomenclature: NAF2025 or use a NAFRev2 code"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\n  naf_exclude: [\"43.21\", \"43.21A\"]\n  naf_nomenclature: NAF2025\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_exclude[1]': \"43.21A\" is a NAF rév. 2 subclass (letter A) but the nomenclature is NAF2025 (letters G-L, Y); set filters.naf_nomenclature: NAFRev2 or use a NAF2025 code"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\n  naf_nomenclature: rev2\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_nomenclature': expected one of NAFRev2, NAF2025, got \"rev2\""),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\n  active_only: \"true\"\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.active_only': expected true or false, got string \"true\""),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\n  active_only: yes\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.active_only': expected true or false, got string \"yes\""),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\n  regions: [75]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.regions[0]': expected a department code or postal-code prefix as a string, got integer 75 (quote it: \"75\"; unquoted, 01 reads as 1)"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\n  regions: [\"7A\"]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.regions[0]': \"7A\" is not a department code or postal-code prefix (1 to 5 digits such as \"75\", \"971\", \"75011\", or \"2A\"/\"2B\")"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"]\n  naf_exlude: [\"43.2\"]\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: field 'filters.naf_exlude': unknown field (known: naf_include, naf_exclude, active_only, regions, naf_nomenclature, effectif_min, effectif_max, created_after, created_before, siege_only, diffusible_only, categories_juridiques, categories_entreprise, exclude_file); did you mean naf_exclude?"),
        Bad(yaml: base + "retention_days: \"30\"\n",
            expected: "jobs/naf_6920Z.yaml: field 'retention_days': expected an integer from 0 to 1000000, got string \"30\""),
        Bad(yaml: base + "retention_days: 30.5\n",
            expected: "jobs/naf_6920Z.yaml: field 'retention_days': expected an integer from 0 to 1000000, got number 30.5"),
        Bad(yaml: base + "budgets: {ram_mb: 0}\n",
            expected: "jobs/naf_6920Z.yaml: field 'budgets.ram_mb': expected an integer from 1 to 16777216, got integer 0"),
        Bad(yaml: base + "budgets: {time_budget_min: 0}\n",
            expected: "jobs/naf_6920Z.yaml: field 'budgets.time_budget_min': expected a number above 0 and at most 10000000, got integer 0"),
        Bad(yaml: base + "budgets: {time_budget_min: \"30\"}\n",
            expected: "jobs/naf_6920Z.yaml: field 'budgets.time_budget_min': expected a number, got string \"30\""),
        Bad(yaml: base + "kpi_targets: {min_quality_score: \"80\"}\n",
            expected: "jobs/naf_6920Z.yaml: field 'kpi_targets.min_quality_score': expected a number, got string \"80\""),
        Bad(yaml: base + "kpi_targets: {max_dup_pct: 150}\n",
            expected: "jobs/naf_6920Z.yaml: field 'kpi_targets.max_dup_pct': expected a number from 0 to 100, got integer 150"),
        Bad(yaml: base + "scoring: {weights: {contactability: \"50\"}}\n",
            expected: "jobs/naf_6920Z.yaml: field 'scoring.weights.contactability': expected a number, got string \"50\""),
        Bad(yaml: base + "scoring: {weights: {contactability: -1}}\n",
            expected: "jobs/naf_6920Z.yaml: field 'scoring.weights.contactability': expected a number from 0 to 1000000, got integer -1"),
        Bad(yaml: base + "scoring: [1]\n",
            expected: "jobs/naf_6920Z.yaml: field 'scoring': expected a mapping, got a list"),
        Bad(yaml: base + "dedupe: {keys: []}\n",
            expected: "jobs/naf_6920Z.yaml: field 'dedupe.keys': expected a non-empty list of column names"),
        Bad(yaml: base + "output: {lang: 12}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.lang': expected a string, got integer 12"),
        Bad(yaml: base + "output: {lang: \"f r\"}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.lang': expected one of fr, en, got \"f r\""),
        Bad(yaml: base + "output: {lang: de}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.lang': expected one of fr, en, got \"de\""),
        Bad(yaml: base + "output: {lang: FR}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.lang': expected one of fr, en, got \"FR\""),
        Bad(yaml: base + "output: {csv: {delimiter: \"::\"}}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.csv.delimiter': expected one of \",\", \";\", \"\\t\", \"|\", got string \"::\""),
        Bad(yaml: base + "output: {csv: {delimiter: '\\t'}}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.csv.delimiter': expected one of \",\", \";\", \"\\t\", \"|\", got string \"\\\\t\" (a tab is written \"\\t\" in double quotes: in single quotes it is a backslash and a t)"),
        Bad(yaml: base + "output: {csv: {delimiter: 59}}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.csv.delimiter': expected a string, got integer 59"),
        Bad(yaml: base + "output: {csv: {bom: \"yes\"}}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.csv.bom': expected true or false, got string \"yes\""),
        Bad(yaml: base + "output: {csv: {delimiter: \";\", bomb: true}}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.csv.bomb': unknown field (known: delimiter, bom); did you mean bom?"),
        Bad(yaml: base + "output: {csv: excel_fr}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.csv': expected a preset (rfc4180, excel-fr) or a mapping {delimiter, bom}, got string \"excel_fr\"; did you mean excel-fr?"),
        Bad(yaml: base + "output: {csv: [\";\"]}\n",
            expected: "jobs/naf_6920Z.yaml: field 'output.csv': expected a preset (rfc4180, excel-fr) or a mapping {delimiter, bom}, got a list"),
        Bad(yaml: "- niche\n", expected: "jobs/naf_6920Z.yaml: expected a mapping at the top level, got a list"),
        Bad(yaml: "", expected: "jobs/naf_6920Z.yaml: the job is empty (expected a mapping with niche, filters and profile)"),
        Bad(yaml: "niche: n\nfilters:\n  naf_include: [\"43\"\nprofile: quick\n",
            expected: "jobs/naf_6920Z.yaml: line 4, column 1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 16)"),
    ])
    func errorsNameTheFileAndField(_ bad: Bad) {
        #expect(error(bad.yaml)?.description == bad.expected)
    }

    @Test func decodesFromAStructuredValue() throws {
        let job = try JobSpec(value: ["niche": "n", "filters": ["naf_include": ["43"]], "profile": "deep"])
        #expect(job.profile == .deep)
        let error = try #require(throws: JobSpecError.self) { try JobSpec(value: ["niche": "n", "profile": "deep"]) }
        #expect(error.description == "field 'filters': missing (expected a mapping with naf_include)")
    }
}
