import Basics

/// Sizes and numbers as the reports show them.
public enum ReportFormatting {
    /// "12.3 MiB" style sizes.
    public static func byteSize(_ bytes: Int64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : "\(rounded(value, 1)) \(units[unit])"
    }

    /// A non-negative `value` with `digits` decimals.
    public static func rounded(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (max(value, 0) * scale).rounded()
        let whole = Int64(scaled / scale)
        guard digits > 0 else { return String(whole) }
        var fraction = String(Int64(scaled - Double(whole) * scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return "\(whole).\(fraction)"
    }

    /// `text` without leading and trailing spaces.
    public static func trimmedSpaces(_ text: String) -> String {
        var rest = Substring(text)
        while rest.first == " " { rest = rest.dropFirst() }
        while rest.last == " " { rest = rest.dropLast() }
        return String(rest)
    }
}

/// Resolving `--columns a,b,c` against a file's column names.
public enum ColumnSelection {
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// The indices of the named columns, in the order given; all columns when `list` is nil.
    public static func resolve(_ list: String?, available: [String]) -> Result<[Int], Problem> {
        guard let list else { return .success(Array(available.indices)) }
        let names = list.split(separator: ",", omittingEmptySubsequences: false).map { ReportFormatting.trimmedSpaces(String($0)) }
        guard !names.contains(where: \.isEmpty) else {
            return .failure(Problem(description: "--columns: empty column name in '\(list)'"))
        }
        var indices: [Int] = []
        for name in names {
            guard let index = available.firstIndex(of: name) else {
                let hint = suggestName(for: name, among: available).map { " (did you mean '\($0)'?)" } ?? ""
                let listed = available.count <= 60 ? "; the columns are: \(available.joined(separator: ", "))" : ""
                return .failure(Problem(description: "--columns: no column named '\(name)'\(hint)\(listed)"))
            }
            guard !indices.contains(index) else {
                return .failure(Problem(description: "--columns: column '\(name)' is given twice"))
            }
            indices.append(index)
        }
        return .success(indices)
    }
}
