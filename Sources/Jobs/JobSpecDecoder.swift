import Basics
import INSEECodes
import NAF

/// Upper bounds of the job file's numbers: far above any real use, low enough that the
/// arithmetic done with them (weighted sums, minutes to seconds, megabytes to bytes) stays exact
/// and finite.
public enum JobSpecLimits {
    public static let maxWeight = 1_000_000.0
    /// About 19 years.
    public static let maxTimeBudgetMinutes = 10_000_000.0
    /// 16 TB.
    public static let maxRAMMB = 1 << 24
    /// About 2 700 years.
    public static let maxRetentionDays = 1_000_000
    /// People, for `effectif_min` / `effectif_max`.
    public static let maxPeople = 10_000_000
}

/// Reads a `StructuredValue` into a `JobSpec`, field by field, with errors naming the path.
struct JobSpecDecoder {
    let source: String?

    func decode(_ value: StructuredValue) throws(JobSpecError) -> JobSpec {
        guard case let .map(root) = value else {
            if value == .null {
                throw error(nil, "the job is empty (expected a mapping with niche, filters and profile)")
            }
            throw error(nil, "expected a mapping at the top level, got \(describe(value))")
        }
        var others = StructuredMap()
        for (key, value) in root where !JobFields.topLevel.contains(key) { others[key] = value }

        return JobSpec(
            niche: try niche(root["niche"]),
            filters: try filters(root["filters"]),
            profile: try profile(root["profile"]),
            output: try output(root["output"]),
            dedupe: try dedupe(root["dedupe"]),
            scoring: try scoring(root["scoring"]),
            kpiTargets: try kpiTargets(root["kpi_targets"]),
            budgets: try budgets(root["budgets"]),
            retentionDays: try integer(root["retention_days"], "retention_days", in: 0...JobSpecLimits.maxRetentionDays),
            steps: try steps(root["steps"]),
            otherSections: try checkedOthers(others))
    }

    /// `steps`: a non-empty list of step names and `{lua: "file.lua"}` entries.
    private func steps(_ value: StructuredValue?) throws(JobSpecError) -> [JobSpec.StepEntry]? {
        guard let value, value != .null else { return nil }
        let expected = "expected a non-empty list of step names (such as dumps.collect) and {lua: \"file.lua\"} entries"
        guard case let .array(entries) = value, !entries.isEmpty else { throw error("steps", "\(expected), got \(describe(value))") }
        var steps: [JobSpec.StepEntry] = []
        for (index, entry) in entries.enumerated() {
            switch entry {
            case let .string(name) where !name.isEmpty:
                steps.append(.named(name))
            case let .map(fields):
                guard fields.count == 1, case let .string(path)? = fields["lua"], !path.isEmpty,
                      !path.unicodeScalars.contains("\0") else {
                    throw error("steps[\(index)]", "expected a step name or {lua: \"file.lua\"} (the path of a Lua step, "
                        + "relative to the job file), got \(describe(entry))")
                }
                steps.append(.lua(path: path))
            default:
                throw error("steps[\(index)]", "expected a step name or {lua: \"file.lua\"}, got \(describe(entry))")
            }
        }
        return steps
    }

    /// Sections read elsewhere but checked here so that their errors name the job file:
    /// `input` (the stock) and `units` (the legal units), relative to the job file, must be
    /// non-empty paths.
    private func checkedOthers(_ others: StructuredMap) throws(JobSpecError) -> StructuredMap {
        for (key, what) in [("input", "the SIRENE stock"), ("units", "the legal units (StockUniteLegale)")] {
            guard let value = others[key], value != .null else { continue }
            guard case let .string(path) = value else {
                throw error(key, "expected the path of \(what) as a string, got \(describe(value))")
            }
            guard !path.isEmpty, !path.unicodeScalars.contains("\0") else {
                throw error(key, "expected the path of \(what), got \(path.debugDescription)")
            }
        }
        return others
    }

    // MARK: Sections

