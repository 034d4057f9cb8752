import Basics
import INSEECodes
import NAF
import Report

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a run's manifest (`RunDescription.manifest`) and the rows' tally into the niche's report.
enum NicheReportContent {
    /// Bars drawn per distribution; the rest are summed in "Others".
    static let distributionBars = 15

    static func report(manifest: StructuredValue, tally: NicheReportTally, language: ReportLanguage) -> NicheReport {
        let labels: LabelLanguage = language == .en ? .en : .fr
        let filters = manifest["filters"]
        let nomenclature = NAFNomenclature(rawValue: filters?["naf_nomenclature"]?.stringValue ?? "") ?? .rev2
        let codes = strings(filters?["naf_include"]).map { nafLabel($0, nomenclature: nomenclature, language: labels) }
        return NicheReport(
            language: language,
            niche: manifest["job"]?["niche"]?.stringValue ?? "",
            codes: codes,
            facts: facts(manifest, language: language),
            kpis: kpis(manifest["kpis"], language: language),
            funnel: funnel(manifest, language: language),
            validity: tally.columns.validity.enumerated().map { position, flag in
                ReportValidity(field: flag.field, valid: tally.validity[position].valid, invalid: tally.validity[position].invalid,
                               missing: tally.validity[position].missing)
            },
            distributions: distributions(tally, nomenclature: nomenclature, language: language),
            histograms: tally.columns.scores.enumerated().map { position, score in
                ReportHistogram(name: score.name, bins: tally.histograms[position].enumerated().map { bin, count in
                    ChartItem(String(bin * 10), count, title: bin == 9 ? "90–100" : "\(bin * 10)–\(bin * 10 + 9)")
                })
            },
            map: tally.map,
            top: ReportTable(columns: NicheReportTally.topColumns, numeric: [NicheReportTally.topColumns.count - 1],
                             rows: tally.top.map(\.cells)),
            rows: tally.rows,
            footer: [manifest["created_by"]?.stringValue, manifest["run_id"]?.stringValue].compactMap { $0 }.joined(separator: " · "))
    }

