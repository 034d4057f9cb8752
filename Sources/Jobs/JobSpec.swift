import Basics
import NAF

/// A job file (docs/job-file.md), decoded and checked.
///
/// Required: `niche`, `filters.naf_include` (non-empty), `profile`. Everything else has a default:
///
/// | field | default |
/// |---|---|
/// | `filters.naf_exclude` | `[]` |
/// | `filters.active_only` | `true` |
/// | `filters.regions` | `[]` (no region filter) |
/// | `filters.naf_nomenclature` | `NAFRev2` |
/// | `filters.effectif_min` / `effectif_max` | none (no headcount filter) |
/// | `filters.created_after` / `created_before` | none |
/// | `filters.siege_only` / `diffusible_only` | `false` |
/// | `filters.categories_juridiques` / `categories_entreprise` | `[]` (no filter) |
/// | `filters.exclude_file` | none |
/// | `output.dir` | none (`--out` is then required) |
/// | `output.lang` | `fr` |
/// | `output.formats` | `[csv, parquet]` |
/// | `output.csv` | `rfc4180` (commas, no byte-order mark) |
/// | `dedupe.keys` / `dedupe.fuzzy` | `["siret"]` / `false` |
/// | `scoring.weights` | contactability 50, unicity 20, completeness 20, freshness 10 (given weights replace these) |
/// | `kpi_targets`, `budgets`, `retention_days` | none |
///
/// Types are strict: a number written as a string (`"30"`) or a code written as a number (`6920`,
/// `75`) is an error, never converted (unquoted codes lose leading zeros: `01` reads as 1). The one
/// leniency: an integer is accepted where a decimal number is expected (`min_quality_score: 80`).
/// A field set to null (`naf_exclude:` with nothing after it) counts as absent. Unknown fields
/// inside the known sections (`JobFields`) are errors (a misspelt `naf_exlude` must not be
/// ignored); unknown top-level sections (`input`, `http`, `sitemap`, `enrich`, ...) are kept in
/// `otherSections` for the steps that use them. `docs/job-file.md` documents every field.
public struct JobSpec: Sendable, Equatable {
    public var niche: String
    public var filters: Filters
    public var profile: JobProfile
    public var output: Output
    public var dedupe: Dedupe
    public var scoring: Scoring
    public var kpiTargets: KPITargets
    public var budgets: Budgets
    public var retentionDays: Int?
    /// The job's own list of steps, replacing its profile's; nil: the profile's.
    public var steps: [StepEntry]?
    /// Top-level sections this schema does not know, in file order.
    public var otherSections: StructuredMap

    /// A job built in code; every optional part defaults as in a job file.
    public init(niche: String, filters: Filters, profile: JobProfile, output: Output = .init(),
                dedupe: Dedupe = .init(), scoring: Scoring = .init(), kpiTargets: KPITargets = .init(),
                budgets: Budgets = .init(), retentionDays: Int? = nil, steps: [StepEntry]? = nil,
                otherSections: StructuredMap = [:]) {
        self.niche = niche
        self.filters = filters
        self.profile = profile
        self.output = output
        self.dedupe = dedupe
        self.scoring = scoring
        self.kpiTargets = kpiTargets
        self.budgets = budgets
        self.retentionDays = retentionDays
        self.steps = steps
        self.otherSections = otherSections
    }

    public struct Filters: Sendable, Equatable {
        /// `naf_include`, `naf_exclude` and `naf_nomenclature`, checked against each other.
        public var naf: NAFFilter
        public var activeOnly: Bool
        public var regions: [Region]
        /// People: keeps the headcount bands lying wholly within `effectifMin...effectifMax`
        /// (either bound may be absent); at least one band fits (checked).
        public var effectifMin: Int?
        public var effectifMax: Int?
        /// Establishment creation dates, `YYYY-MM-DD` as written (both bounds inclusive); checked
        /// as calendar dates by the run's filters (`ScanFilters`).
        public var createdAfter: String?
        public var createdBefore: String?
        public var siegeOnly: Bool
        /// Keeps `statutDiffusionEtablissement` = `O`.
        public var diffusibleOnly: Bool
        /// INSEE legal-category codes at any level (`5`, `54`, `5710`), matched as prefixes of
        /// the unit's 4-digit category.
        public var categoriesJuridiques: [String]
        /// `PME`, `ETI`, `GE`.
        public var categoriesEntreprise: [String]
        /// A CSV with a `siret` or `siren` column, relative to the job file.
        public var excludeFile: String?