    private func niche(_ value: StructuredValue?) throws(JobSpecError) -> String {
        guard let name = try string(value, "niche") else {
            throw error("niche", "missing (expected a string such as \"naf_6920Z\")")
        }
        let unusable = name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\\")
            || name.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard !unusable else {
            throw error("niche", "expected a name usable as a directory name (not empty, no '/' or '\\', "
                + "no control characters), got \(name.debugDescription)")
        }
        return name
    }

    private func profile(_ value: StructuredValue?) throws(JobSpecError) -> JobProfile {
        let choices = JobProfile.allCases.map(\.rawValue).joined(separator: ", ")
        guard let name = try string(value, "profile") else { throw error("profile", "missing (expected one of \(choices))") }
        guard let profile = JobProfile(rawValue: name) else {
            throw error("profile", "expected one of \(choices), got \(name.debugDescription)")
        }
        return profile
    }

    private func filters(_ value: StructuredValue?) throws(JobSpecError) -> JobSpec.Filters {
        guard let section = try map(value, "filters", known: JobFields.fields(of: "filters")) else {
            throw error("filters", "missing (expected a mapping with naf_include)")
        }
        // The nomenclature first: codes without a subclass letter are looked up in it.
        let nomenclature = try nomenclature(section["naf_nomenclature"])
        let include = try nafCodes(section["naf_include"], "filters.naf_include", nomenclature)
        guard let include, !include.isEmpty else {
            throw error("filters.naf_include", "missing (expected a non-empty list of NAF codes such as [\"6920Z\"])")
        }
        let exclude = try nafCodes(section["naf_exclude"], "filters.naf_exclude", nomenclature) ?? []
        let naf: NAFFilter
        do {
            naf = try NAFFilter(include: include, exclude: exclude, nomenclature: nomenclature)
        } catch {
            throw mismatch(error, include: include, exclude: exclude)
        }
        let effectifMin = try integer(section["effectif_min"], "filters.effectif_min", in: 0...JobSpecLimits.maxPeople)
        let effectifMax = try integer(section["effectif_max"], "filters.effectif_max", in: 0...JobSpecLimits.maxPeople)
        try checkHeadcountRange(effectifMin, effectifMax)
        return JobSpec.Filters(
            naf: naf,
            activeOnly: try bool(section["active_only"], "filters.active_only") ?? true,
            regions: try regions(section["regions"]),
            effectifMin: effectifMin, effectifMax: effectifMax,
            createdAfter: try isoDay(section["created_after"], "filters.created_after"),
            createdBefore: try isoDay(section["created_before"], "filters.created_before"),
            siegeOnly: try bool(section["siege_only"], "filters.siege_only") ?? false,
            diffusibleOnly: try bool(section["diffusible_only"], "filters.diffusible_only") ?? false,
            categoriesJuridiques: try legalCategories(section["categories_juridiques"]),
            categoriesEntreprise: try companyCategories(section["categories_entreprise"]),
            excludeFile: try path(section["exclude_file"], "filters.exclude_file", what: "a CSV file with a siret or siren column"))
    }

    /// `effectif_min <= effectif_max`, and some headcount band lies wholly within them.
    private func checkHeadcountRange(_ minimum: Int?, _ maximum: Int?) throws(JobSpecError) {
        guard minimum != nil || maximum != nil else { return }
        let low = minimum ?? 0, high = maximum ?? JobSpecLimits.maxPeople
        guard low <= high else {
            throw error("filters.effectif_min", "\(low) is above effectif_max \(high)")
        }
        guard HeadcountBands.all.contains(where: { $0.isWithin(least: minimum, most: maximum) }) else {
            let bands = HeadcountBands.all.compactMap { band in
                band.minimum.map { "\($0)" + (band.maximum.map { $0 == band.minimum ? "" : "-\($0)" } ?? "+") }
            }
            throw error(minimum != nil ? "filters.effectif_min" : "filters.effectif_max",
                        "no headcount band lies wholly within \(low)..\(maximum.map(String.init) ?? "") people "
                        + "(INSEE's bands: \(bands.joined(separator: ", ")))")
        }
    }

