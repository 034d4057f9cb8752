/// The frame of a report page: one self-contained HTML file (inline CSS, inline SVG, system
/// fonts, no script, nothing fetched), readable on screen and printed.
enum Page {
    static func open(_ buffer: inout HTMLBuffer, title: String, language: ReportLanguage) {
        buffer.raw("<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"generator\" content=\"builder\">")
        buffer.element("title", title)
        buffer.raw("<style>\(css)</style></head><body>")
    }

    static func close(_ buffer: inout HTMLBuffer, footer: String) {
        buffer.raw("<footer>")
        buffer.text(footer)
        buffer.raw("</footer></body></html>\n")
    }

    /// `<dl>` of label/value pairs.
    static func facts(_ buffer: inout HTMLBuffer, _ facts: [ReportFact], language: ReportLanguage) {
        buffer.raw("<dl class=\"facts\">")
        for fact in facts {
            buffer.element("dt", fact.label.text(language))
            buffer.element("dd", fact.value)
        }
        buffer.raw("</dl>")
    }

    static func kpiTable(_ buffer: inout HTMLBuffer, _ kpis: [ReportKPI], language: ReportLanguage) {
        buffer.raw("<table class=\"kpis\"><thead><tr>")
        for heading in [ReportText.kpi, .value, .target] { buffer.element("th", heading.text(language)) }
        buffer.raw("</tr></thead><tbody>")
        for kpi in kpis {
            buffer.raw("<tr data-kpi=\"\(HTML.escape(kpi.key))\">")
            buffer.element("td", kpi.label)
            buffer.element("td", kpi.format(kpi.value, language), attributes: "class=\"number\"")
            if let target = kpi.target {
                let met = kpi.met.map { $0 ? ReportText.met : .notMet }
                let state = kpi.met.map { $0 ? "met" : "missed" } ?? "unknown"
                buffer.element("td", "\(kpi.comparison) \(kpi.format(target, language))" + (met.map { " · " + $0.text(language) } ?? ""),
                               attributes: "class=\"target \(state)\"")
            } else {
                buffer.element("td", "", attributes: "class=\"target\"")
            }
            buffer.raw("</tr>")
        }
        buffer.raw("</tbody></table>")
    }

    static let css = """
    :root{--ink:#1d2733;--muted:#5b6673;--line:#d8dee6;--accent:#3182bd;--ok:#2e7d32;--bad:#c62828}
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:1100px;padding:24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
    h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:0 0 10px;border-bottom:2px solid var(--accent);padding-bottom:4px}
    h3{font-size:14px;margin:12px 0 6px;color:var(--muted)}
    header p{margin:2px 0;color:var(--muted)}
    section{margin:22px 0}
    .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:10px 24px}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0}
    dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
    table{border-collapse:collapse;width:100%;font-size:13px}
    th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
    th{background:#f3f6f9;font-weight:600}
    td.number,th.number{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    td.target.met{color:var(--ok)}td.target.missed{color:var(--bad)}
    tr.failed td,tr.timeout td,tr.error td{color:var(--bad)}
    svg{max-width:100%;height:auto;display:block}
    svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
    svg .value{fill:var(--muted)}
    .bars rect,.histogram rect{fill:var(--accent)}
    .histogram line{stroke:var(--line)}
    .funnel rect{fill:var(--accent);opacity:.85}
    .map path.dep{stroke:#fff;stroke-width:.6;fill-rule:evenodd}.map path.dep:not(.mark){fill:#eef1f5}
    .map path.dep.mark{stroke:#fff}
    .map circle.mark{fill:#c2410c;fill-opacity:.55}
    .map rect.inset{fill:none;stroke:var(--line)}
    .map .inset-title{fill:var(--muted);font-size:10px}
    .note{color:var(--muted);font-size:12px}
    .code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
    footer{margin-top:28px;padding-top:8px;border-top:1px solid var(--line);color:var(--muted);font-size:12px}
    @page{size:A4;margin:12mm}
    @media print{body{padding:0;max-width:none;font-size:11px}section{break-inside:avoid}h2{break-after:avoid}a{color:inherit;text-decoration:none}}
    """
}

/// A label and its value in the niche's or batch's description.
public struct ReportFact: Sendable {
    public let label: ReportText
    public let value: String

    public init(_ label: ReportText, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// A KPI, its target and whether it is met.
public struct ReportKPI: Sendable {
    public enum Unit: Sendable {
        case count
        case percent
        /// A 0-100 score.
        case score
    }

    /// The manifest's name (`mean_quality_score`).
    public let key: String
    /// Its name for the reader, in the report's language.
    public let label: String
    public let value: Double
    public let unit: Unit
    public let target: Double?
    /// `≥` or `≤`.
    public let comparison: String
    public let met: Bool?

    public init(key: String, label: String, value: Double, unit: Unit, target: Double? = nil, comparison: String = "≥",
                met: Bool? = nil) {
        self.key = key
        self.label = label
        self.value = value
        self.unit = unit
        self.target = target
        self.comparison = comparison
        self.met = met
    }

    func format(_ number: Double, _ language: ReportLanguage) -> String {
        switch unit {
        case .count: language.count(Int(number.rounded()))
        case .percent: language.percent(number, digits: 2)
        case .score: language.decimal(number, digits: 2)
        }
    }
}
