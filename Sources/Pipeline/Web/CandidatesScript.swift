import Basics
import LuaRuntime
import WebPages

/// The team's own source of sites (`website_candidates: "file.lua"` in the job), e.g. a call to
/// its CRM. The script returns a table with a function `candidates(row)`:
///
/// ```lua
/// return {
///   candidates = function(row)   -- row.siren, row.siret, row.nom_complet, row.denomination,
///                                -- row.enseigne, row.code_postal, row.ville, row.naf_code
///     if row.siren == "552100554" then return {"https://www.exemple.fr"} end
///     return nil                 -- or a string, or a list of strings
///   end,
/// }
/// ```
///
/// The first address that is an http(s) site (read as `known_sites` values are,
/// `KnownSite.normalise`) is taken as the company's (`site_web_preuve` = `lua`); the others are
/// ignored, and a value that is not an address is logged. It is called in file order, on the
/// run's thread, one row at a time (the Lua state is not shared); `log(level, message)` works as
/// in Lua steps. An error in the script fails the run with its `file:line:` message and the row.
final class CandidatesScript {
    let given: String
    private let state: LuaState
    private let function: LuaFunctionReference
    private let log: StepLog
    private var invalidLogged = 0

    /// The fields of `row`.
    static let fields = ["siren", "siret", "nom_complet", "denomination", "enseigne", "code_postal", "ville", "naf_code"]

    init(given: String, path: String, setup: StepSetup) throws(RunFailure) {
        self.given = given
        log = setup.log
        let name = LuaStep.NameBox()
        name.value = WebsiteStep.stepName
        let fields: [String: LuaTableField]
        do {
            state = try LuaStep.scriptState(file: path, name: name, log: setup.log)
            fields = try state.load(file: path).callForTable(keys: ["candidates"])
        } catch {
            throw RunFailure(.usage, "\(setup.jobPath): field 'website_candidates': \(given): \(error.message)")
        }
        guard case let .function(function)? = fields["candidates"] else {
            throw RunFailure(.usage, "\(setup.jobPath): field 'website_candidates': \(given): the table it returns has no function "
                + "'candidates' (called with each row, returning its site's addresses)")
        }
        self.function = function
        setup.control.onCancel { [handle = state.interruptHandle] in handle.requestInterrupt() }
    }

    /// The site the function gives for `row` (values by `fields`; nil for a null), nil for none.
    func site(for row: [String: String], position: Int) throws(RunFailure) -> WebAddress? {
        var table: [String: LuaValue] = [:]
        for (key, value) in row { table[key] = LuaValue(value) }
        let results: [LuaValue]
        do {
            results = try function.call([.map(table)])
        } catch {
            throw RunFailure(.run, "website_candidates \(given): \(error.message) (row \(position) of the niche"
                + (row["siret"].map { ", siret \($0)" } ?? "") + ")" + (error.traceback.map { "\n" + $0 } ?? ""))
        }
        let values: [LuaValue]
        switch results.first {
        case nil, .nil?: return nil
        case let .string(text)?: values = [.string(text)]
        case let value?: values = value.arrayValue ?? [value]
        }
        for value in values {
            guard let text = value.stringValue else {
                note("row \(position): expected a string address, got \(value.typeName)")
                continue
            }
            do {
                return try KnownSite.normalise(text)
            } catch {
                note("row \(position): \(error)")
            }
        }
        return nil
    }

    /// Logs a value that is not an address (the first 20).
    private func note(_ message: String) {
        invalidLogged += 1
        if invalidLogged <= 20 { log.log(step: WebsiteStep.stepName, level: "warn", "website_candidates \(given): \(message)") }
    }
}