    /// A `YYYY-MM-DD` string (the calendar check is the run's: `ScanFilters`).
    private func isoDay(_ value: StructuredValue?, _ path: String) throws(JobSpecError) -> String? {
        guard let value, value != .null else { return nil }
        guard case let .string(text) = value else {
            throw error(path, "expected a date \"YYYY-MM-DD\" as a string, got \(describe(value))")
        }
        return text
    }

    /// A non-empty path.
    private func path(_ value: StructuredValue?, _ path: String, what: String) throws(JobSpecError) -> String? {
        guard let text = try string(value, path) else { return nil }
        guard !text.isEmpty, !text.unicodeScalars.contains("\0") else {
            throw error(path, "expected the path of \(what), got \(text.debugDescription)")
        }
        return text
    }

    /// `categories_juridiques`: INSEE legal-category codes of any level, as strings.
    private func legalCategories(_ value: StructuredValue?) throws(JobSpecError) -> [String] {
        guard let elements = try list(value, "filters.categories_juridiques") else { return [] }
        var codes: [String] = []
        for (index, element) in elements.enumerated() {
            let path = "filters.categories_juridiques[\(index)]"
            guard case let .string(text) = element else {
                throw error(path, "expected a legal-category code as a string, got \(describe(element))"
                    + (element.isNumber ? " (quote it: \"\(element.plainDescription)\")" : ""))
            }
            guard let category = LegalCategories.category(text) else {
                let known = LegalCategories.all.map(\.code)
                let suggestion = suggestName(for: text, among: known).flatMap(LegalCategories.category)
                    .map { "; did you mean \($0.code) (\($0.labelFR))?" } ?? ""
                throw error(path, "\(text.debugDescription) is not one of INSEE's legal categories (1, 2 or 4 digits "
                    + "such as \"5\", \"54\", \"5710\")\(suggestion)")
            }
            codes.append(category.code)
        }
        return codes
    }

    /// `categories_entreprise`: `PME`, `ETI`, `GE`.
    private func companyCategories(_ value: StructuredValue?) throws(JobSpecError) -> [String] {
        guard let elements = try list(value, "filters.categories_entreprise") else { return [] }
        let known = JobSpec.Filters.companyCategories
        var names: [String] = []
        for (index, element) in elements.enumerated() {
            let path = "filters.categories_entreprise[\(index)]"
            guard case let .string(text) = element, known.contains(text) else {
                let suggestion = element.stringValue.flatMap { text in
                    known.contains(text.uppercased()) ? text.uppercased() : suggestName(for: text, among: known)
                }.map { "; did you mean \($0)?" } ?? ""
                throw error(path, "expected one of \(known.joined(separator: ", ")), got \(describe(element))\(suggestion)")
            }
            names.append(text)
        }
        return names
    }

    private func nomenclature(_ value: StructuredValue?) throws(JobSpecError) -> NAFNomenclature {
        let path = "filters.naf_nomenclature"
        guard let name = try string(value, path) else { return .rev2 }
        guard let nomenclature = NAFNomenclature(rawValue: name) else {
            let choices = NAFNomenclature.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(path, "expected one of \(choices), got \(name.debugDescription)")
        }
        return nomenclature
    }

    private func mismatch(_ nafError: NAFError, include: [NAFCode], exclude: [NAFCode]) -> JobSpecError {
        guard case let .nomenclatureMismatch(code, expected) = nafError else { return error("filters", nafError.description) }
        let path = include.firstIndex(of: code).map { "filters.naf_include[\($0)]" }
            ?? exclude.firstIndex(of: code).map { "filters.naf_exclude[\($0)]" } ?? "filters"
        let other = NAFNomenclature.allCases.first { $0 != expected }?.rawValue ?? ""
        return error(path, "\(nafError.description); set filters.naf_nomenclature: \(other) or use a \(expected.rawValue) code")
    }

