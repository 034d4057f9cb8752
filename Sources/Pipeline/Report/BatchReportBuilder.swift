import Basics
import Columns
import INSEECodes
import NAF
import Parquet
import Report

/// What a batch tells its report: its jobs' results, its command line and options.
public struct BatchReportInput: Sendable {
    public struct Job: Sendable {
        public var niche: String
        public var nafCode: String
        /// `SUCCESS`, `FAILED`, `TIMEOUT`, `ERROR`, `SKIPPED`.
        public var status: String
        public var outputDirectory: String
        public var durationSeconds: Double
        public var rows: Int?
        public var error: String?

        public init(niche: String, nafCode: String, status: String, outputDirectory: String, durationSeconds: Double,
                    rows: Int?, error: String?) {
            self.niche = niche
            self.nafCode = nafCode
            self.status = status
            self.outputDirectory = outputDirectory
            self.durationSeconds = durationSeconds
            self.rows = rows
            self.error = error
        }
    }

    public var jobs: [Job]
    /// The command line, word by word (`builder`, `batch`, `--naf`, `43`, ...).
    public var command: [String]
    /// The batch's options, name and value, in the order to show.
    public var options: [(name: String, value: String)]
    /// The batch's status (`SUCCESS`, `FAILED`, `INTERRUPTED`).
    public var status: String
    public var elapsedSeconds: Double
    /// `fr` or `en`; nil: the language of the first niche's job (`output.lang`), else French.
    public var language: String?

    public init(jobs: [Job], command: [String], options: [(name: String, value: String)], status: String,
                elapsedSeconds: Double, language: String?) {
        self.jobs = jobs
        self.command = command
        self.options = options
        self.status = status
        self.elapsedSeconds = elapsedSeconds
        self.language = language
    }
}

/// The batch's `report.html`: a row per niche (its manifest's KPIs when it succeeded), the
/// establishments shared by pairs of niches, the failures, the command and its options.
///
/// Overlaps are exact: each successful niche's SIRETs (14 digits, so one 64-bit integer each) are
/// read from its `dataset.parquet`, sorted, and every pair is intersected by a merge. Memory is 8
/// bytes per row of all the niches together, at most `overlapRowLimit` rows (beyond, overlaps are
/// not computed and the report says so).
public enum BatchReportBuilder {
    public static let overlapRowLimit = 10_000_000
    /// The KPIs shown per niche.
    static let kpiKeys = ["mean_quality_score", "dup_pct"]

    /// Writes the report at `path` (atomically, a symbolic link there is replaced); returns its
    /// absolute path.
    @discardableResult
    public static func write(_ input: BatchReportInput, to path: String) throws -> String {
        let report = build(input, reportDirectory: FileSystem.parentDirectory(of: FileSystem.absolutePath(path)))
        return try AtomicFile.write(report.html(), to: path, followingLinks: false)
    }

    static func build(_ input: BatchReportInput, reportDirectory: String) -> BatchReport {
        var manifests: [String: StructuredValue] = [:]
        for job in input.jobs where job.status == "SUCCESS" {
            let file = job.outputDirectory + "/manifest.json"
            if let text = try? FileSystem.readText(file), let manifest = try? JSON.decode(text) { manifests[job.niche] = manifest }
        }
        let languageCode = input.language ?? input.jobs.lazy.compactMap { manifests[$0.niche]?["job"]?["lang"]?.stringValue }.first ?? "fr"
        let language = ReportLanguage(code: languageCode)
        let labels: LabelLanguage = language == .en ? .en : .fr

        var niches: [BatchNiche] = []
        var totalRows = 0
        for job in input.jobs {
            let manifest = manifests[job.niche]
            let kpis = NicheReportContent.kpis(manifest?["kpis"], language: language).filter { kpiKeys.contains($0.key) }
                .sorted { kpiKeys.firstIndex(of: $0.key) ?? 0 < kpiKeys.firstIndex(of: $1.key) ?? 0 }
            let reportFile = job.outputDirectory + "/" + HTMLReportOutput.fileName
            let hasReport = manifest?["outputs"]?[HTMLReportOutput.fileName] != nil && FileSystem.isRegularFile(reportFile)
            let rows = job.rows ?? manifest?["rows"]?.integerValue.map { Int($0) }
            totalRows += rows ?? 0
            niches.append(BatchNiche(niche: job.niche, code: NicheReportContent.nafLabel(job.nafCode, nomenclature: nomenclature(manifest),
                                                                                          language: labels),
                                     status: job.status, rows: rows, durationSeconds: job.durationSeconds, kpis: kpis,
                                     link: hasReport ? relativeLink(reportFile, from: reportDirectory) : nil, error: job.error))
        }
        let (overlaps, note) = overlaps(input.jobs.filter { manifests[$0.niche] != nil }, language: language)
        let counts = Dictionary(grouping: input.jobs, by: \.status).map { "\($0.value.count) \($0.key)" }.sorted()
        let summary = [ReportFact(.status, input.status),
                       ReportFact(.batchNiches, "\(input.jobs.count) (" + counts.joined(separator: ", ") + ")"),
                       ReportFact(.totalRows, language.count(totalRows)),
                       ReportFact(.duration, language.decimal(input.elapsedSeconds) + " s")]
        return BatchReport(language: language, command: input.command.map(\.shellWord).joined(separator: " "), options: input.options,
                           summary: summary, niches: niches, overlaps: overlaps, overlapNote: note,
                           footer: "builder version " + BuilderVersion.current)
    }

    static func nomenclature(_ manifest: StructuredValue?) -> NAFNomenclature {
        NAFNomenclature(rawValue: manifest?["filters"]?["naf_nomenclature"]?.stringValue ?? "") ?? .rev2
    }

