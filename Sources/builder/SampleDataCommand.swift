import ArgumentParser
import CSV
import Basics
import Jobs
import Parquet
import Pipeline

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SampleDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-data",
        abstract: "Write a synthetic SIRENE-shaped file.",
        discussion: """
            Writes N rows shaped like INSEE's StockEtablissement (54 columns, in order): \
            Luhn-valid SIREN/SIRET, NAF codes with a long-tailed skew, about 38% active rows, \
            partially diffusible rows with [ND], Corsican and overseas communes, Lambert \
            coordinates that are real points of the commune's département in its projection \
            (Lambert-93, or the overseas UTM zone), nulls where the real file has them. The same \
            seed always gives the same file.

            With --units FILE, also the legal units of those rows (StockUniteLegale, 35 columns): \
            one row per SIREN of the stock, consistent with its establishments (creation date, \
            diffusion, main activity, the siège's NIC); natural persons with first names and \
            names ([ND] when not diffusible), companies with names, sigles, realistic legal forms \
            (categorieJuridiqueUniteLegale as INT64), PME/ETI/GE, ESS and société à mission \
            flags. The stock's rows are the same with or without --units.

            The format follows the extension of --out: .csv writes INSEE's CSV conventions \
            (comma-separated, UTF-8, header row, LF line endings, dates YYYY-MM-DD, timestamps \
            YYYY-MM-DDTHH:MM:SS, true/false, nulls as empty fields). .parquet writes the types of \
            INSEE's Parquet (strings, DATE, TIMESTAMP(MICROS) not adjusted to UTC, INT64, \
            BOOLEAN; every column optional), ZSTD by default like the real file, one row group \
            per --row-group-size rows. Rows are generated and written batch by batch, so memory \
            does not grow with N; the file appears only once complete.

            Ctrl-C, SIGTERM or SIGHUP stops between batches and column chunks and removes the \
            temporary file; a previous file at --out is left as it was.

            Exit status: 0 written, 1 write error, 2 bad usage, 130 interrupted by Ctrl-C, \
            143 by SIGTERM, 129 by SIGHUP, 131 by Ctrl-\\ (nothing written).
            """
    )

    @Option(help: "Number of rows to write (0 to \(SampleStockGenerator.maximumRows)).")
    var rows: Int

    @Option(help: "Output file; its extension chooses the format (.csv or .parquet).")
    var out: String

    @Option(help: "Random seed: the same seed gives the same bytes.")
    var seed: UInt64 = 42

    @Option(help: "Rows generated per batch (and per Parquet row group), 1 to 1048576.")
    var rowGroupSize: Int = 122_880

    @Option(help: "Parquet codec: zstd (default), snappy, gzip or none.")
    var compression: String?

    @Option(help: ArgumentHelp(
        "Also write the legal units of the stock (StockUniteLegale: one row per SIREN, names, legal form, category), "
            + "in the format of this file's extension.", valueName: "FILE"))
    var units: String?

    func run() throws {
        guard rows >= 0 && rows <= SampleStockGenerator.maximumRows else {
            throw usageError("--rows must be between 0 and \(SampleStockGenerator.maximumRows), got \(rows)")
        }
        guard rowGroupSize >= 1 && rowGroupSize <= 1 << 20 else {
            throw usageError("--row-group-size must be between 1 and 1048576, got \(rowGroupSize)")
        }
        for path in [out] + (units.map { [$0] } ?? []) {
            let format = fileExtension(of: path)
            guard format == "csv" || format == "parquet" else {
                let shown = format.isEmpty ? "no extension" : "extension '.\(format)'"
                throw usageError("unsupported output \(shown) in '\(path)' (use .csv or .parquet)")
            }
        }
        if let units, FileSystem.absolutePath(units) == FileSystem.absolutePath(out) {
            throw usageError("--units and --out name the same file: \(out)")
        }
        guard compression == nil || fileExtension(of: out) == "parquet" || units.map({ fileExtension(of: $0) }) == "parquet" else {
            throw usageError("--compression applies to a .parquet output")
        }
        var options = WriterOptions(compression: .zstd, createdBy: BuilderVersion.createdBy)
        switch compression?.lowercased() {
        case nil, "zstd": options.compression = .zstd
        case "snappy": options.compression = .snappy
        case "gzip": options.compression = .gzip
        case "none", "uncompressed": options.compression = .uncompressed
        case let other?: throw usageError("--compression: unknown codec '\(other)' (use zstd, snappy, gzip or none)")
        }
        var parents: [OutputParent] = []
        do {
            parents.append(try OutputParent.prepare(for: out, program: "builder sample-data", option: "--out"))
            if let units { parents.append(try OutputParent.prepare(for: units, program: "builder sample-data", option: "--units")) }
            try generate(options: options)
        } catch {
            // Nothing written: no directory made for it is left behind.
            for parent in parents.reversed() { parent.removeIfUnused() }
            throw error
        }
    }

    private func generate(options: WriterOptions) throws {
        Interruption.install()
        let clock = ContinuousClock()
        let started = clock.now
        var generator = SampleStockGenerator(seed: seed, rows: rows, withUnits: units != nil)
        let progress = ProgressReporter(total: rows)
        var unitRows = 0
        do {
            let stock = try openWriter(out, schema: SireneSchema.stockEtablissement, options: options)
            let unitsWriter = try units.map { try openWriter($0, schema: SireneSchema.stockUniteLegale, options: options) }
            while let batch = generator.nextBatch(maxRows: rowGroupSize) {
                try Interruption.check()
                try stock.write(batch)
                if let unitsWriter, let unitBatch = generator.takeUnits() {
                    try unitsWriter.write(unitBatch)
                    unitRows += unitBatch.rowCount
                }
                progress.report(done: generator.rowsGenerated)
            }
            try Interruption.check()
            try stock.close()
            try unitsWriter?.close()
        } catch let error as CSVError {
            StandardStreams.printError("builder sample-data: \(error)")
            throw ExitCode.failure
        } catch let error as ParquetError {
            StandardStreams.printError("builder sample-data: \(error)")
            throw ExitCode.failure
        } catch is Interruption.Stop {
            throw interrupted()
        }
        let elapsed = clock.now - started
        StandardStreams.printError("sample-data: wrote \(rows) rows to \(out)"
            + (units.map { " and \(unitRows) legal units to \($0)" } ?? "") + " in \(formatSeconds(elapsed))")
    }

    /// A writer of `schema`'s rows to `path`, in the format of its extension.
    private func openWriter(_ path: String, schema: [SireneColumn], options: WriterOptions) throws -> SampleFileWriter {
        if fileExtension(of: path) == "csv" { return try ColumnBatchCSVWriter(path: path, schema: schema) }
        let writer = try ColumnBatchParquetWriter(path: path, schema: schema, options: options)
        writer.writer.checkpoint = Interruption.check
        return writer
    }

    /// The temporary file is gone (the writer was released unclosed).
    private func interrupted() -> ExitCode {
        StandardStreams.printError("builder sample-data: \(Interruption.message)")
        return ExitCode(Interruption.exitStatus)
    }

    private func usageError(_ message: String) -> ExitCode {
        StandardStreams.printError("builder sample-data: \(message)")
        return ExitCode(2)
    }
}

/// Progress lines on stderr for large outputs (500 000 rows or more), about every 10%.
private final class ProgressReporter {
    private let total: Int
    private var nextReport: Int

    init(total: Int) {
        self.total = total
        nextReport = total >= 500_000 ? total / 10 : Int.max
    }

    func report(done: Int) {
        guard done >= nextReport, done < total else { return }
        while nextReport <= done { nextReport += total / 10 }
        StandardStreams.printError("sample-data: \(done)/\(total) rows (\(done * 100 / total)%)")
    }
}

private func fileExtension(of path: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return name[name.index(after: dot)...].lowercased()
}

private func formatSeconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let tenths = attoseconds / 100_000_000_000_000_000
    return "\(seconds).\(tenths) s"
}