    private func nafCodes(_ value: StructuredValue?, _ path: String,
                          _ nomenclature: NAFNomenclature) throws(JobSpecError) -> [NAFCode]? {
        guard let elements = try list(value, path) else { return nil }
        var codes: [NAFCode] = []
        for (index, element) in elements.enumerated() {
            let elementPath = "\(path)[\(index)]"
            guard case let .string(text) = element else {
                throw error(elementPath, "expected a NAF code as a string, got \(describe(element))"
                    + (element.isNumber ? " (quote it: \"\(element.plainDescription)\")" : ""))
            }
            do {
                codes.append(try NAFCode(parsing: text, nomenclature: nomenclature))
            } catch {
                throw self.error(elementPath, error.description)
            }
        }
        return codes
    }

    private func regions(_ value: StructuredValue?) throws(JobSpecError) -> [JobSpec.Region] {
        guard let elements = try list(value, "filters.regions") else { return [] }
        var regions: [JobSpec.Region] = []
        for (index, element) in elements.enumerated() {
            let path = "filters.regions[\(index)]"
            guard case let .string(text) = element else {
                throw error(path, "expected a department code or postal-code prefix as a string, got \(describe(element))"
                    + (element.isNumber ? " (quote it: \"\(element.plainDescription)\"; unquoted, 01 reads as 1)" : ""))
            }
            let upper = text.uppercased()
            if upper == "2A" || upper == "2B" {
                regions.append(.corsicanDepartment(upper))
            } else if (1...5).contains(text.utf8.count), text.utf8.allSatisfy(ASCII.isDigit) {
                regions.append(.postalCodePrefix(text))
            } else {
                throw error(path, "\(text.debugDescription) is not a department code or postal-code prefix "
                    + "(1 to 5 digits such as \"75\", \"971\", \"75011\", or \"2A\"/\"2B\")")
            }
        }
        return regions
    }

    private func output(_ value: StructuredValue?) throws(JobSpecError) -> JobSpec.Output {
        let section = try map(value, "output", known: JobFields.fields(of: "output")) ?? StructuredMap()
        let dir = try string(section["dir"], "output.dir")
        if let dir, dir.isEmpty || dir.unicodeScalars.contains(where: { $0 == "\0" }) {
            throw error("output.dir", "expected a directory path, got \(dir.debugDescription)")
        }
        let lang = try string(section["lang"], "output.lang") ?? JobSpec.Output.defaultLanguage
        guard JobSpec.Output.languages.contains(lang) else {
            throw error("output.lang", "expected one of \(JobSpec.Output.languages.joined(separator: ", ")), got \(lang.debugDescription)")
        }
        var formats: [String]?
        if let values = try list(section["formats"], "output.formats") {
            guard !values.isEmpty else { throw error("output.formats", "expected a non-empty list of output formats such as [csv, parquet]") }
            formats = []
            for (index, value) in values.enumerated() {
                guard case let .string(name) = value, !name.isEmpty else {
                    throw error("output.formats[\(index)]", "expected the name of an output format such as csv, got \(describe(value))")
                }
                guard formats?.contains(name) != true else { throw error("output.formats[\(index)]", "\(name) is listed twice") }
                formats?.append(name)
            }
        }
        return JobSpec.Output(dir: dir, lang: lang, formats: formats, csv: try csvDialect(section["csv"]))
    }

