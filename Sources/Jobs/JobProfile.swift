import Basics
/// How much work a job does (docs/run-profile.md): `quick` runs the offline steps; `standard` and
/// `deep` add enrichment steps.
public enum JobProfile: String, Sendable, CaseIterable {
    case quick
    case standard
    case deep
}
