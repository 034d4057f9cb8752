import Basics
import Jobs
import Testing

/// Numbers of a job file that would overflow the run's arithmetic, and fields read by the
/// runner: clear errors naming the file and the field, never a trap.
@Suite struct JobSpecLimitsTests {
    static let base = "niche: n\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n"

    func error(_ yaml: String) -> String? {
        do {
            _ = try JobSpec(yaml: Self.base + yaml, source: "jobs/j.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let yaml: String
        let field: String
        let value: String
        var testDescription: String { yaml }
    }

    @Test(arguments: [
        Bad(yaml: "scoring: {weights: {contactability: 1e308}}\n", field: "scoring.weights.contactability", value: "1.0e+308"),
        Bad(yaml: "scoring: {weights: {unicity: .inf}}\n", field: "scoring.weights.unicity", value: "inf"),
        Bad(yaml: "scoring: {weights: {freshness: .nan}}\n", field: "scoring.weights.freshness", value: "nan"),
        Bad(yaml: "kpi_targets: {min_quality_score: .nan}\n", field: "kpi_targets.min_quality_score", value: "nan"),
        Bad(yaml: "kpi_targets: {max_dup_pct: -1}\n", field: "kpi_targets.max_dup_pct", value: "-1"),
        Bad(yaml: "budgets: {time_budget_min: 1e308}\n", field: "budgets.time_budget_min", value: "1.0e+308"),
        Bad(yaml: "budgets: {time_budget_min: .inf}\n", field: "budgets.time_budget_min", value: "inf"),
        Bad(yaml: "budgets: {ram_mb: 9223372036854775807}\n", field: "budgets.ram_mb", value: "9223372036854775807"),
        Bad(yaml: "budgets: {ram_mb: -5}\n", field: "budgets.ram_mb", value: "-5"),
        Bad(yaml: "retention_days: 99999999999\n", field: "retention_days", value: "99999999999"),
        Bad(yaml: "retention_days: -1\n", field: "retention_days", value: "-1"),
        Bad(yaml: "input: 5\n", field: "input", value: "integer 5"),
        Bad(yaml: "input: \"\"\n", field: "input", value: "\"\""),
        Bad(yaml: "input: [a.csv]\n", field: "input", value: "a list"),
    ])
    func outOfRangeValuesAreErrorsNamingFileAndField(_ bad: Bad) throws {
        let message = try #require(error(bad.yaml))
        #expect(message.hasPrefix("jobs/j.yaml: field '\(bad.field)': "))
        #expect(message.lowercased().contains(bad.value))
    }

    @Test func boundaryValuesAreAccepted() throws {
        let job = try JobSpec(yaml: Self.base + """
            scoring: {weights: {contactability: 1000000, unicity: 0}}
            budgets: {time_budget_min: 0.5, ram_mb: 16777216}
            retention_days: 0
            input: stock.parquet
            """, source: "j.yaml")
        #expect(job.scoring.weights.first?.value == 1_000_000)
        #expect(job.budgets.ramMB == 1 << 24)
        #expect(job.otherSections["input"] == .string("stock.parquet"))
    }
}
