import Testing
@testable import Report

@Suite struct PageTests {
    func niche(_ language: ReportLanguage, name: String = "naf_43") -> NicheReport {
        var map = MapTally(usesCoordinates: false)
        map.add(departement: "75", point: nil)
        return NicheReport(
            language: language, niche: name, codes: ["43 Travaux <spécialisés>"],
            facts: [ReportFact(.input, "/data/stock & co.parquet")],
            kpis: [ReportKPI(key: "mean_quality_score", label: "Q", value: 49.04, unit: .score, target: 80, met: false)],
            funnel: [ChartItem("read", 10), ChartItem("exported", 1)],
            validity: [ReportValidity(field: "siret", valid: 1, invalid: 0, missing: 0)],
            distributions: [ReportDistribution(title: .byDepartement, items: [ChartItem("75 Paris", 1)], total: 1)],
            histograms: [ReportHistogram(name: "quality_score", bins: [ChartItem("0", 1)])],
            map: map, top: ReportTable(columns: [.colSiret, .colScore], numeric: [1], rows: [["40399193800016", "60"]]),
            rows: 1, footer: "builder version 0.1.0")
    }

    @Test func aNichePageIsSelfContainedAndInItsLanguage() {
        let fr = niche(.fr).html()
        #expect(fr.hasPrefix("<!DOCTYPE html>\n<html lang=\"fr\">"))
        #expect(fr.contains("<h1>Rapport de la niche naf_43</h1>"))
        #expect(fr.contains("Travaux &lt;spécialisés&gt;") && fr.contains("stock &amp; co.parquet"))
        #expect(fr.contains("non atteint"))
        for forbidden in ["<script", "http://", "https://", "@import", "url(", "<link"] { #expect(!fr.contains(forbidden), "\(forbidden)") }
        let en = niche(.en).html()
        #expect(en.contains("<html lang=\"en\">") && en.contains("<h1>Niche report naf_43</h1>") && en.contains("not met"))
    }

    @Test func aNicheNameCannotInjectMarkup() {
        let page = niche(.en, name: "x\"><img src=y>").html()
        #expect(!page.contains("<img") && page.contains("x&quot;&gt;&lt;img src=y&gt;"))
    }

    @Test func theBatchPageListsNichesOverlapsAndFailures() {
        let report = BatchReport(
            language: .en, command: "builder batch --naf 43", options: [("naf", "43, 4329A")],
            summary: [ReportFact(.status, "FAILED")],
            niches: [BatchNiche(niche: "naf_43", code: "43", status: "SUCCESS", rows: 1020, durationSeconds: 1.25, kpis: [],
                                link: "naf_43/report.html", error: nil),
                     BatchNiche(niche: "naf_4329A", code: "43.29A", status: "FAILED", rows: nil, durationSeconds: 0.4, kpis: [],
                                link: nil, error: "invalid filter: <region> 2A")],
            overlaps: [BatchOverlap(first: "naf_43", second: "naf_4329A", shared: 94, firstRows: 1020, secondRows: 94)],
            overlapNote: "note", footer: "builder")
        let page = report.html()
        #expect(page.contains("<a href=\"naf_43/report.html\">Report</a>"))
        #expect(page.contains("invalid filter: &lt;region&gt; 2A"))
        #expect(page.contains("data-shared=\"94\"") && page.contains("naf_4329A (100.0%)"))
        #expect(occurrences(of: "<tr class=\"niche ", in: page) == 2)
        #expect(page.contains("<tr class=\"niche failed\""))
        #expect(!page.contains("<script"))
    }
}
