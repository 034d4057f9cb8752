import Foundation
import Jobs
import Pipeline
import TestSupport
import Testing

/// `docs/job-file.md` documents the job file as the code reads it: every field of `JobFields`
/// has its row (and no row names a field that does not exist), the example is the embedded
/// template, and every section a step reads is listed.
@Suite struct JobFileDocTests {
    static func document() throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent("docs/job-file.md"), encoding: .utf8)
    }

    /// The first-column names of the table under `## heading`.
    static func tableNames(_ text: String, under heading: String) throws -> [String] {
        let start = try #require(text.range(of: "\n## \(heading)\n"))
        let rest = text[start.upperBound...]
        let section = rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
        return section.split(separator: "\n").filter { $0.hasPrefix("| `") }.flatMap { line in
            // Every `name` of the first column.
            let cell = line.split(separator: "|", omittingEmptySubsequences: true).first ?? ""
            return cell.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
    }

    @Test func everyFieldHasItsRowAndEveryRowIsAField() throws {
        #expect(try Self.tableNames(Self.document(), under: "Fields") == JobFields.paths)
    }

    @Test func everySectionAStepReadsIsListed() throws {
        let text = try Self.document()
        let listed = try Self.tableNames(text, under: "Other sections, for the steps that read them")
        let read = StepJobSections.sectionsRead
        #expect(Set(listed) == read)
        for component in QualityScorer.components { #expect(text.contains("`\(component)`")) }
        for language in JobSpec.Output.languages { #expect(text.contains("`\(language)`")) }
    }

    @Test func theExampleIsTheEmbeddedTemplate() throws {
        let template = try String(contentsOf: packageRoot.appendingPathComponent("Templates/job_template.yaml"), encoding: .utf8)
        #expect(try Self.document().contains("```yaml\n" + template + "```\n"))
    }
}
