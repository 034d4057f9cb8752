/// A niche of a batch as its report shows it.
public struct BatchNiche: Sendable {
    public let niche: String
    /// `43.29A` and its label, when known.
    public let code: String
    /// `SUCCESS`, `FAILED`, `TIMEOUT`, `ERROR`, `SKIPPED`.
    public let status: String
    public let rows: Int?
    public let durationSeconds: Double
    public let kpis: [ReportKPI]
    /// The niche's report, relative to the batch's (`naf_43/report.html`), when it exists.
    public let link: String?
    public let error: String?

    public init(niche: String, code: String, status: String, rows: Int?, durationSeconds: Double, kpis: [ReportKPI],
                link: String?, error: String?) {
        self.niche = niche
        self.code = code
        self.status = status
        self.rows = rows
        self.durationSeconds = durationSeconds
        self.kpis = kpis
        self.link = link
        self.error = error
    }
}

/// Two niches sharing establishments.
public struct BatchOverlap: Sendable, Equatable {
    public let first: String
    public let second: String
    public let shared: Int
    public let firstRows: Int
    public let secondRows: Int

    public init(first: String, second: String, shared: Int, firstRows: Int, secondRows: Int) {
        self.first = first
        self.second = second
        self.shared = shared
        self.firstRows = firstRows
        self.secondRows = secondRows
    }
}

/// Everything the batch's `report.html` shows; `html()` writes the page.
public struct BatchReport: Sendable {
    public var language: ReportLanguage
    /// The command line, as typed (words joined with spaces, quoted where needed).
    public var command: String
    public var options: [(name: String, value: String)]
    public var summary: [ReportFact]
    public var niches: [BatchNiche]
    /// Pairs with at least one shared establishment; nil when not computed (`overlapNote` says why).
    public var overlaps: [BatchOverlap]?
    public var overlapNote: String
    public var footer: String

    public init(language: ReportLanguage, command: String, options: [(name: String, value: String)], summary: [ReportFact],
                niches: [BatchNiche], overlaps: [BatchOverlap]?, overlapNote: String, footer: String) {
        self.language = language
        self.command = command
        self.options = options
        self.summary = summary
        self.niches = niches
        self.overlaps = overlaps
        self.overlapNote = overlapNote
        self.footer = footer
    }

    public func html() -> String {
        let l = language
        var page = HTMLBuffer()
        let title = ReportText.batchTitle.text(l)
        Page.open(&page, title: title, language: l)
        page.raw("<header>")
        page.element("h1", title)
        page.raw("</header><section id=\"summary\">")
        page.element("h2", ReportText.batchSummary.text(l))
        Page.facts(&page, summary, language: l)
        page.raw("</section><section id=\"niches\">")
        page.element("h2", ReportText.batchNiches.text(l))
        let kpiColumns = niches.first { !$0.kpis.isEmpty }?.kpis ?? []
        page.raw("<table><thead><tr>")
        page.element("th", ReportText.niche.text(l))
        page.element("th", ReportText.codes.text(l))
        page.element("th", ReportText.status.text(l))
        page.element("th", ReportText.rowsHeading.text(l), attributes: "class=\"number\"")
        for kpi in kpiColumns { page.element("th", kpi.label, attributes: "class=\"number\"") }
        page.element("th", ReportText.duration.text(l), attributes: "class=\"number\"")
        page.element("th", ReportText.report.text(l))
        page.raw("</tr></thead><tbody>")
        for niche in niches {
            page.raw("<tr class=\"niche \(HTML.escape(niche.status.lowercased()))\" data-niche=\"\(HTML.escape(niche.niche))\" "
                + "data-rows=\"\(niche.rows.map(String.init) ?? "")\">")
            page.element("td", niche.niche, attributes: "class=\"code\"")
            page.element("td", niche.code)
            page.element("td", niche.status)
            page.element("td", niche.rows.map(l.count) ?? "–", attributes: "class=\"number\"")
            for column in kpiColumns {
                let value = niche.kpis.first { $0.key == column.key }
                page.element("td", value.map { $0.format($0.value, l) } ?? "–", attributes: "class=\"number\"")
            }
            page.element("td", l.decimal(niche.durationSeconds) + " s", attributes: "class=\"number\"")
            if let link = niche.link {
                page.raw("<td><a href=\"\(HTML.escape(link))\">")
                page.text(ReportText.report.text(l))
                page.raw("</a></td>")
            } else {
                page.raw("<td></td>")
            }
            page.raw("</tr>")
        }
        page.raw("</tbody></table></section>")

        page.raw("<section id=\"overlaps\">")
        page.element("h2", ReportText.overlaps.text(l))
        if let overlaps {
            if overlaps.isEmpty {
                page.element("p", ReportText.overlapNone.text(l))
            } else {
                page.raw("<table><thead><tr>")
                page.element("th", ReportText.niche.text(l))
                page.element("th", ReportText.niche.text(l))
                page.element("th", ReportText.overlapShared.text(l), attributes: "class=\"number\"")
                page.raw("</tr></thead><tbody>")
                for overlap in overlaps {
                    page.raw("<tr class=\"overlap\" data-shared=\"\(overlap.shared)\">")
                    page.element("td", overlap.first + " (" + share(overlap.shared, overlap.firstRows) + ")", attributes: "class=\"code\"")
                    page.element("td", overlap.second + " (" + share(overlap.shared, overlap.secondRows) + ")", attributes: "class=\"code\"")
                    page.element("td", l.count(overlap.shared), attributes: "class=\"number\"")
                    page.raw("</tr>")
                }
                page.raw("</tbody></table>")
            }
        }
        page.element("p", overlapNote, attributes: "class=\"note\"")
        page.raw("</section>")

        page.raw("<section id=\"failures\">")
        page.element("h2", ReportText.failures.text(l))
        let failed = niches.filter { $0.error != nil && $0.status != "SUCCESS" }
        if failed.isEmpty {
            page.element("p", ReportText.noFailures.text(l))
        } else {
            page.raw("<table><thead><tr>")
            page.element("th", ReportText.niche.text(l))
            page.element("th", ReportText.status.text(l))
            page.element("th", ReportText.error.text(l))
            page.raw("</tr></thead><tbody>")
            for niche in failed {
                page.raw("<tr class=\"failure\">")
                page.element("td", niche.niche, attributes: "class=\"code\"")
                page.element("td", niche.status)
                page.element("td", niche.error ?? "", attributes: "class=\"code\"")
                page.raw("</tr>")
            }
            page.raw("</tbody></table>")
        }
        page.raw("</section>")

        page.raw("<section id=\"command\">")
        page.element("h2", ReportText.batchCommand.text(l))
        page.element("p", command, attributes: "class=\"code\"")
        page.element("h3", ReportText.batchOptions.text(l))
        page.raw("<dl class=\"facts\">")
        for option in options {
            page.element("dt", option.name, attributes: "class=\"code\"")
            page.element("dd", option.value, attributes: "class=\"code\"")
        }
        page.raw("</dl></section>")
        Page.close(&page, footer: ReportText.generatedBy.text(l) + " " + footer)
        return page.text
    }

    private func share(_ part: Int, _ whole: Int) -> String {
        whole > 0 ? language.percent(Double(part) * 100 / Double(whole)) : "–"
    }
}
