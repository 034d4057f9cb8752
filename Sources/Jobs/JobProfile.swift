import Basics
/// How much work a job does (SPEC section 6): `quick` runs the offline steps; `standard` and
/// `deep` add enrichment steps.
public enum JobProfile: String, Sendable, CaseIterable {
    case quick
    case standard
    case deep
}
