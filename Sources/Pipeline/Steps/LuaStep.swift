import Basics
import Columns
import LuaRuntime

/// A team's own step, in Lua: `{lua: "steps/my_score.lua"}` in a job's `steps:` list (the path
/// relative to the job file). The script returns a table:
///
/// ```lua
/// return {
///   name = "team.score",                 -- optional; default "lua:<path>"
///   summary = "what it does",            -- optional, for --explain
///   columns = {{name = "team_score", type = "integer"}},  -- what it adds (types: text, date,
///                                        -- boolean, integer, number); or {team_score = "integer"}
///   reads = {"denomination", "effectif"},  -- optional: the columns `row` sees (default: every
///                                        -- output column before it)
///   row = function(row) ... end,         -- once per row: read row.<column>, set the added
///                                        -- columns; return false to drop the row
///   finish = function() ... end,         -- optional: after the last row
/// }
/// ```
///
/// `row` is called in file order, one row at a time, on one Lua state (rows stream through in
/// batches: memory stays that of one batch). Values are Lua strings (text, dates as
/// `YYYY-MM-DD`), integers, floats, booleans, or nil for a null. `log(level, message)`
/// (`debug`, `info`, `warn`, `error`) prints a line and records it in the run's log. An error in
/// the script fails the run with its `file:line:` message, the row's position in the niche and
/// its SIRET. Ctrl-C stops a script that loops.
final class LuaStep: PipelineStep {
    let name: String
    let summary: String
    let execution = StepExecution.inOrder
    let dropsRows = true
    private(set) var reads: [String]
    let adds: [ColumnSpec]
    /// The script as given in the job (messages).
    let path: String
    private let readsGiven: Bool
    private let state: LuaState
    private let rowFunction: LuaFunctionReference
    private let finishFunction: LuaFunctionReference?
    private let jobPath: String
    private let control: RunControl
    private var readIndices: [Int] = []
    private var readTypes: [ColumnType] = []
    private var addIndices: [Int] = []
    private var siretIndex: Int?
    /// Rows this step has seen so far (the position of the next one in the niche, from 1).
    private var rowsSeen = 0
    /// The name `log` lines carry (the script's `name`, known once it has run).
    private let logName = NameBox()

    final class NameBox: @unchecked Sendable {
        var value = ""
    }

    static let columnTypes = ColumnType.allCases.map(\.rawValue).joined(separator: ", ")

    init(path: String, setup: StepSetup) throws(RunFailure) {
        self.path = path
        jobPath = setup.jobPath
        control = setup.control
        logName.value = path
        let file = setup.resolve(path)
        func bad(_ why: String) -> RunFailure { RunFailure(.usage, "\(setup.jobPath): Lua step \(path): \(why)") }
        guard FileSystem.exists(file) else { throw bad("no such file (\(file))") }
        if let kind = InputFileCheck.nonRegularKind(file) { throw bad("not a regular file (\(kind))") }
        let fields: [String: LuaTableField]
        do {
            state = try Self.scriptState(file: file, name: logName, log: setup.log)
            fields = try state.load(file: file).callForTable(keys: ["name", "summary", "columns", "reads", "row", "finish"])
        } catch {
            throw RunFailure(.usage, "\(setup.jobPath): Lua step \(path): \(error.message)")
        }
        guard case let .function(row)? = fields["row"] else {
            throw bad("the table it returns has no function 'row' (called once per row)")
        }
        rowFunction = row
        if case let .function(finish)? = fields["finish"] { finishFunction = finish } else { finishFunction = nil }
        name = try Self.text(fields["name"], "name", bad) ?? "lua:" + path
        logName.value = name
        summary = try Self.text(fields["summary"], "summary", bad) ?? "Lua step \(path)"
        adds = try Self.columns(fields["columns"], bad)
        switch fields["reads"] {
        case nil:
            reads = []
            readsGiven = false
        case let .value(.array(values))?:
            reads = try values.enumerated().map { index, value throws(RunFailure) in
                guard let name = value.stringValue else { throw bad("reads[\(index + 1)]: expected a column name, got \(value.typeName)") }
                return name
            }
            readsGiven = true
        default:
            throw bad("'reads' must be a list of column names")
        }
        setup.control.onCancel { [handle = state.interruptHandle] in handle.requestInterrupt() }
    }