    static func strings(_ value: StructuredValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// `43.29A Travaux d'isolation`, or the code alone when the table does not have it.
    static func nafLabel(_ code: String, nomenclature: NAFNomenclature, language: LabelLanguage) -> String {
        guard let found = try? NAFLookup.entry(code, nomenclature: nomenclature) else { return code }
        return found.entry.dotted + " " + found.entry.label(language)
    }

    static func facts(_ manifest: StructuredValue, language: ReportLanguage) -> [ReportFact] {
        let filters = manifest["filters"]
        var parts = ["NAF " + strings(filters?["naf_include"]).joined(separator: ", ")]
        let excluded = strings(filters?["naf_exclude"])
        if !excluded.isEmpty { parts.append(ReportText.excluded.text(language) + " " + excluded.joined(separator: ", ")) }
        if let nomenclature = filters?["naf_nomenclature"]?.stringValue {
            parts.append(ReportText.nafNomenclature.text(language) + " " + nomenclature)
        }
        if let active = filters?["active_only"]?.boolValue {
            parts.append(ReportText.activeOnly.text(language) + language.colon + (active ? ReportText.yes : .no).text(language))
        }
        let regions = strings(filters?["regions"])
        parts.append(ReportText.regions.text(language) + language.colon + (regions.isEmpty ? ReportText.all.text(language) : regions.joined(separator: ", ")))
        if let sample = filters?["sample"]?.integerValue { parts.append(ReportText.sample.text(language) + " " + language.count(Int(sample))) }

        let input = manifest["input"]
        let path = input?["path"]?.stringValue ?? ""
        var inputText = path
        if let format = input?["format"]?.stringValue { inputText += " (" + format }
        if let rows = input?["rows"]?.integerValue { inputText += ", " + language.count(Int(rows)) + " " + ReportText.rows.text(language) }
        if input?["format"] != nil { inputText += ")" }
        var facts = [ReportFact(.filters, parts.joined(separator: " · ")),
                     ReportFact(.profile, manifest["job"]?["profile"]?.stringValue ?? ""),
                     ReportFact(.input, inputText)]
        if let date = modificationDate(path) { facts.append(ReportFact(.inputDate, date)) }
        if let reference = manifest["reference_date"]?.stringValue { facts.append(ReportFact(.referenceDate, reference)) }
        if let run = manifest["run_id"]?.stringValue { facts.append(ReportFact(.runID, run)) }
        return facts
    }

    /// The day (UTC) the file was last modified: the date of the stock.
    static func modificationDate(_ path: String) -> String? {
        var info = stat()
        guard !path.isEmpty, stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let seconds = info.st_mtimespec.tv_sec
        #else
        let seconds = info.st_mtim.tv_sec
        #endif
        return DateCheck.isoText(days: Int32(Int(seconds) / 86_400 - (Int(seconds) % 86_400 < 0 ? 1 : 0)))
    }

    /// The manifest's KPIs, with their targets where the job sets one.
    static func kpis(_ kpis: StructuredValue?, language: ReportLanguage) -> [ReportKPI] {
        guard let map = kpis?.mapValue else { return [] }
        let targets = map["targets"]
        var result: [ReportKPI] = []
        for (key, value) in map where key != "targets" {
            guard let number = value.numberValue else { continue }
            let (label, unit) = kpiLabel(key)
            var target: StructuredValue?
            var comparison = "≥"
            if key == "mean_quality_score" { target = targets?["min_quality_score"] }
            if key == "dup_pct" {
                target = targets?["max_dup_pct"]
                comparison = "≤"
            }
            result.append(ReportKPI(key: key, label: label?.text(language) ?? key, value: number, unit: unit,
                                    target: target?["target"]?.numberValue, comparison: comparison, met: target?["met"]?.boolValue))
        }
        return result
    }

    static func kpiLabel(_ key: String) -> (ReportText?, ReportKPI.Unit) {
        switch key {
        case "rows": (.kpiRows, .count)
        case "dup_pct": (.kpiDupPct, .percent)
        case "mean_quality_score": (.kpiMeanQuality, .score)
        case "mean_completeness": (.kpiMeanCompleteness, .score)
        case "mean_contactability": (.kpiMeanContactability, .score)
        case "mean_freshness": (.kpiMeanFreshness, .score)
        case "pct_siren_valid": (.kpiSirenValid, .percent)
        case "pct_siret_valid": (.kpiSiretValid, .percent)
        case "pct_code_postal_valid": (.kpiPostalValid, .percent)
        case "pct_date_creation_valid": (.kpiCreationValid, .percent)
        case "pct_with_address": (.kpiWithAddress, .percent)
        default: (nil, key.hasPrefix("pct_") || key.hasSuffix("_pct") ? .percent : .score)
        }
    }

    /// Rows read → after each filter of the scan that removed rows but the last → matched →
    /// collected (with `--sample`) → each step that dropped rows → exported.
    static func funnel(_ manifest: StructuredValue, language: ReportLanguage) -> [ChartItem] {
        let counts = manifest["counts"]
        func count(_ key: String) -> Int { Int(counts?[key]?.integerValue ?? 0) }
        var stages = [ChartItem(ReportText.stageRead.text(language), count("rows_read"))]
        // Each filter of the scan that removed rows, with the rows left after it; the last one
        // leaves the matched rows.
        var left = count("rows_read")
        let removing = (counts?["removed_by_filter"]?.mapValue ?? [:]).compactMap { name, removed in
            removed.integerValue.flatMap { $0 > 0 ? (name, Int($0)) : nil }
        }
        for (name, removed) in removing.dropLast() {
            left -= removed
            stages.append(ChartItem(name, left))
        }
        stages.append(ChartItem(ReportText.stageMatched.text(language), count("rows_matched")))
        if manifest["filters"]?["sample"]?.integerValue != nil {
            stages.append(ChartItem(ReportText.stageCollected.text(language), count("rows_collected")))
        }
        for step in manifest["steps"]?.arrayValue ?? [] {
            guard let name = step["name"]?.stringValue, name != CollectStep.stepName, name != ExportStep.stepName,
                  step["status"]?.stringValue == "done",
                  let rowsIn = step["rows_in"]?.integerValue, let rowsOut = step["rows_out"]?.integerValue, rowsOut != rowsIn
            else { continue }
            stages.append(ChartItem(name, Int(rowsOut)))
        }
        stages.append(ChartItem(ReportText.stageExported.text(language), count("rows_exported")))
        return stages
    }

    static func distributions(_ tally: NicheReportTally, nomenclature: NAFNomenclature, language: ReportLanguage) -> [ReportDistribution] {
        let labels: LabelLanguage = language == .en ? .en : .fr
        var result: [ReportDistribution] = []
        if tally.columns.departement != nil {
            result.append(distribution(.byDepartement, tally.departements, total: tally.rows, language: language) { code in
                FranceMap.name(of: code).map { code + " " + $0 } ?? code
            })
        }
        if tally.columns.effectif != nil {
            // INSEE's order of the bands, not by count.
            var items: [ChartItem] = HeadcountBands.all.compactMap { band in
                tally.headcounts.counts[band.code].map { ChartItem(band.code + " " + band.label(labels), $0) }
            }
            let known = Set(HeadcountBands.all.map(\.code))
            let other = tally.headcounts.counts.filter { !known.contains($0.key) }.values.reduce(tally.headcounts.overflow, +)
            if other > 0 { items.append(ChartItem(ReportText.others.text(language), other)) }
            if tally.headcounts.missing > 0 { items.append(ChartItem(ReportText.unknown.text(language), tally.headcounts.missing)) }
            result.append(ReportDistribution(title: .byHeadcount, items: items, total: tally.rows))
        }
        if tally.columns.legalForm != nil {
            result.append(distribution(.byLegalForm, tally.legalForms, total: tally.rows, language: language) { code in
                LegalCategories.category(code).map { code + " " + $0.label(labels) } ?? code
            })
        }
        if tally.columns.creation != nil {
            result.append(ReportDistribution(title: .byCreationYear, items: years(tally, language: language), total: tally.rows))
        }
        if tally.columns.naf != nil {
            let table = NAFTable.table(for: nomenclature)
            result.append(distribution(.byNAF, tally.nafCodes, total: tally.rows, language: language) { code in
                guard let table, let index = table.index(stockValue: code) else { return code }
                return table.entries[index].dotted + " " + table.entries[index].label(labels)
            })
        }
        return result
    }

    /// The `distributionBars` largest counts (ties by value), then others and missing values.
    static func distribution(_ title: ReportText, _ counter: NicheReportTally.Counter, total: Int, language: ReportLanguage,
                             label: (String) -> String) -> ReportDistribution {
        let sorted = counter.counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var items = sorted.prefix(distributionBars).map { ChartItem(label($0.key), $0.value) }
        let others = sorted.dropFirst(distributionBars).reduce(counter.overflow) { $0 + $1.value }
        if others > 0 { items.append(ChartItem(ReportText.others.text(language), others)) }
        if counter.missing > 0 { items.append(ChartItem(ReportText.unknown.text(language), counter.missing)) }
        return ReportDistribution(title: title, items: items, total: total)
    }

    /// Creation years as bars: the last 20 years one by one, the earlier ones by decade.
    static func years(_ tally: NicheReportTally, language: ReportLanguage) -> [ChartItem] {
        let years = tally.creationYears
        guard let last = years.keys.max() else {
            return tally.creationMissing > 0 ? [ChartItem(ReportText.unknown.text(language), tally.creationMissing)] : []
        }
        let recent = last - 19
        var decades: [Int: Int] = [:]
        var items: [ChartItem] = []
        for (year, count) in years where year < recent { decades[(year / 10) * 10, default: 0] += count }
        for (decade, count) in decades.sorted(by: { $0.key < $1.key }) {
            items.append(ChartItem("\(decade)–\(min(decade + 9, recent - 1))", count))
        }
        for year in recent...last { items.append(ChartItem(String(year), years[year] ?? 0)) }
        if tally.creationMissing > 0 { items.append(ChartItem(ReportText.unknown.text(language), tally.creationMissing)) }
        return items
    }
}
