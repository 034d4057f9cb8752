import ArgumentParser
import Foundation
import Basics
import Jobs
import Pipeline

/// `builder run-profile`: the job runner (docs/run-profile.md); the work is `Pipeline.JobRun`.
struct RunProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-profile",
        abstract: "Run one job: filter, clean, score and export a niche.",
        discussion: """
            Reads the SIRENE establishment stock (Parquet or CSV, decided by content; INSEE's \
            column names or the simplified ones), keeps the job's niche (filters.naf_include / \
            naf_exclude, naf_nomenclature, active_only, regions, effectif_min/max, \
            created_after/before, siege_only, diffusible_only, and after the unit join \
            categories_juridiques, categories_entreprise, exclude_file), standardises, checks, \
            de-duplicates and scores the rows, and writes in --out the datasets of the job's \
            output.formats (dataset.csv and dataset.parquet by default; dataset.xlsx), then \
            sha256.txt, logs/<run_id>.jsonl and manifest.json (last). The standard and deep \
            profiles also join the legal units (--units), label the codes in output.lang, add latitude and longitude (WGS84, \
            converted from INSEE's Lambert coordinates with PROJ; docs/run-profile.md), and find \
            each company's web site, proven by its SIREN on its pages, with its e-mail, phone \
            and (deep) social pages: they fetch pages politely through an on-disk cache \
            (docs/enrichment.md; --offline: from the cache only). Files \
            are written under temporary names and renamed when complete. One run at a time \
            writes a directory: a second one fails, or waits with --wait-lock.

            Without --input, the job's top-level 'input:' (relative to the job file) is used; \
            without either, only --explain works. Without --out, the job's output.dir (relative \
            to the current directory, like --out) is used; without either, only --explain and \
            --dry-run work.

            Exit status: 0 done (or --dry-run, --explain); 1 the run failed (unreadable or \
            corrupt input, no NAF column, output not writable or in use by another run, time \
            budget or memory limit exceeded, PROJ without its database); 2 bad usage or job \
            file (nothing read); 130 interrupted by SIGINT, 143 by SIGTERM, 129 by SIGHUP, 131 \
            by SIGQUIT (temporary files removed, previous outputs untouched).

            Several jobs in one scan: repeat --job and --out (one --out per --job, in the same \
            order). The input is read once for all of them; each job writes its own datasets, \
            manifest and log, and succeeds or fails on its own; --json prints one summary per \
            line, in the order of the jobs. The exit status is 0 when every job succeeded, \
            else that of the first job that failed. builder batch runs its jobs this way.
            """
    )

    @Option(help: "The job file (YAML); repeat it to run several jobs in one scan of the input.")
    var job: [String]

    @Option(help: "The output directory (default: the job's output.dir); with several --job, one per job.")
    var out: [String] = []

    @Option(help: "The SIRENE stock: Parquet or CSV.")
    var input: String?

    @Option(help: "quick, standard or deep (default: the job's profile).")
    var profile: String?

    // The numbers are parsed `.unconditional`ly so that "-1" is read as a value (then refused
    // by the range check) rather than as an unknown option leaving the value missing.
    @Option(parsing: .unconditional, help: "Keep only the first N matching rows, in file order.")
    var sample: Int?

    @Option(parsing: .unconditional,
            help: "Threads decoding row groups, \(RunOptionLimits.workers.rangeText) (default: the number of cores).")
    var workers: Int?

    @Option(name: .customLong("max-ram-mb"), parsing: .unconditional,
            help: "Memory limit in MB (default: the job's budgets.ram_mb).")
    var maxRAMMB: Int?

    @Option(name: .customLong("input-cache"), help: ArgumentHelp(
        "Directory of a pre-filtered copy of the input shared by runs (builder batch sets it).",
        discussion: "Its filter.json names the NAF codes kept (default: this job's); built by the first run that needs it."))
    var inputCache: String?

    @Option(help: ArgumentHelp(
        "INSEE's legal units (StockUniteLegale, Parquet or CSV) for the standard and deep profiles' enrich.legal_unit "
            + "(default: the job's units:, relative to the job file).", valueName: "FILE"))
    var units: String?

    @Flag(help: ArgumentHelp("The web steps (standard and deep profiles) answer from the HTTP cache only, making no request.",
                             discussion: "BUILDER_OFFLINE=1 in the environment does the same (docs/enrichment.md)."))
    var offline = false

    @Flag(help: "Print progress and each step's figures on stderr.")
    var verbose = false

    @Flag(help: "Read, filter and count, but write nothing.")
    var dryRun = false

    @Flag(name: .customLong("wait-lock"),
          help: "When another run is writing the same --out, wait for it to finish instead of failing.")
    var waitLock = false

    @Flag(help: "Print the run summary as one JSON object on stdout.")
    var json = false

    @Flag(help: "Print the step plan (and which step reads each extra job section) and exit without reading any row.")
    var explain = false

    /// Where `builder batch` reads each job's summary (JSON Lines, in the order of the jobs).
    @Option(name: .customLong("summaries"), help: .hidden)
    var summaries: String?

    func validate() throws {
        if job.isEmpty { throw ValidationError("Missing expected argument '--job <job>'") }
        if job.count > 1, out.count != job.count, !(out.isEmpty && (explain || dryRun)) {
            throw ValidationError("\(job.count) jobs and \(out.count) --out: give one --out per --job, in the same order")
        }
        if job.count == 1, out.count > 1 { throw ValidationError("one --job and \(out.count) --out: give one --out per --job") }
    }

    func run() throws {
        let outcomes = try runJobs()
        if let summaries {
            let lines = outcomes.map { ((try? JSON.encode($0.summary, pretty: false)) ?? "{}") + "\n" }.joined()
            do {
                try AtomicFile.write(Array(lines.utf8), to: summaries)
            } catch {
                StandardStreams.printError("builder run-profile: cannot write \(summaries): \(error)")
            }
        }
        for outcome in outcomes {
            if json {
                let text = (try? JSON.encode(outcome.summary, pretty: false)) ?? "{}"
                StandardStreams.writeOutput(text + "\n")
            } else if let explanation = outcome.explanation {
                StandardStreams.writeOutput(explanation)
            }
        }
        if let failed = outcomes.first(where: { $0.exitStatus != 0 }) { throw ExitCode(failed.exitStatus) }
    }

    private func runJobs() throws -> [RunOutcome] {
        var options = RunProfileOptions(jobPath: job[0], outputDirectory: out.first)
        options.inputPath = input
        if let profile {
            guard let parsed = JobProfile(rawValue: profile) else {
                StandardStreams.printError("builder run-profile: --profile must be one of quick, standard, deep, got '\(profile)'")
                throw ExitCode(2)
            }
            options.profile = parsed
        }
        options.sample = sample
        options.workers = workers
        options.maxRAMMB = maxRAMMB
        options.inputCache = inputCache
        options.unitsPath = units
        options.offline = offline
        options.verbose = verbose
        options.dryRun = dryRun
        options.waitLock = waitLock
        options.explain = explain

        let control = RunControl()
        SignalForwarder.install { signal in
            control.cancel(reason: ChildProcess.signalName(signal), signal: signal)
        }
        let verbose = self.verbose
        let report: (String) -> Void = { line in
            if verbose || !line.hasPrefix("run-profile: ") { StandardStreams.printError(line) }
        }
        guard job.count > 1 else {
            let outcome = JobRun(options: options, control: control, report: report).execute()
            if let failure = outcome.failure { StandardStreams.printError("builder run-profile: \(failure.message)") }
            return [outcome]
        }
        let each = job.indices.map { index in
            var one = options
            one.jobPath = job[index]
            one.out = out.isEmpty ? nil : out[index]
            one.outputDirectory = one.out ?? ""
            return one
        }
        let outcomes = GroupRun(options: each, control: control, report: report).execute()
        for (path, outcome) in zip(job, outcomes) {
            if let failure = outcome.failure { StandardStreams.printError("builder run-profile: \(path): \(failure.message)") }
        }
        return outcomes
    }
}