        public init(naf: NAFFilter, activeOnly: Bool = true, regions: [Region] = [], effectifMin: Int? = nil,
                    effectifMax: Int? = nil, createdAfter: String? = nil, createdBefore: String? = nil,
                    siegeOnly: Bool = false, diffusibleOnly: Bool = false, categoriesJuridiques: [String] = [],
                    categoriesEntreprise: [String] = [], excludeFile: String? = nil) {
            self.naf = naf
            self.activeOnly = activeOnly
            self.regions = regions
            self.effectifMin = effectifMin
            self.effectifMax = effectifMax
            self.createdAfter = createdAfter
            self.createdBefore = createdBefore
            self.siegeOnly = siegeOnly
            self.diffusibleOnly = diffusibleOnly
            self.categoriesJuridiques = categoriesJuridiques
            self.categoriesEntreprise = categoriesEntreprise
            self.excludeFile = excludeFile
        }

        /// Whether a filter needs the legal units (`enrich.legal_unit`).
        public var needsLegalUnits: Bool { !categoriesJuridiques.isEmpty || !categoriesEntreprise.isEmpty }

        /// The company categories `categories_entreprise` accepts.
        public static let companyCategories = ["PME", "ETI", "GE"]
    }

    /// A `filters.regions` entry.
    public enum Region: Hashable, Sendable {
        /// 1 to 5 digits, matched against the start of the postal code: `75`, `971`, `75011`.
        case postalCodePrefix(String)
        /// `2A` or `2B`: Corsican departments, which postal codes do not tell apart (both are 20xxx);
        /// matched against the commune code.
        case corsicanDepartment(String)

        public var code: String {
            switch self {
            case let .postalCodePrefix(code), let .corsicanDepartment(code): code
            }
        }
    }

    /// An entry of `steps:`: a step's name (`quality.dedupe`), or a Lua step (`{lua: "file.lua"}`,
    /// relative to the job file). Names are checked against the steps builder knows by the run's
    /// plan.
    public enum StepEntry: Sendable, Equatable {
        case named(String)
        case lua(path: String)
    }

    public struct Output: Sendable, Equatable {
        /// The output directory when `run-profile` is given no `--out`.
        public var dir: String?
        /// The language of labels and report text: one of `languages`. Recorded in the manifest.
        public var lang: String

        /// The files the run writes besides its manifest, checksums and log, by format name
        /// (`csv`, `parquet`, ...); nil: the default list. Names are checked against the formats
        /// builder knows by the run's plan.
        public var formats: [String]?

        /// How `dataset.csv` is written: `output.csv`.
        public var csv: CSVDialect

        /// The values `output.lang` accepts.
        public static let languages = ["fr", "en"]
        public static let defaultLanguage = "fr"

        public init(dir: String? = nil, lang: String = defaultLanguage, formats: [String]? = nil, csv: CSVDialect = .rfc4180) {
            self.dir = dir
            self.lang = lang
            self.formats = formats
            self.csv = csv
        }
    }

    /// `output.csv`: the field delimiter of `dataset.csv` and whether it starts with a UTF-8
    /// byte-order mark; a preset name (`excel-fr`) or `{delimiter, bom}`. Quoting follows RFC 4180
    /// with the delimiter in place of the comma; records end with CRLF whatever the dialect.
    public struct CSVDialect: Sendable, Equatable {
        /// One of `delimiters`.
        public var delimiter: UInt8
        public var byteOrderMark: Bool

        public init(delimiter: UInt8 = 0x2C, byteOrderMark: Bool = false) {
            self.delimiter = delimiter
            self.byteOrderMark = byteOrderMark
        }