    /// `output.csv`: a preset name or `{delimiter, bom}` (each optional, defaults of `rfc4180`).
    private func csvDialect(_ value: StructuredValue?) throws(JobSpecError) -> JobSpec.CSVDialect {
        typealias Dialect = JobSpec.CSVDialect
        let presets = Dialect.presets.map(\.name)
        let expected = "a preset (\(presets.joined(separator: ", "))) or a mapping {delimiter, bom}"
        switch value {
        case nil, .null?:
            return .rfc4180
        case let .string(name)?:
            guard let preset = Dialect.presets.first(where: { $0.name == name }) else {
                let suggestion = suggestName(for: name, among: presets).map { "; did you mean \($0)?" } ?? ""
                throw error("output.csv", "expected \(expected), got \(describe(.string(name)))\(suggestion)")
            }
            return preset.dialect
        case .map?:
            let section = try map(value, "output.csv", known: Dialect.fields) ?? StructuredMap()
            var dialect = Dialect.rfc4180
            if let text = try string(section["delimiter"], "output.csv.delimiter") {
                guard let delimiter = Dialect.delimiters.first(where: { $0.text == text }) else {
                    let choices = Dialect.delimiters.map(\.text.debugDescription).joined(separator: ", ")
                    let hint = text == "\\t" ? " (a tab is written \"\\t\" in double quotes: in single quotes it is a backslash and a t)" : ""
                    throw error("output.csv.delimiter", "expected one of \(choices), got \(describe(.string(text)))\(hint)")
                }
                dialect.delimiter = delimiter.byte
            }
            dialect.byteOrderMark = try bool(section["bom"], "output.csv.bom") ?? false
            return dialect
        case let other?:
            throw error("output.csv", "expected \(expected), got \(describe(other))")
        }
    }

    private func dedupe(_ value: StructuredValue?) throws(JobSpecError) -> JobSpec.Dedupe {
        let section = try map(value, "dedupe", known: JobFields.fields(of: "dedupe")) ?? StructuredMap()
        var keys = ["siret"]
        if let elements = try list(section["keys"], "dedupe.keys") {
            guard !elements.isEmpty else { throw error("dedupe.keys", "expected a non-empty list of column names") }
            keys = []
            for (index, element) in elements.enumerated() {
                guard case let .string(key) = element, !key.isEmpty else {
                    throw error("dedupe.keys[\(index)]", "expected a column name, got \(describe(element))")
                }
                keys.append(key)
            }
        }
        return JobSpec.Dedupe(keys: keys, fuzzy: try bool(section["fuzzy"], "dedupe.fuzzy") ?? false)
    }

    private func scoring(_ value: StructuredValue?) throws(JobSpecError) -> JobSpec.Scoring {
        let section = try map(value, "scoring", known: JobFields.fields(of: "scoring")) ?? StructuredMap()
        guard let weights = try map(section["weights"], "scoring.weights", known: nil) else {
            return JobSpec.Scoring(weights: JobSpec.Scoring.defaultWeights)
        }
        guard !weights.isEmpty else { throw error("scoring.weights", "expected at least one weight") }
        var result: [JobSpec.Scoring.Weight] = []
        for (name, weight) in weights {
            let path = "scoring.weights.\(name)"
            // Bounded so that weighted sums of scores stay finite.
            guard let number = try number(weight, path), (0...JobSpecLimits.maxWeight).contains(number) else {
                throw error(path, "expected a number from 0 to \(Int(JobSpecLimits.maxWeight)), got \(describe(weight))")
            }
            result.append(.init(name: name, value: number))
        }
        guard result.contains(where: { $0.value > 0 }) else { throw error("scoring.weights", "expected a weight above 0") }
        return JobSpec.Scoring(weights: result)
    }

    private func kpiTargets(_ value: StructuredValue?) throws(JobSpecError) -> JobSpec.KPITargets {
        let section = try map(value, "kpi_targets", known: JobFields.fields(of: "kpi_targets")) ?? StructuredMap()
        return JobSpec.KPITargets(
            minQualityScore: try percentage(section["min_quality_score"], "kpi_targets.min_quality_score"),
            maxDupPct: try percentage(section["max_dup_pct"], "kpi_targets.max_dup_pct"))
    }

    private func budgets(_ value: StructuredValue?) throws(JobSpecError) -> JobSpec.Budgets {
        let section = try map(value, "budgets", known: JobFields.fields(of: "budgets")) ?? StructuredMap()
        return JobSpec.Budgets(
            timeBudgetMin: try positiveNumber(section["time_budget_min"], "budgets.time_budget_min",
                                              maximum: JobSpecLimits.maxTimeBudgetMinutes),
            ramMB: try integer(section["ram_mb"], "budgets.ram_mb", in: 1...JobSpecLimits.maxRAMMB))
    }

