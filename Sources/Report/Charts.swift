/// Numbers in SVG markup.
public enum SVG {
    /// A coordinate or length: rounded to `decimals` decimals, trailing zeros dropped, never in
    /// exponent form, never `-0`; a value that is not finite is written `0`, one beyond ±10¹² is
    /// written as ±10¹² (no drawing is that large).
    public static func number(_ value: Double, decimals: Int = 1) -> String {
        var text: [UInt8] = []
        append(scaled(value, decimals: decimals), decimals: decimals, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// What `number` writes, as an integer: `value` times 10 to the `decimals` (at most 3),
    /// rounded; 0 for a value that is not finite.
    static func scaled(_ value: Double, decimals: Int) -> Int64 {
        guard value.isFinite else { return 0 }
        var scale = 1.0
        for _ in 0..<places(decimals) { scale *= 10 }
        return Int64((min(max(value, -1e12), 1e12) * scale).rounded())
    }

    /// Appends the text of a value `scaled` (see `scaled`) as `number` writes it.
    static func append(_ scaled: Int64, decimals: Int, to text: inout [UInt8]) {
        guard scaled != 0 else {
            text.append(UInt8(ascii: "0"))
            return
        }
        if scaled < 0 { text.append(UInt8(ascii: "-")) }
        var digits = places(decimals)
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        appendDigits(scaled.magnitude / divisor, to: &text)
        var fraction = scaled.magnitude % divisor
        guard fraction > 0 else { return }
        while fraction % 10 == 0 && digits > 0 {
            fraction /= 10
            digits -= 1
        }
        text.append(UInt8(ascii: "."))
        var shown: UInt64 = 1
        for _ in 1..<max(digits, 1) { shown *= 10 }
        // Leading zeros of the fraction.
        while shown > fraction {
            text.append(UInt8(ascii: "0"))
            shown /= 10
        }
        appendDigits(fraction, to: &text)
    }

    private static func places(_ decimals: Int) -> Int { max(0, min(decimals, 3)) }

    private static func appendDigits(_ value: UInt64, to text: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            text.append(contentsOf: buffer[(20 - count)...])
        }
    }
}

/// One bar of a chart: its label, its value (negative values are drawn as 0), and an optional
/// tooltip (the full label when the label is shortened).
public struct ChartItem: Sendable, Equatable {
    public let label: String
    public let value: Int
    public let title: String?

    public init(_ label: String, _ value: Int, title: String? = nil) {
        self.label = label
        self.value = value
        self.title = title
    }
}

/// The small SVG chart kit of the reports: horizontal bars, a histogram, a funnel. Every text is
/// escaped here; every mark stays within the chart's `viewBox`.
public enum Charts {
    /// The longest label drawn in full; longer ones are cut with `…` (the full text is the tooltip).
    static let labelLimit = 42

    static func shortened(_ label: String) -> String {
        label.count <= labelLimit ? label : String(label.prefix(labelLimit - 1)) + "…"
    }

    /// The width of a bar for `value` out of `maximum` in `width` (0 when there is nothing to draw).
    static func length(_ value: Int, of maximum: Int, in width: Double) -> Double {
        guard maximum > 0, value > 0 else { return 0 }
        return width * Double(min(value, maximum)) / Double(maximum)
    }

    /// Horizontal bars: a row per item, its label on the left, the bar, then the value (and its
    /// share of `total` when given).
    public static func bars(_ items: [ChartItem], language: ReportLanguage, total: Int? = nil, width: Double = 680) -> String {
        let rowHeight = 20.0, labelWidth = 270.0, valueWidth = 110.0
        let plot = max(10, width - labelWidth - valueWidth)
        let maximum = items.map(\.value).max() ?? 0
        let height = max(rowHeight, Double(items.count) * rowHeight)
        var svg = "<svg class=\"chart bars\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" "
            + "width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" role=\"img\">"
        for (index, item) in items.enumerated() {
            let y = Double(index) * rowHeight
            let bar = length(item.value, of: maximum, in: plot)
            var value = language.count(item.value)
            if let total, total > 0 { value += " (" + language.percent(Double(item.value) * 100 / Double(total)) + ")" }
            svg += "<g class=\"bar\" data-value=\"\(item.value)\">"
            if let title = item.title ?? (item.label.count > labelLimit ? item.label : nil) {
                svg += "<title>\(HTML.escape(title))</title>"
            }
            svg += "<text x=\"\(SVG.number(labelWidth - 6))\" y=\"\(SVG.number(y + 14))\" text-anchor=\"end\">"
                + HTML.escape(shortened(item.label)) + "</text>"
            svg += "<rect x=\"\(SVG.number(labelWidth))\" y=\"\(SVG.number(y + 3))\" width=\"\(SVG.number(bar))\" height=\"14\"/>"
            svg += "<text class=\"value\" x=\"\(SVG.number(labelWidth + bar + 4))\" y=\"\(SVG.number(y + 14))\">"
                + HTML.escape(value) + "</text></g>"
        }
        return svg + "</svg>"
    }

