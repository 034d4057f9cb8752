import Foundation
import Testing
@testable import Report

/// The numbers of every `attribute="..."` in `svg`.
func attributeValues(_ name: String, in svg: String) -> [Double] {
    var values: [Double] = []
    var rest = Substring(svg)
    let marker = " \(name)=\""
    while let range = rest.range(of: marker) {
        rest = rest[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { break }
        if let value = Double(rest[..<end]) { values.append(value) }
        rest = rest[end...]
    }
    return values
}

func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

@Suite struct SVGNumberTests {
    @Test func roundsWithoutExponentOrNegativeZero() {
        #expect(SVG.number(12.345) == "12.3")
        #expect(SVG.number(12.35, decimals: 2) == "12.35")
        #expect(SVG.number(2.0) == "2")
        #expect(SVG.number(0.04) == "0")
        #expect(SVG.number(-0.04) == "0")
        #expect(SVG.number(-1.25, decimals: 1) == "-1.3")
        #expect(SVG.number(0.000012, decimals: 3) == "0")
        #expect(SVG.number(1.5e-2, decimals: 3) == "0.015")
        #expect(SVG.number(1e20) == "1000000000000")
        #expect(SVG.number(.nan) == "0")
        #expect(SVG.number(-.infinity) == "0")
        // Leading zeros of the fraction, trailing ones dropped, whole parts of every length.
        #expect(SVG.number(0.005, decimals: 3) == "0.005")
        #expect(SVG.number(-0.05, decimals: 2) == "-0.05")
        #expect(SVG.number(3.0401, decimals: 3) == "3.04")
        #expect(SVG.number(-1000.06, decimals: 3) == "-1000.06")
        #expect(SVG.number(10.1) == "10.1")
        #expect(SVG.number(99.96) == "100")
        #expect(SVG.number(-1e20) == "-1000000000000")
        #expect(SVG.number(7.7, decimals: 0) == "8")
    }

    @Test func formatsCountsAndPercentagesPerLanguage() {
        #expect(ReportLanguage.fr.count(1_234_567) == "1\u{202F}234\u{202F}567")
        #expect(ReportLanguage.en.count(1_234_567) == "1,234,567")
        #expect(ReportLanguage.en.count(-999) == "-999")
        #expect(ReportLanguage.fr.decimal(49.045, digits: 2) == "49,05" || ReportLanguage.fr.decimal(49.045, digits: 2) == "49,04")
        #expect(ReportLanguage.en.decimal(0.5, digits: 2) == "0.50")
        #expect(ReportLanguage.en.decimal(-2.25, digits: 1) == "-2.3")
        #expect(ReportLanguage.fr.percent(12.5) == "12,5\u{202F}%")
        #expect(ReportLanguage.en.percent(100) == "100.0%")
        #expect(ReportLanguage(code: "en") == .en && ReportLanguage(code: "de") == .fr)
    }

    @Test func everyTextHasBothLanguages() {
        for text in ReportText.allCases {
            let entry = ReportText.table[text]
            #expect(entry != nil, "\(text) has no entry")
            #expect(!(entry?.fr.isEmpty ?? true) && !(entry?.en.isEmpty ?? true), "\(text)")
        }
        #expect(ReportText.funnel.text(.fr) == "Entonnoir" && ReportText.funnel.text(.en) == "Funnel")
    }
}

@Suite struct ChartTests {
    @Test func barsStayInsideTheChartAndClampNegativeValues() {
        let items = [ChartItem("a", 10), ChartItem("b", 5), ChartItem("c", -3), ChartItem("d", 0)]
        let svg = Charts.bars(items, language: .en, total: 15, width: 680)
        let widths = attributeValues("width", in: svg).dropFirst() // the svg's own width first
        #expect(widths.count == 4)
        #expect(widths.allSatisfy { $0 >= 0 && $0 <= 680 - 270 - 110 })
        #expect(widths.first == 300)
        #expect(widths.dropFirst().first == 150)
        #expect(widths.dropFirst(2).allSatisfy { $0 == 0 })
        #expect(svg.contains("10 (66.7%)"))
    }

    @Test func emptyAndAllZeroChartsDrawNothingOutOfBounds() {
        for svg in [Charts.bars([], language: .fr), Charts.histogram([], language: .fr), Charts.funnel([], language: .fr),
                    Charts.histogram([ChartItem("0", 0), ChartItem("10", 0)], language: .fr)] {
            #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
            #expect(!svg.contains("nan") && !svg.contains("inf"))
            #expect(attributeValues("height", in: svg).allSatisfy { $0 >= 0 })
        }
    }

    @Test func labelsAreEscapedAndLongOnesShortenedWithATooltip() {
        let long = String(repeating: "x", count: 60) + "<script>"
        let svg = Charts.bars([ChartItem("<b>&", 1), ChartItem(long, 2)], language: .en)
        #expect(svg.contains("&lt;b&gt;&amp;"))
        #expect(!svg.contains("<script>") && !svg.contains("<b>"))
        #expect(svg.contains("<title>" + String(repeating: "x", count: 60) + "&lt;script&gt;</title>"))
        #expect(svg.contains(String(repeating: "x", count: 41) + "…"))
    }

    @Test func histogramBarsFitThePlot() {
        let bins = (0..<10).map { ChartItem(String($0 * 10), $0 * $0) }
        let svg = Charts.histogram(bins, language: .fr, width: 340, height: 170)
        let ys = attributeValues("y", in: svg)
        let heights = attributeValues("height", in: svg).dropFirst()
        #expect(heights.count == 10 && heights.max() == 170 - 16 - 22)
        #expect(ys.allSatisfy { $0 >= 0 && $0 <= 170 })
    }

    @Test func funnelKeepsEveryStageCountInOrder() {
        let stages = [ChartItem("read", 20_000), ChartItem("matched", 1_020), ChartItem("deduped", 1_000), ChartItem("exported", 0)]
        let svg = Charts.funnel(stages, language: .en)
        #expect(occurrences(of: "class=\"funnel-stage\"", in: svg) == 4)
        #expect(attributeValues("data-count", in: svg) == [20_000, 1_020, 1_000, 0])
        let widths = attributeValues("width", in: svg).dropFirst()
        #expect(widths.first.map { abs($0 - 420) < 0.01 } == true)
        #expect(widths.last == 0)
        // A small stage is still visible.
        #expect(widths.dropFirst(1).first.map { $0 >= 2 } == true)
    }
}