        /// RFC 4180: commas, no byte-order mark (the default).
        public static let rfc4180 = CSVDialect()
        /// What French Excel opens with a double click: semicolons (its list separator, the comma
        /// being its decimal mark) and a byte-order mark (without it, it reads UTF-8 as Windows-1252).
        public static let excelFR = CSVDialect(delimiter: 0x3B, byteOrderMark: true)

        /// The delimiters `output.csv.delimiter` accepts, as the YAML value decodes: `,` `;` tab (`"\t"`) `|`.
        public static let delimiters: [(text: String, byte: UInt8)] = [(",", 0x2C), (";", 0x3B), ("\t", 0x09), ("|", 0x7C)]
        /// The named dialects `output.csv` accepts.
        public static let presets: [(name: String, dialect: CSVDialect)] = [("rfc4180", .rfc4180), ("excel-fr", .excelFR)]
        /// The fields of an `output.csv` mapping.
        public static let fields = ["delimiter", "bom"]
    }

    public struct Dedupe: Sendable, Equatable {
        public var keys: [String]
        public var fuzzy: Bool

        public init(keys: [String] = ["siret"], fuzzy: Bool = false) {
            self.keys = keys
            self.fuzzy = fuzzy
        }
    }

    public struct Scoring: Sendable, Equatable {
        /// Weights by name, in file order.
        public var weights: [Weight]

        public init(weights: [Weight] = Scoring.defaultWeights) {
            self.weights = weights
        }

        public struct Weight: Sendable, Equatable {
            public var name: String
            public var value: Double

            public init(name: String, value: Double) {
                self.name = name
                self.value = value
            }
        }

        public static let defaultWeights: [Weight] = [
            Weight(name: "contactability", value: 50), Weight(name: "unicity", value: 20),
            Weight(name: "completeness", value: 20), Weight(name: "freshness", value: 10),
        ]
    }

    public struct KPITargets: Sendable, Equatable {
        /// 0 to 100.
        public var minQualityScore: Double?
        /// 0 to 100.
        public var maxDupPct: Double?

        public init(minQualityScore: Double? = nil, maxDupPct: Double? = nil) {
            self.minQualityScore = minQualityScore
            self.maxDupPct = maxDupPct
        }
    }

    public struct Budgets: Sendable, Equatable {
        /// Minutes, above 0; fractions allowed (`0.5` is 30 seconds).
        public var timeBudgetMin: Double?
        public var ramMB: Int?

        public init(timeBudgetMin: Double? = nil, ramMB: Int? = nil) {
            self.timeBudgetMin = timeBudgetMin
            self.ramMB = ramMB
        }
    }


    /// Decodes a job from YAML text; `source` (the file name) prefixes every error.
    public init(yaml: String, source: String? = nil) throws(JobSpecError) {
        let value: StructuredValue
        do {
            value = try YAML.decode(yaml)
        } catch {
            throw JobSpecError(source: source, field: nil, line: error.line, column: error.column,
                               message: "invalid YAML: \(error.message)")
        }
        try self.init(value: value, source: source)
    }

    /// Reads and decodes a job file; errors name `path` as given.
    public init(contentsOfFile path: String) throws(JobSpecError) {
        let text: String
        do {
            text = try FileSystem.readText(path)
        } catch {
            throw JobSpecError(source: nil, field: nil, line: nil, column: nil, message: error.description)
        }
        try self.init(yaml: text, source: path)
    }

    /// Decodes a job from a structured value (a Lua table, a JSON document).
    public init(value: StructuredValue, source: String? = nil) throws(JobSpecError) {
        self = try JobSpecDecoder(source: source).decode(value)
    }
}

/// A job that does not satisfy the schema: the file, the field path and what was expected.
public struct JobSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    public let source: String?
    /// The field path, `filters.naf_include[1]`; nil for errors about the whole document.
    public let field: String?
    /// Position of a YAML syntax error.
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(source: String?, field: String?, line: Int? = nil, column: Int? = nil, message: String) {
        self.source = source
        self.field = field
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let source { parts.append(source) }
        if let field { parts.append("field '\(field)'") }
        if let line { parts.append("line \(line)" + (column.map { ", column \($0)" } ?? "")) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