    /// A Lua state for a job's script `file`: its directory first on the module path, and a global
    /// `log(level, message)` that logs as the step `name` says (also used by `website_candidates`).
    static func scriptState(file: String, name: NameBox, log: StepLog) throws(LuaError) -> LuaState {
        let state = try LuaState()
        try state.prependModuleDirectory(LuaState.directory(ofScript: file))
        try state.register([
            LuaHostFunction("log", global: true) { arguments in
                let level = try arguments.string(1, "level")
                guard StepLog.levels.contains(level) else {
                    throw arguments.error(1, "level", "expected one of \(StepLog.levels.joined(separator: ", ")), got '\(level)'")
                }
                log.log(step: name.value, level: level, try arguments.string(2, "message"))
                return []
            },
        ])
        return state
    }

    private static func text(_ field: LuaTableField?, _ key: String, _ bad: (String) -> RunFailure) throws(RunFailure) -> String? {
        switch field {
        case nil: return nil
        case let .value(value)?:
            guard let text = value.stringValue, !text.isEmpty else { throw bad("'\(key)' must be a non-empty string") }
            return text
        case .function?: throw bad("'\(key)' must be a string, not a function")
        }
    }

    /// `columns`: a list of `{name = ..., type = ...}`, or a map from name to type (sorted by name).
    private static func columns(_ field: LuaTableField?, _ bad: (String) -> RunFailure) throws(RunFailure) -> [ColumnSpec] {
        guard case let .value(value)? = field else { return [] }
        var pairs: [(String, String, String)] = []  // name, type, where
        switch value {
        case let .array(entries):
            for (index, entry) in entries.enumerated() {
                guard let name = entry["name"].stringValue, let type = entry["type"].stringValue else {
                    throw bad("columns[\(index + 1)]: expected {name = \"...\", type = \"...\"}")
                }
                pairs.append((name, type, "columns[\(index + 1)]"))
            }
        case let .map(entries):
            for (name, type) in entries.sorted(by: { $0.key < $1.key }) {
                guard let type = type.stringValue else { throw bad("columns.\(name): expected a type name (\(columnTypes))") }
                pairs.append((name, type, "columns.\(name)"))
            }
        default:
            throw bad("'columns' must be a list of {name = ..., type = ...} or a map from name to type")
        }
        var seen = Set<String>()
        return try pairs.map { name, type, place throws(RunFailure) in
            guard name.first.map({ $0.isLetter || $0 == "_" }) == true,
                  name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
                throw bad("\(place): '\(name)' is not a column name (lower-case letters, digits and _)")
            }
            guard let columnType = ColumnType(rawValue: type) else {
                let hint = suggestName(for: type, among: ColumnType.allCases.map(\.rawValue)).map { " (did you mean \($0)?)" } ?? ""
                throw bad("\(place): type '\(type)' is not a column type\(hint); the types are \(columnTypes)")
            }
            guard seen.insert(name).inserted else { throw bad("\(place): column '\(name)' is added twice") }
            return ColumnSpec(name, columnType)
        }
    }

    /// Without `reads`, the step sees every output column the steps before it add.
    func checkReads(_ available: BatchSchema) throws(RunFailure) {
        if !readsGiven { reads = available.exported.map(\.name) }
    }

    func bind(_ schema: BatchSchema) throws(RunFailure) {
        readIndices = reads.compactMap(schema.index(of:))
        readTypes = readIndices.map { schema.columns[$0].type }
        addIndices = adds.compactMap { schema.index(of: $0.name) }
        siretIndex = schema.index(of: StandardColumn.siret.name)
    }

    func process(_ batch: inout RecordBatch, _ counts: inout StepCounts) throws(RunFailure) {
        let call = LuaRowCall(state: state, function: rowFunction, readFields: reads, writtenFields: adds.map(\.name))
        let builder = ColumnsBuilder(kinds: adds.map(\.type.kind), reservingCapacity: batch.rowCount)
        var keep = [Bool](repeating: true, count: batch.rowCount)
        var failure: RunFailure?
        do {
            try call.begin()
        } catch {
            throw RunFailure(.run, "Lua step \(path): \(error.message)")
        }
        defer { call.end() }
        let identity = siretIndex.map { [$0] } ?? []
        batch.withViews(of: readIndices + identity) { views in
            for row in 0..<batch.rowCount {
                guard batch.isKept(row) else {
                    for column in adds.indices { builder.appendNull(column) }
                    continue
                }
                rowsSeen += 1
                for (field, type) in readTypes.enumerated() { set(call, field, type, views[field], row) }
                call.clearWritten()
                do throws(LuaError) {
                    keep[row] = try call.call()
                } catch {
                    if error.kind == .interrupted, let reason = control.cancellationReason {
                        let message = "interrupted (\(reason)) in Lua step \(path); temporary files removed"
                        failure = control.cancellationSignal.map { RunFailure(.interrupted(signal: $0), message) }
                            ?? RunFailure(.run, message)
                        return
                    }
                    let siret = identity.isEmpty ? nil : views[readIndices.count].text(row).map { String(decoding: $0, as: UTF8.self) }
                    failure = RunFailure(.run, error.message + " (row \(rowsSeen) of the niche" + (siret.map { ", siret \($0)" } ?? "")
                        + ")" + (error.traceback.map { "\n" + $0 } ?? ""))
                    return
                }
                for (column, spec) in adds.enumerated() {
                    if let problem = append(call.value(ofWritten: column), spec, column, builder) {
                        failure = RunFailure(.run, "Lua step \(path): row \(rowsSeen) of the niche: column '\(spec.name)' (\(spec.type.rawValue)) "
                            + problem)
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        let columns: [ColumnData]
        do {
            columns = try builder.finish()
        } catch {
            throw RunFailure(.run, "Lua step \(path): column '\(adds[error.column].name)' holds more than 2 GiB of text in one batch")
        }
        for (index, column) in zip(addIndices, columns) { batch.set(index, column) }
        if keep.contains(false) { batch.keep(keep) }
    }

    private func set(_ call: LuaRowCall, _ field: Int, _ type: ColumnType, _ view: ColumnView, _ row: Int) {
        switch type {
        case .text: call.setText(field, view.text(row))
        case .integer: call.setInteger(field, view.integer(row))
        case .number: call.setNumber(field, view.number(row))
        case .boolean: call.setBoolean(field, view.boolean(row))
        case .date:
            if let day = view.date(row) {
                var text = DateCheck.isoText(days: day)
                text.withUTF8 { call.setText(field, UnsafeRawBufferPointer($0)) }
            } else {
                call.setNull(field)
            }
        }
    }

    /// Appends what the script left in an added column; returns the problem when it does not fit.
    private func append(_ value: LuaRowCall.Value, _ spec: ColumnSpec, _ column: Int, _ builder: ColumnsBuilder) -> String? {
        if case .null = value {
            builder.appendNull(column)
            return nil
        }
        switch (spec.type, value) {
        case let (.text, .string(bytes)):
            guard String(validating: bytes, as: UTF8.self) != nil else { return "got a string that is not UTF-8" }
            builder.appendText(column, bytes)
        case let (.text, .integer(number)): builder.appendText(column, Array(String(number).utf8))
        case let (.text, .number(number)): builder.appendText(column, Array(CellText.number(number).utf8))
        case let (.integer, .integer(number)): builder.appendInt64(column, number)
        case let (.integer, .number(number)):
            guard let exact = Int64(exactly: number) else { return "got \(CellText.number(number)), not a whole number" }
            builder.appendInt64(column, exact)
        case let (.number, .number(number)): builder.appendDouble(column, number)
        case let (.number, .integer(number)): builder.appendDouble(column, Double(number))
        case let (.boolean, .boolean(flag)): builder.appendBoolean(column, flag)
        case let (.date, .string(bytes)):
            guard let day = bytes.withUnsafeBytes({ DateCheck.parseISODate($0) }) else {
                return "got \"\(String(decoding: bytes.prefix(40), as: UTF8.self))\", not a date (YYYY-MM-DD)"
            }
            builder.appendInt32(column, day)
        default:
            return "got \(Self.describe(value))"
        }
        return nil
    }

    private static func describe(_ value: LuaRowCall.Value) -> String {
        switch value {
        case .null: "nil"
        case let .boolean(flag): "the boolean \(flag)"
        case let .integer(number): "the integer \(number)"
        case let .number(number): "the number \(CellText.number(number))"
        case let .string(bytes): "the string \"\(String(decoding: bytes.prefix(40), as: UTF8.self))\""
        case let .other(type): "a \(type)"
        }
    }

    func finish(_ counts: inout StepCounts) throws(RunFailure) {
        guard let finishFunction else { return }
        do {
            try finishFunction.callIgnoringResults()
        } catch {
            throw RunFailure(.run, error.message + (error.traceback.map { "\n" + $0 } ?? ""))
        }
    }

    func manifestFields(_ counts: StepCounts) -> StructuredMap {
        ["script": .string(path), "rows_dropped": .integer(Int64(counts.rowsIn - counts.rowsOut))]
    }
}