    /// `naf_43/report.html` for a report inside the batch's directory, else the absolute path.
    static func relativeLink(_ file: String, from directory: String) -> String {
        let absolute = FileSystem.absolutePath(file)
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let relative = absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
        // Each path segment percent-encoded where a URL needs it.
        return relative.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            var encoded = ""
            for byte in segment.utf8 {
                let safe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
                encoded += safe ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
            return encoded
        }.joined(separator: "/")
    }

    /// The pairs of niches sharing establishments (`builder batch --merge` reports them), most
    /// shared first, counted as the report counts them; nil past `overlapRowLimit` rows.
    public static func overlapCounts(_ niches: [(niche: String, outputDirectory: String)]) -> [BatchOverlap]? {
        overlaps(niches.map {
            BatchReportInput.Job(niche: $0.niche, nafCode: "", status: "SUCCESS", outputDirectory: $0.outputDirectory,
                                 durationSeconds: 0, rows: nil, error: nil)
        }, language: .en).0
    }

    /// The pairs of niches sharing SIRETs, most shared first, and a note on how they were counted.
    static func overlaps(_ jobs: [BatchReportInput.Job], language: ReportLanguage) -> ([BatchOverlap]?, String) {
        // Only niches whose codes can share an establishment are read (none, for the 88 divisions).
        let codes = jobs.map(nicheCodes)
        var candidates = Set<Int>()
        for first in jobs.indices {
            for second in jobs.indices where second > first && mayOverlap(codes[first], codes[second]) {
                candidates.formUnion([first, second])
            }
        }
        var sets: [(niche: String, sirets: [UInt64])] = []
        var unreadable: [String] = []
        var total = 0
        for (position, job) in jobs.enumerated() where candidates.contains(position) {
            let file = job.outputDirectory + "/" + ParquetOutput.fileName
            let read: [UInt64]?
            do {
                guard FileSystem.isRegularFile(file) else { throw FileError("read", file, reason: "not a regular file") }
                read = try siretNumbers(file, limit: overlapRowLimit - total)
            } catch {
                unreadable.append(job.niche)
                continue
            }
            guard let sirets = read else {
                return (nil, ReportText.overlapTooMany.text(language) + " " + language.count(overlapRowLimit))
            }
            total += sirets.count
            sets.append((job.niche, sirets))
        }
        var result: [BatchOverlap] = []
        let setCodes = Dictionary(uniqueKeysWithValues: jobs.indices.map { (jobs[$0].niche, codes[$0]) })
        for first in sets.indices {
            for second in sets.indices where second > first
                && mayOverlap(setCodes[sets[first].niche] ?? nil, setCodes[sets[second].niche] ?? nil) {
                let shared = intersectionCount(sets[first].sirets, sets[second].sirets)
                if shared > 0 {
                    result.append(BatchOverlap(first: sets[first].niche, second: sets[second].niche, shared: shared,
                                               firstRows: sets[first].sirets.count, secondRows: sets[second].sirets.count))
                }
            }
        }
        result.sort { $0.shared != $1.shared ? $0.shared > $1.shared : ($0.first, $0.second) < ($1.first, $1.second) }
        var note = ReportText.overlapNote.text(language)
        if !unreadable.isEmpty { note += " (" + ParquetOutput.fileName + " ✗ " + unreadable.joined(separator: ", ") + ")" }
        return (result, note)
    }

    /// A niche's included NAF codes and nomenclature, from its manifest (compact, upper case);
    /// nil when unknown.
    static func nicheCodes(_ job: BatchReportInput.Job) -> (nomenclature: String, codes: [String])? {
        guard let text = try? FileSystem.readText(job.outputDirectory + "/manifest.json"), let manifest = try? JSON.decode(text),
              let filters = manifest["filters"], let include = filters["naf_include"]?.arrayValue else { return nil }
        let codes = include.compactMap { $0.stringValue?.uppercased().filter { $0 != "." && $0 != " " } }
        guard codes.count == include.count else { return nil }
        return (filters["naf_nomenclature"]?.stringValue ?? "", codes)
    }

    /// Whether two niches can keep the same establishment: an establishment has one code per
    /// nomenclature, so only when a code of one is a prefix of a code of the other, or when they
    /// filter different nomenclatures (or either is unknown).
    static func mayOverlap(_ first: (nomenclature: String, codes: [String])?, _ second: (nomenclature: String, codes: [String])?) -> Bool {
        guard let first, let second, first.nomenclature == second.nomenclature else { return true }
        return first.codes.contains { one in second.codes.contains { one.hasPrefix($0) || $0.hasPrefix(one) } }
    }

    /// The distinct SIRETs of a dataset, sorted; nil past `limit` rows.
    static func siretNumbers(_ path: String, limit: Int) throws -> [UInt64]? {
        let reader = try ParquetFileReader(path: path)
        guard reader.rowCount <= Int64(max(limit, 0)) else { return nil }
        var numbers: [UInt64] = []
        numbers.reserveCapacity(Int(reader.rowCount))
        for group in 0..<reader.rowGroupCount {
            let values = try reader.readColumn(rowGroup: group, named: "siret")
            guard case let .byteArray(strings) = values.storage else { continue }
            for row in 0..<values.count where !values.isNull(row) {
                var number: UInt64 = 0
                var digits = 0
                for byte in strings[row] {
                    guard byte >= 0x30 && byte <= 0x39 else { digits = -1; break }
                    number = number * 10 + UInt64(byte - 0x30)
                    digits += 1
                }
                if digits == 14 { numbers.append(number) }
            }
        }
        numbers.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(numbers.count)
        for number in numbers where unique.last != number { unique.append(number) }
        return unique
    }

    /// The values in both sorted, distinct lists.
    static func intersectionCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        var i = 0, j = 0, count = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                count += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return count
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
