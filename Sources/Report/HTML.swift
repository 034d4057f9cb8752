/// Text made safe for an HTML (or inline SVG) document: the one escaping rule of the reports,
/// for element content and quoted attribute values alike. Every text that comes from data (names,
/// codes, paths, error messages) goes through `HTML.escape` exactly once, where the page is built.
public enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as character references; NUL and the other C0 controls but tab,
    /// line feed and carriage return (which HTML and SVG refuse) as U+FFFD.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

/// A page being written: HTML text appended in order. `text` escapes, `raw` is for markup the
/// report itself writes.
struct HTMLBuffer {
    private(set) var text = ""

    init() { text.reserveCapacity(1 << 16) }

    mutating func raw(_ markup: String) { text += markup }

    mutating func text(_ value: String) { text += HTML.escape(value) }

    /// `<tag attributes>escaped content</tag>`.
    mutating func element(_ tag: String, _ content: String, attributes: String = "") {
        text += "<\(tag)\(attributes.isEmpty ? "" : " " + attributes)>" + HTML.escape(content) + "</\(tag)>"
    }
}