    /// Vertical bars over ordered bins (a histogram): the value above each bar, the bin's label
    /// below.
    public static func histogram(_ items: [ChartItem], language: ReportLanguage, width: Double = 340, height: Double = 170) -> String {
        let top = 16.0, bottom = 22.0
        let plotHeight = height - top - bottom
        let maximum = items.map(\.value).max() ?? 0
        let slot = items.isEmpty ? width : width / Double(items.count)
        let barWidth = max(1, slot - 4)
        var svg = "<svg class=\"chart histogram\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" "
            + "width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" role=\"img\">"
        svg += "<line x1=\"0\" y1=\"\(SVG.number(top + plotHeight))\" x2=\"\(SVG.number(width))\" y2=\"\(SVG.number(top + plotHeight))\"/>"
        for (index, item) in items.enumerated() {
            let x = Double(index) * slot + 2
            let bar = length(item.value, of: maximum, in: plotHeight)
            svg += "<g class=\"bin\" data-value=\"\(item.value)\"><title>\(HTML.escape(item.title ?? item.label)): "
                + "\(HTML.escape(language.count(item.value)))</title>"
            svg += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(top + plotHeight - bar))\" width=\"\(SVG.number(barWidth))\" "
                + "height=\"\(SVG.number(bar))\"/>"
            if item.value > 0 && items.count <= 12 {
                svg += "<text class=\"value\" x=\"\(SVG.number(x + barWidth / 2))\" y=\"\(SVG.number(top + plotHeight - bar - 3))\" "
                    + "text-anchor=\"middle\">\(HTML.escape(language.count(item.value)))</text>"
            }
            if items.count <= 12 || index % max(1, items.count / 8) == 0 {
                svg += "<text x=\"\(SVG.number(x + barWidth / 2))\" y=\"\(SVG.number(height - 6))\" text-anchor=\"middle\">"
                    + HTML.escape(item.label) + "</text>"
            }
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    /// The funnel: one centred bar per stage, as wide as its share of the first stage (at least a
    /// line when not empty), the stage's name and count beside it. Each stage is a
    /// `<g class="funnel-stage" data-count="N">`.
    public static func funnel(_ items: [ChartItem], language: ReportLanguage, width: Double = 680) -> String {
        let rowHeight = 30.0, labelWidth = 250.0
        let plot = width - labelWidth - 10
        let first = items.first?.value ?? 0
        let height = max(rowHeight, Double(items.count) * rowHeight)
        var svg = "<svg class=\"chart funnel\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" "
            + "width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" role=\"img\">"
        for (index, item) in items.enumerated() {
            let y = Double(index) * rowHeight
            var bar = length(item.value, of: max(first, item.value), in: plot)
            if item.value > 0 { bar = max(bar, 2) }
            let x = labelWidth + (plot - bar) / 2
            let share = first > 0 ? " · " + language.percent(Double(item.value) * 100 / Double(first)) : ""
            svg += "<g class=\"funnel-stage\" data-count=\"\(item.value)\">"
            svg += "<text x=\"\(SVG.number(labelWidth - 8))\" y=\"\(SVG.number(y + 13))\" text-anchor=\"end\">"
                + HTML.escape(shortened(item.label)) + "</text>"
            svg += "<text class=\"value\" x=\"\(SVG.number(labelWidth - 8))\" y=\"\(SVG.number(y + 26))\" text-anchor=\"end\">"
                + HTML.escape(language.count(item.value) + share) + "</text>"
            svg += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y + 4))\" width=\"\(SVG.number(bar))\" height=\"22\"/></g>"
        }
        return svg + "</svg>"
    }
}
