/// The writer named by `created_by` ("parquet-mr version 1.12.0 (build ...)"), for the
/// workarounds keyed on known writer bugs.
struct WriterVersion {
    let application: String
    /// (major, minor, patch), nil when `created_by` has no parsable version.
    let version: (Int, Int, Int)?

    init(createdBy: String?) {
        let text = createdBy ?? ""
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        application = words.first.map(String.init) ?? ""
        guard words.count >= 3, words[1] == "version" else {
            version = nil
            return
        }
        let numbers = words[2].split(whereSeparator: { !$0.isNumber }).prefix(3).compactMap { Int($0) }
        version = numbers.isEmpty ? nil : (numbers[0], numbers.count > 1 ? numbers[1] : 0, numbers.count > 2 ? numbers[2] : 0)
    }

    /// True when this is `application` at a version before `major.minor.patch` (an unknown
    /// version counts as old).
    func isOlder(_ name: String, than major: Int, _ minor: Int, _ patch: Int) -> Bool {
        guard application == name else { return false }
        guard let version else { return true }
        return (version.0, version.1, version.2) < (major, minor, patch)
    }
}
