import Basics
import Jobs
import LuaRuntime
import Pipeline

/// `render_template`, `validate_job`, `write_job` and `run_job`: templates to job files to runs.
extension BuilderLibrary {
    static func jobFunctions(_ session: ScriptSession) -> [LuaHostFunction] {
        [
            // render_template(text, vars, opts?) -> string
            LuaHostFunction("builder.render_template", global: true) { args in
                let text = try args.string(1, "text")
                let variables = try templateVariables(args, position: 2)
                let options = try args.options(3, "opts", allowed: ["source", "yaml"])
                let template = JobTemplate(text, source: try options.string("source"))
                let rendered = try options.boolean("yaml") ?? true
                    ? try template.render(variables)
                    : try template.renderText(variables)
                return [LuaValue(rendered)]
            },

            // validate_job(job, source?) -> true | false, message: the run's own checks.
            LuaHostFunction("builder.validate_job") { args in
                let source = try args.optionalString(2, "source")
                do {
                    switch try jobArgument(args, position: 1) {
                    case let .text(yaml): _ = try JobValidation.validate(yaml: yaml, source: source)
                    case let .table(job): _ = try JobValidation.validate(value: job, source: source)
                    }
                    return [true]
                } catch let error as JobSpecError {
                    return [false, LuaValue(error.description)]
                }
            },

            // write_job(path, job) -> absolute path
            LuaHostFunction("builder.write_job", global: true) { args in
                let path = try args.string(1, "path")
                guard !path.isEmpty else { throw args.error(1, "path", "empty path") }
                switch try jobArgument(args, position: 2) {
                case let .text(yaml): return [LuaValue(try JobFile.write(yaml: yaml, to: path, check: runCheck))]
                case let .table(job): return [LuaValue(try JobFile.write(job, to: path, check: runCheck))]
                }
            },

            // check_runner(argv, opts?) -> true | false, message, problem
            LuaHostFunction("builder.check_runner") { args in
                var runner: [String] = []
                for (index, element) in try args.array(1, "argv").enumerated() {
                    guard let word = element.stringValue else {
                        throw args.error(1, "argv", "element \(index + 1): string expected, got \(element.typeName)")
                    }
                    runner.append(word)
                }
                // Without opts only the command itself is checked; with them, also that every
                // placeholder it uses has its option.
                var set = Set(RunnerCommand.placeholders)
                if args.type(2) != .none && args.type(2) != .nil {
                    let options = try args.options(2, "opts", allowed: runJobOptionNames)
                    set = RunnerCommand.alwaysSet.union(options.values.keys.filter { RunnerCommand.placeholders.contains($0) })
                }
                guard let problem = RunnerCommand(runner).problem(set: set) else { return [true] }
                var details: [String: LuaValue] = [
                    "kind": LuaValue(problem.kind.rawValue),
                    "placeholders": .array(problem.placeholders.map { LuaValue($0) }),
                ]
                if let argument = problem.argument { details["argument"] = LuaValue(argument) }
                return [false, LuaValue(problem.description), .map(details)]
            },

            // run_job(job_path, opts) -> result table
            LuaHostFunction("builder.run_job", global: true) { args in
                let job = try args.string(1, "job_path")
                let options = try args.options(2, "opts", allowed: runJobOptionNames)
                let runOptions = try jobRunOptions(options)
                let result = try session.blocking {
                    try session.jobRunner.run(job: job, options: runOptions, cancellation: session.cancellation)
                }
                return [resultTable(result, interrupted: session.interruptSignal != nil)]
            },

            // start_job(job_path, opts) -> id: run_job without waiting (collect with wait_jobs)
            LuaHostFunction("builder.start_job") { args in
                let job = try args.string(1, "job_path")
                let options = try args.options(2, "opts", allowed: runJobOptionNames)
                let runOptions = try jobRunOptions(options)
                // Misuse raises here, as run_job's does, rather than in a result later.
                do {
                    _ = try session.jobRunner.command(job: job, options: runOptions)
                } catch let error as UsageError {
                    throw args.error(1, "job_path", error.description)
                }
                let id = session.jobPool.start(job: job, options: runOptions, runner: session.jobRunner,
                                               cancellation: session.cancellation)
                return [.integer(id)]
            },

            // start_job_group(jobs, opts) -> {id, ...}: jobs ({job_path, out} each) run as one
            // builder run-profile, one scan of the input for all; an id per job, as start_job's
            LuaHostFunction("builder.start_job_group") { args in
                var jobs: [(job: String, out: String)] = []
                for (index, element) in try args.array(1, "jobs").enumerated() {
                    guard let job = element["job_path"].stringValue, let out = element["out"].stringValue else {
                        throw args.error(1, "jobs", "element \(index + 1): {job_path = string, out = string} expected")
                    }
                    jobs.append((job, out))
                }
                let options = try args.options(2, "opts", allowed: runJobOptionNames.filter { $0 != "out" } + ["log_file"])
                guard let logFile = try options.string("log_file") else { throw options.missing("log_file") }
                guard let first = jobs.first else { throw args.error(1, "jobs", "no job") }
                let runOptions = try jobRunOptions(options, out: first.out)
                do {
                    _ = try session.jobRunner.groupCommand(jobs: jobs, options: runOptions)
                } catch let error as UsageError {
                    throw args.error(1, "jobs", error.description)
                }
                let ids = session.jobPool.startGroup(jobs: jobs, options: runOptions, logFile: logFile, runner: session.jobRunner,
                                                     cancellation: session.cancellation)
                return [.array(ids.map { .integer($0) })]
            },

            // wait_jobs(seconds) -> {{id = id, result = result table}, ...}: the jobs that ended
            LuaHostFunction("builder.wait_jobs") { args in
                let seconds = try args.number(1, "seconds")
                guard seconds >= 0, seconds.isFinite else {
                    throw args.error(1, "seconds", "must be a non-negative number, got \(seconds)")
                }
                let ended = session.blocking { session.jobPool.wait(seconds: seconds) }
                let interrupted = session.interruptSignal != nil
                return [.array(ended.map { entry in
                    .map(["id": .integer(entry.id), "result": resultTable(entry.result, interrupted: interrupted)])
                })]
            },

            // job_progress(id) -> {rows_read, rows_total?, rows_kept} | nil
            LuaHostFunction("builder.job_progress") { args in
                let id = try args.integer(1, "id")
                guard let progress = session.jobPool.progress(id) else { return [.nil] }
                return [ValueBridge.lua(progress.structuredValue)]
            },
        ]
    }

