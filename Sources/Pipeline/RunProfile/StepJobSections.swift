import Basics
import Jobs

/// The top-level job sections outside the schema (`JobFields`) and the steps that read them
/// (`PipelineStep.jobSections`): a job keeps such sections for the steps that use them, and
/// `--explain` says which step uses each.
public enum StepJobSections {
    /// The steps among `steps` that read `section`, in their order.
    static func readers(of section: String, among steps: [PipelineStep]) -> [String] {
        steps.filter { $0.jobSections.contains(section) }.map(\.name)
    }

    /// Every registered step, as declared (for their declarations, not for a run).
    static var everyStep: [PipelineStep] {
        let setup = try? StepSetup.placeholder()
        return StepRegistry.all.compactMap { type in setup.flatMap { try? type.init($0) } }
    }

    /// The sections outside the schema some registered step reads (`input`, `http`, ...).
    public static var sectionsRead: Set<String> {
        Set(everyStep.flatMap(\.jobSections)).subtracting(JobFields.topLevel)
    }

    /// One line per section of `job.otherSections` for `--explain`: the steps of this run that
    /// read it, else those of another profile, else none (with the schema field it may be a
    /// misspelling of); and the same as a map `section -> [step]`. `inputGiven`: `--input` replaces
    /// the job's `input`.
    static func explain(_ job: JobSpec, steps: [PipelineStep], inputGiven: Bool) -> (lines: [String], map: StructuredMap) {
        var lines: [String] = []
        var map = StructuredMap()
        let everyStep = Self.everyStep
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
