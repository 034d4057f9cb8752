/// The validity of a checked field among the rows exported.
public struct ReportValidity: Sendable {
    /// The checked column (`siret`).
    public let field: String
    public let valid: Int
    public let invalid: Int
    public let missing: Int

    public init(field: String, valid: Int, invalid: Int, missing: Int) {
        self.field = field
        self.valid = valid
        self.invalid = invalid
        self.missing = missing
    }
}

/// A breakdown of the rows (by département, headcount band...): the bars to draw.
public struct ReportDistribution: Sendable {
    public let title: ReportText
    public let items: [ChartItem]
    /// The rows the shares are of.
    public let total: Int

    public init(title: ReportText, items: [ChartItem], total: Int) {
        self.title = title
        self.items = items
        self.total = total
    }
}

/// A score's histogram: ten bins of 0-100.
public struct ReportHistogram: Sendable {
    /// The score column (`quality_score`).
    public let name: String
    public let bins: [ChartItem]

    public init(name: String, bins: [ChartItem]) {
        self.name = name
        self.bins = bins
    }
}

/// The rows with the best scores.
public struct ReportTable: Sendable {
    public let columns: [ReportText]
    /// The columns holding numbers (aligned right).
    public let numeric: Set<Int>
    public let rows: [[String]]

    public init(columns: [ReportText], numeric: Set<Int>, rows: [[String]]) {
        self.columns = columns
        self.numeric = numeric
        self.rows = rows
    }
}

/// Everything `report.html` of a niche shows, as plain values; `html()` writes the page.
public struct NicheReport: Sendable {
    public var language: ReportLanguage
    public var niche: String
    /// The NAF codes of the niche with their labels (`43.29A Travaux d'isolation`).
    public var codes: [String]
    public var facts: [ReportFact]
    public var kpis: [ReportKPI]
    public var funnel: [ChartItem]
    public var validity: [ReportValidity]
    public var distributions: [ReportDistribution]
    public var histograms: [ReportHistogram]
    public var map: MapTally
    public var top: ReportTable
    public var rows: Int
    /// `builder version 0.1.0 · 20260801T083012Z-p4242`.
    public var footer: String

    public init(language: ReportLanguage, niche: String, codes: [String], facts: [ReportFact], kpis: [ReportKPI],
                funnel: [ChartItem], validity: [ReportValidity], distributions: [ReportDistribution],
                histograms: [ReportHistogram], map: MapTally, top: ReportTable, rows: Int, footer: String) {
        self.language = language
        self.niche = niche
        self.codes = codes
        self.facts = facts
        self.kpis = kpis
        self.funnel = funnel
        self.validity = validity
        self.distributions = distributions
        self.histograms = histograms
        self.map = map
        self.top = top
        self.rows = rows
        self.footer = footer
    }

    public func html() -> String {
        let l = language
        var page = HTMLBuffer()
        let title = ReportText.nicheTitle.text(l) + " " + niche
        Page.open(&page, title: title, language: l)
        page.raw("<header>")
        page.element("h1", title)
        for code in codes { page.element("p", code) }
        page.raw("</header>")

        page.raw("<section id=\"niche\">")
        page.element("h2", ReportText.niche.text(l))
        Page.facts(&page, facts, language: l)
        page.raw("</section>")

        page.raw("<section id=\"kpis\">")
        page.element("h2", ReportText.kpis.text(l))
        Page.kpiTable(&page, kpis, language: l)
        page.raw("</section>")

        page.raw("<section id=\"funnel\">")
        page.element("h2", ReportText.funnel.text(l))
        page.raw(Charts.funnel(funnel, language: l))
        page.raw("</section>")

        if !validity.isEmpty {
            page.raw("<section id=\"validity\">")
            page.element("h2", ReportText.validity.text(l))
            page.raw("<table><thead><tr>")
            page.element("th", ReportText.field.text(l))
            for heading in [ReportText.valid, .invalid, .missing] { page.element("th", heading.text(l), attributes: "class=\"number\"") }
            page.raw("</tr></thead><tbody>")
            for row in validity {
                let checked = row.valid + row.invalid
                page.raw("<tr data-field=\"\(HTML.escape(row.field))\">")
                page.element("td", row.field, attributes: "class=\"code\"")
                let rate = checked > 0 ? " (" + l.percent(Double(row.valid) * 100 / Double(checked)) + ")" : ""
                page.element("td", l.count(row.valid) + rate, attributes: "class=\"number\"")
                page.element("td", l.count(row.invalid), attributes: "class=\"number\"")
                page.element("td", l.count(row.missing), attributes: "class=\"number\"")
                page.raw("</tr>")
            }
            page.raw("</tbody></table></section>")
        }

        page.raw("<section id=\"map\">")
        page.element("h2", ReportText.map.text(l))
        page.raw(FranceMap.svg(map, language: l))
        if map.unmapped > 0 {
            page.element("p", l.count(map.unmapped) + " " + ReportText.mapUnmapped.text(l), attributes: "class=\"note\"")
        }
        page.raw("</section>")

        if rows == 0 {
            page.element("p", ReportText.emptyNiche.text(l), attributes: "class=\"note\"")
        }
        if !distributions.isEmpty {
            page.raw("<section id=\"distributions\">")
            page.element("h2", ReportText.distributions.text(l))
            for distribution in distributions where !distribution.items.isEmpty {
                page.raw("<div class=\"distribution\">")
                page.element("h3", distribution.title.text(l))
                page.raw(Charts.bars(distribution.items, language: l, total: distribution.total))
                page.raw("</div>")
            }
            page.raw("</section>")
        }

        if !histograms.isEmpty {
            page.raw("<section id=\"scores\">")
            page.element("h2", ReportText.scores.text(l))
            page.raw("<div class=\"grid\">")
            for histogram in histograms {
                page.raw("<div>")
                page.element("h3", histogram.name, attributes: "class=\"code\"")
                page.raw(Charts.histogram(histogram.bins, language: l))
                page.raw("</div>")
            }
            page.raw("</div></section>")
        }

        if !top.rows.isEmpty {
            page.raw("<section id=\"top\">")
            page.element("h2", ReportText.topRows.text(l))
            page.raw("<table><thead><tr>")
            for (index, column) in top.columns.enumerated() {
                page.element("th", column.text(l), attributes: top.numeric.contains(index) ? "class=\"number\"" : "")
            }
            page.raw("</tr></thead><tbody>")
            for row in top.rows {
                page.raw("<tr>")
                for (index, cell) in row.enumerated() {
                    page.element("td", cell, attributes: top.numeric.contains(index) ? "class=\"number\"" : "")
                }
                page.raw("</tr>")
            }
            page.raw("</tbody></table></section>")
        }
        Page.close(&page, footer: ReportText.generatedBy.text(l) + " " + footer)
        return page.text
    }
}
