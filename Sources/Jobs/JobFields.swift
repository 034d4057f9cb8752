/// The fields of a job file, in the order job files write them: the one list that the decoder
/// checks names against (an unknown field inside these sections is an error; an unknown
/// top-level section is kept for the steps that read it), that `write_job` orders a table's keys
/// by, and that `docs/job-file.md` is tested against.
public enum JobFields {
    public struct Section: Sendable, Equatable {
        public let name: String
        /// The fields of a mapping section; empty for a plain value (`niche`, `retention_days`).
        public let fields: [String]
    }

    public static let sections: [Section] = [
        Section(name: "niche", fields: []),
        Section(name: "filters", fields: ["naf_include", "naf_exclude", "active_only", "regions", "naf_nomenclature",
                                           "effectif_min", "effectif_max", "created_after", "created_before", "siege_only",
                                           "diffusible_only", "categories_juridiques", "categories_entreprise", "exclude_file"]),
        Section(name: "profile", fields: []),
        Section(name: "steps", fields: []),
        Section(name: "output", fields: ["dir", "lang", "formats", "csv"]),
        Section(name: "dedupe", fields: ["keys", "fuzzy"]),
        Section(name: "scoring", fields: ["weights"]),
        Section(name: "kpi_targets", fields: ["min_quality_score", "max_dup_pct"]),
        Section(name: "budgets", fields: ["time_budget_min", "ram_mb"]),
        Section(name: "retention_days", fields: []),
    ]

    /// `niche`, `filters`, ... `retention_days`.
    public static let topLevel: [String] = sections.map(\.name)

    /// The fields of section `name` (empty for a plain value or an unknown section).
    public static func fields(of name: String) -> [String] {
        sections.first { $0.name == name }?.fields ?? []
    }

    /// Every field as a path: `niche`, `filters.naf_include`, ..., `retention_days`.
    public static let paths: [String] = sections.flatMap { section in
        section.fields.isEmpty ? [section.name] : section.fields.map { "\(section.name).\($0)" }
    }

    /// Sections, each followed by its fields: the key order of a job written from a table.
    public static let keyOrder: [String] = sections.flatMap { [$0.name] + $0.fields }
}
