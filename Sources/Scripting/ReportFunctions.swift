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
        ]
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
