/// The candidate closest to a misspelt name, for "did you mean ...?" messages (unknown option
/// keys, unknown command-line flags). Distance is the optimal string alignment distance
/// (insertions, deletions, substitutions and swaps of adjacent characters), ignoring case; a
/// candidate is suggested only within (length + 2) / 3 edits, and the first of equally close
/// candidates wins (`Input` suggests `input`). Returns nil when nothing is close enough or the
/// name is itself a candidate.
public func suggestName(for name: String, among candidates: some Sequence<String>) -> String? {
    let target = Array(name.lowercased())
    let limit = max(1, (target.count + 2) / 3)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        if candidate == name { return nil }
        let distance = editDistance(target, Array(candidate.lowercased()))
        if distance <= limit, distance < (best?.distance ?? .max) {
            best = (candidate, distance)
        }
    }
    return best?.candidate
}

/// Optimal string alignment distance, with three rows of the dynamic-programming table.
private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var distance = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                distance = min(distance, previousPrevious[j - 2] + 1)
            }
            current[j] = distance
        }
        (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[b.count]
}