    // MARK: Typed readers (nil: absent or null)

    private func map(_ value: StructuredValue?, _ path: String, known: [String]?) throws(JobSpecError) -> StructuredMap? {
        guard let value, value != .null else { return nil }
        guard case let .map(map) = value else { throw error(path, "expected a mapping, got \(describe(value))") }
        if let known {
            for key in map.keys where !known.contains(key) {
                let suggestion = suggestName(for: key, among: known).map { "; did you mean \($0)?" } ?? ""
                throw error("\(path).\(key)", "unknown field (known: \(known.joined(separator: ", ")))\(suggestion)")
            }
        }
        return map
    }

    private func list(_ value: StructuredValue?, _ path: String) throws(JobSpecError) -> [StructuredValue]? {
        guard let value, value != .null else { return nil }
        guard case let .array(elements) = value else { throw error(path, "expected a list, got \(describe(value))") }
        return elements
    }

    private func string(_ value: StructuredValue?, _ path: String) throws(JobSpecError) -> String? {
        guard let value, value != .null else { return nil }
        guard case let .string(text) = value else { throw error(path, "expected a string, got \(describe(value))") }
        return text
    }

    private func bool(_ value: StructuredValue?, _ path: String) throws(JobSpecError) -> Bool? {
        guard let value, value != .null else { return nil }
        guard case let .bool(flag) = value else { throw error(path, "expected true or false, got \(describe(value))") }
        return flag
    }

    private func integer(_ value: StructuredValue?, _ path: String, in range: ClosedRange<Int>) throws(JobSpecError) -> Int? {
        guard let value, value != .null else { return nil }
        guard case let .integer(number) = value, let result = Int(exactly: number), range.contains(result) else {
            throw error(path, "expected an integer from \(range.lowerBound) to \(range.upperBound), got \(describe(value))")
        }
        return result
    }

    private func number(_ value: StructuredValue?, _ path: String) throws(JobSpecError) -> Double? {
        guard let value, value != .null else { return nil }
        switch value {
        case let .integer(number): return Double(number)
        case let .double(number) where number.isFinite: return number
        default: throw error(path, "expected a number, got \(describe(value))")
        }
    }

    private func positiveNumber(_ value: StructuredValue?, _ path: String, maximum: Double) throws(JobSpecError) -> Double? {
        guard let number = try number(value, path) else { return nil }
        guard number > 0, number <= maximum else {
            throw error(path, "expected a number above 0 and at most \(Int(maximum)), got \(describe(value ?? .null))")
        }
        return number
    }

    private func percentage(_ value: StructuredValue?, _ path: String) throws(JobSpecError) -> Double? {
        guard let number = try number(value, path) else { return nil }
        guard (0...100).contains(number) else {
            throw error(path, "expected a number from 0 to 100, got \(describe(value ?? .null))")
        }
        return number
    }

    // MARK: Errors

    private func error(_ field: String?, _ message: String) -> JobSpecError {
        JobSpecError(source: source, field: field, line: nil, column: nil, message: message)
    }

    /// A value as error messages show it: `string "fast"`, `integer 30`, `a list`.
    private func describe(_ value: StructuredValue) -> String {
        switch value {
        case .null: "null"
        case let .bool(flag): "boolean \(flag)"
        case .integer, .double: "\(value.kindName) \(value.plainDescription)"
        case let .string(text): "string \(text.debugDescription)"
        case .array: "a list"
        case .map: "a mapping"
        }
    }
}

extension StructuredValue {
    var isNumber: Bool {
        switch self {
        case .integer, .double: true
        default: false
        }
    }

    /// Numbers and booleans as YAML writes them.
    var plainDescription: String {
        switch self {
        case let .integer(number): String(number)
        case let .double(number): YAMLScalar.formatDouble(number)
        case let .bool(flag): flag ? "true" : "false"
        default: kindName
        }
    }
}

