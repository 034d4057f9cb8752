import Basics
import LuaRuntime
import Pipeline

/// `builder.report`: the batch's `report.html` (docs: README, "Batch runs").
extension BuilderLibrary {
    static func reportFunctions() -> [LuaHostFunction] {
        [
            // builder.report.batch(path, summary, info?) -> absolute path; summary: the batch's summary
            // table (status, elapsed, results with niche, naf_code, status, output_dir, duration,
            // rows, error); info: command (list of words), options (name -> value), lang
            LuaHostFunction("builder.report.batch") { args in
                let path = try args.string(1, "path")
                guard !path.isEmpty else { throw args.error(1, "path", "empty path") }
                let summary: StructuredValue
                do {
                    summary = try ValueBridge.structured(.map(try args.map(2, "summary")))
                } catch let error as ValueBridge.ConversionError {
                    throw args.error(2, "summary", error.description)
                }
                let info = try args.options(3, "info", allowed: ["command", "options", "lang"])
                let command: [String]
                let options: [(name: String, value: String)]
                do {
                    command = try ValueBridge.structured(info["command"]).arrayValue?.map(text) ?? []
                    let optionMap = try ValueBridge.structured(info["options"]).mapValue
                    options = (optionMap?.keys.sorted() ?? []).map { ($0, text(optionMap?[$0] ?? .null)) }
                } catch let error as ValueBridge.ConversionError {
                    throw args.error(3, "info", error.description)
                }
                guard let results = summary["results"]?.arrayValue else {
                    throw args.error(2, "summary", "field 'results' must be a list of job results")
                }
                let jobs = results.map { result in
                    BatchReportInput.Job(niche: result["niche"]?.stringValue ?? "", nafCode: result["naf_code"]?.stringValue ?? "",
                                         status: result["status"]?.stringValue ?? "", outputDirectory: result["output_dir"]?.stringValue ?? "",
                                         durationSeconds: result["duration"]?.numberValue ?? 0,
                                         rows: result["rows"]?.integerValue.map { Int($0) }, error: result["error"]?.stringValue)
                }
                let input = BatchReportInput(jobs: jobs, command: command, options: options,
                                             status: summary["status"]?.stringValue ?? "", elapsedSeconds: summary["elapsed"]?.numberValue ?? 0,
                                             language: try info.string("lang"))
                return [LuaValue(try BatchReportBuilder.write(input, to: path))]
            },

            // builder.report.overlaps(niches) -> {{first, second, shared}, ...} | nil; niches: {{niche, dir}, ...}
            LuaHostFunction("builder.report.overlaps") { args in
                let niches = try nichePairs(args, position: 1)
                guard let overlaps = BatchReportBuilder.overlapCounts(niches) else { return [.nil] }
                return [.array(overlaps.map { overlap in
                    .map(["first": LuaValue(overlap.first), "second": LuaValue(overlap.second), "shared": .integer(Int64(overlap.shared))])
                })]
            },

            // builder.merge_datasets(dir, niches) -> {rows, files}; niches: {{niche, dir}, ...}
            LuaHostFunction("builder.merge_datasets") { args in
                let directory = try args.string(1, "dir")
                guard !directory.isEmpty else { throw args.error(1, "dir", "empty path") }
                let parts = try nichePairs(args, position: 2).map { MergedDataset.Part(label: $0.niche, directory: $0.outputDirectory) }
                let outcome = try MergedDataset.write(parts, to: directory)
                return [.map(["rows": .integer(Int64(outcome.rows)), "files": .array(outcome.files.map { LuaValue($0) })])]
            },
        ]
    }

    /// A list of `{niche = "naf_43", dir = "out/naf_43"}` tables.
    private static func nichePairs(_ args: LuaArguments, position: Int) throws -> [(niche: String, outputDirectory: String)] {
        try args.array(position, "niches").enumerated().map { index, element in
            guard case let .map(fields) = element, let niche = fields["niche"]?.stringValue, let dir = fields["dir"]?.stringValue else {
                throw args.error(position, "niches", "element \(index + 1): expected {niche = NAME, dir = PATH}")
            }
            return (niche, dir)
        }
    }

    /// An option's value as the report shows it: lists joined with commas, null as empty.
    private static func text(_ value: StructuredValue) -> String {
        switch value {
        case .null: ""
        case let .bool(flag): flag ? "true" : "false"
        case let .integer(number): String(number)
        case let .double(number): String(number)
        case let .string(string): string
        case let .array(elements): elements.map(text).joined(separator: ", ")
        case .map: (try? JSON.encode(value, pretty: false)) ?? ""
        }
    }
}
