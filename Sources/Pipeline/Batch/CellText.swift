/// A cell as the CSV export writes it, as a String: for messages, keys and scripts (the
/// writers themselves write bytes straight from the columns, the same way).
enum CellText {
    /// The text of `view`'s row `row`; nil for a null.
    static func value(_ view: ColumnView, _ row: Int) -> String? {
        guard !view.isNull(row) else { return nil }
        switch view {
        case .text: return String(decoding: view.textBytes(row), as: UTF8.self)
        case let .date(values, _): return DateCheck.isoText(days: values[row])
        case let .boolean(values, _): return values[row] ? "true" : "false"
        case let .integer(values, _): return String(values[row])
        case let .number(values, _): return number(values[row])
        case .absent: return nil
        }
    }

    /// The text of row `row`, empty for a null.
    static func text(_ view: ColumnView, _ row: Int) -> String { value(view, row) ?? "" }

    /// A decimal number: the shortest text that reads back as the same Double (`48.8566`,
    /// `2.0`, `-0.000123`), never in exponent form.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        let text = "\(value)"
        // A byte search, not Foundation's String.contains: this runs for every number of dataset.csv.
        guard text.utf8.contains(UInt8(ascii: "e")) else { return text }
        // Swift writes 1e-05 for small magnitudes: spell it out.
        guard let exponentIndex = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: exponentIndex)...]) else {
            return text
        }
        var mantissa = String(text[..<exponentIndex])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        var point = parts[0].count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: -point + 1) + digits
            point = 1
        } else if point > digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        }
        var result = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        if result.hasSuffix(".") { result += "0" }
        return (negative ? "-" : "") + result
    }
}