    /// What `write_job` checks before writing: what a run checks.
    static let runCheck: JobFile.Check = { yaml, source in _ = try JobValidation.validate(yaml: yaml, source: source) }

    static let runJobOptionNames = ["input", "out", "profile", "sample", "workers", "max_ram_mb", "input_cache", "units",
                                    "offline", "verbose", "timeout", "runner"]

    enum JobArgument {
        case text(String)
        case table(StructuredValue)
    }

    /// A job given as YAML text or as a Lua table (keys written in the job-file order).
    private static func jobArgument(_ args: LuaArguments, position: Int) throws -> JobArgument {
        switch args.type(position) {
        case .string:
            return .text(try args.string(position, "job"))
        case .table:
            do {
                return .table(try ValueBridge.structured(args.value(position, "job"), order: ValueBridge.jobKeyOrder))
            } catch let error as ValueBridge.ConversionError {
                throw args.error(position, "job", error.description)
            }
        default:
            throw args.typeError(position, "job", expected: "string or table")
        }
    }

    private static func templateVariables(_ args: LuaArguments, position: Int) throws -> [String: TemplateValue] {
        var variables: [String: TemplateValue] = [:]
        for (name, value) in try args.map(position, "vars") {
            do {
                variables[name] = try ValueBridge.templateValue(value, name: name)
            } catch {
                throw args.error(position, "vars", error.description)
            }
        }
        return variables
    }

    /// `out`: the output directory when `options` has none (a shared scan's jobs have their own).
    private static func jobRunOptions(_ options: LuaOptions, out given: String? = nil) throws(LuaArgumentError) -> JobRunOptions {
        let out: String
        if let given {
            out = given
        } else if let named = try options.string("out") {
            out = named
        } else {
            throw options.missing("out")
        }
        var runOptions = JobRunOptions(out: out)
        runOptions.input = try options.string("input")
        if let profile = try options.string("profile") {
            guard let value = JobProfile(rawValue: profile) else {
                let names = JobProfile.allCases.map(\.rawValue).joined(separator: ", ")
                throw options.error("profile", "'\(profile)' is not one of \(names)")
            }
            runOptions.profile = value
        }
        runOptions.sample = try limitedInteger(options, RunOptionLimits.sample)
        runOptions.workers = try limitedInteger(options, RunOptionLimits.workers)
        runOptions.maxRAMMB = try limitedInteger(options, RunOptionLimits.maxRAMMB)
        runOptions.inputCache = try options.string("input_cache")
        runOptions.units = try options.string("units")
        runOptions.offline = try options.boolean("offline") ?? false
        runOptions.verbose = try options.boolean("verbose") ?? false
        if let timeout = try options.number(RunOptionLimits.timeout.name) {
            if let problem = RunOptionLimits.timeout.problem(timeout) { throw options.error(RunOptionLimits.timeout.name, problem) }
            runOptions.timeout = .milliseconds(Int64((timeout * 1000).rounded(.up)))
        }
        runOptions.runner = try options.strings("runner")
        if runOptions.runner?.isEmpty == true { throw options.error("runner", "the command is empty") }
        if let runner = runOptions.runner, let problem = RunnerCommand(runner).problem(set: Set(RunnerCommand.placeholders)),
           problem.kind == .unknownPlaceholder {
            throw options.error("runner", problem.description)
        }
        return runOptions
    }

    /// An integer option within its limit (`RunOptionLimits`).
    private static func limitedInteger(_ options: LuaOptions, _ limit: RunOptionLimit) throws(LuaArgumentError) -> Int? {
        guard let value = try options.integer(limit.name) else { return nil }
        if let problem = limit.problem(value) { throw options.error(limit.name, problem) }
        guard let converted = Int(exactly: value) else { throw options.error(limit.name, "\(value) is out of range") }
        return converted
    }

    /// `run_job`'s result table, plus `command` (the argument list that was run). A job
    /// stopped by Ctrl-C says `interrupted`.
    private static func resultTable(_ result: JobResult, interrupted: Bool) -> LuaValue {
        var table = ValueBridge.lua(result.structuredValue)
        if case var .map(fields) = table {
            if interrupted && result.status == .failed && result.error == "cancelled" {
                fields["error"] = "interrupted"
            }
            fields["command"] = .array(result.command.map { LuaValue($0) })
            table = .map(fields)
        }
        return table
    }
}
