import Basics
import Report

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `report.html` (see `DatasetReportWriter`).
enum HTMLReportOutput: OutputFormat {
    static let name = "html"
    static let fileName = "report.html"
    static let summary = "one self-contained page: KPIs, funnel, distributions, map, top rows"

    static func open(stagedPath: String, schema: BatchSchema, settings: OutputSettings) throws -> DatasetFileWriter {
        DatasetReportWriter(stagedPath: stagedPath, schema: schema, language: ReportLanguage(code: settings.output.lang))
    }
}

/// `report.html`: the niche's report for a sales team (docs/run-profile.md), one self-contained
/// HTML file. The rows are tallied as they come (`NicheReportTally`, bounded memory); the page is
/// written at `close`, from the tally and the run's manifest.
final class DatasetReportWriter: DatasetFileWriter {
    let fileName = HTMLReportOutput.fileName
    let stagedPath: String
    private var tally: NicheReportTally
    private var written = false
    private let digest = WrittenDigest()
    /// Taken from the page as it is written (not read back from the file).
    var sha256: String? { digest.hex }

    init(stagedPath: String, schema: BatchSchema, language: ReportLanguage) {
        self.stagedPath = stagedPath
        tally = NicheReportTally(schema: schema, language: language)
    }

    func write(_ batch: RecordBatch) throws {
        tally.add(batch)
    }

    func close(_ run: RunDescription) throws {
        let language = ReportLanguage(code: run.language)
        let report = NicheReportContent.report(manifest: run.manifest, tally: tally, language: language)
        let page = Array(report.html().utf8)
        written = true
        try AtomicFile.write(page, to: stagedPath, followingLinks: false, syncsDirectory: OutputDirectory.stagedFilesSyncDirectory)
        page.withUnsafeBytes(digest.update)
        digest.finish()
    }

    func discard() {
        if written { unlink(stagedPath) }
    }
}
