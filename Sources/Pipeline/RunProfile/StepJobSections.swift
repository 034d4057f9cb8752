import Basics
import Jobs

/// The top-level job sections outside the schema (`JobFields`) that each step reads: a job keeps
/// such sections for the steps that use them, and `--explain` says which step uses each.
///
/// A static list for now; it belongs on the steps themselves once they are types of their own.
public enum StepJobSections {
    /// By step name: the sections it reads.
    public static let byStep: [String: [String]] = [
        StepPlan.collect.name: ["input"],
        StepPlan.website.name: ["http", "enrich"],
        StepPlan.contacts.name: ["http", "enrich"],
        StepPlan.sitemap.name: ["http", "enrich", "sitemap"],
        StepPlan.social.name: ["http", "enrich"],
    ]

    /// The steps among `steps` that read `section`, in their order.
    public static func readers(of section: String, among steps: [PipelineStep]) -> [String] {
        steps.map(\.name).filter { byStep[$0]?.contains(section) == true }
    }

    /// One line per section of `job.otherSections` for `--explain`: the steps of this run that
    /// read it, else those of another profile, else none (with the schema field it may be a
    /// misspelling of); and the same as a map `section -> [step]`. `inputGiven`: `--input` replaces
    /// the job's `input`.
    static func explain(_ job: JobSpec, steps: [PipelineStep], inputGiven: Bool) -> (lines: [String], map: StructuredMap) {
        var lines: [String] = []
        var map = StructuredMap()
        let everyStep = JobProfile.allCases.flatMap { StepPlan.steps(for: $0) }
        for section in job.otherSections.keys {
            let readers = Self.readers(of: section, among: steps)
            map[section] = .array(readers.map(StructuredValue.string))
            if !readers.isEmpty {
                let replaced = section == "input" && inputGiven ? " (--input given: not used)" : ""
                lines.append("\(section): read by \(readers.joined(separator: ", "))\(replaced)")
                continue
            }
            var elsewhere: [String] = []
            for name in Self.readers(of: section, among: everyStep) where !elsewhere.contains(name) { elsewhere.append(name) }
            if !elsewhere.isEmpty {
                lines.append("\(section): read by \(elsewhere.joined(separator: ", ")), not in this profile: kept, unused")
            } else {
                let suggestion = suggestName(for: section, among: JobFields.topLevel).map { " (did you mean \($0)?)" } ?? ""
                lines.append("\(section): read by no step: kept, unused\(suggestion)")
            }
        }
        return (lines, map)
    }
}
