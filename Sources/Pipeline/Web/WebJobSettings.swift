import Basics
import Foundation
import Jobs
import WebClient

/// What a job says about web enrichment, read and checked once per run (by the first web step
/// built): the `http` section (how pages are fetched), `known_sites` (the team's file of known
/// sites), `website_candidates` (the team's Lua function) and `guess_domains`. Every error names
/// the job file and the key, as the job's other errors do; `JobValidation` (and so `--dry-run`,
/// `batch --dry-run`, `validate_job`) builds the steps, so it makes the same checks as a run.
struct WebJobSettings {
    /// The keys of the `http` section, in the order `docs/enrichment.md` lists them: the one list
    /// the section is checked against.
    static let httpKeys = ["contact_url", "proxy", "no_proxy", "ca_file", "allow_internal", "delay_s", "concurrency",
                           "connect_timeout_s", "timeout_s", "site_timeout_s", "max_page_bytes", "cache_dir", "cache_days"]
    /// The top-level sections the web steps read.
    static let sections = ["http", "known_sites", "website_candidates", "guess_domains"]

    /// Seconds one establishment may take in one step (`http.site_timeout_s`).
    static let defaultSiteTimeout = 60.0

    var client = WebClientSettings()
    var siteTimeout = WebJobSettings.defaultSiteTimeout
    /// `known_sites`, as written and resolved against the job file.
    var knownSites: (given: String, path: String)?
    /// `website_candidates`, as written and resolved.
    var candidatesScript: (given: String, path: String)?
    var guessDomains = true

    init(_ setup: StepSetup) throws(RunFailure) {
        let job = setup.jobPath
        func bad(_ key: String, _ message: String) -> RunFailure { RunFailure(.usage, "\(job): field '\(key)': \(message)") }
        let others = setup.job.otherSections

        if let value = others["http"], value != .null {
            guard case let .map(section) = value else {
                throw bad("http", "expected a mapping of settings (\(Self.httpKeys.joined(separator: ", "))), got \(Self.describe(value))")
            }
            for key in section.keys where !Self.httpKeys.contains(key) {
                let hint = suggestName(for: key, among: Self.httpKeys).map { "; did you mean \($0)?" } ?? ""
                throw bad("http.\(key)", "unknown field (known: \(Self.httpKeys.joined(separator: ", ")))\(hint)")
            }
            try read(section, setup, bad)
        }
        if setup.options.offline { client.offline = true }

        for key in ["known_sites", "website_candidates"] {
            guard let value = others[key], value != .null else { continue }
            guard case let .string(given) = value, !given.isEmpty, !given.unicodeScalars.contains("\0") else {
                throw bad(key, "expected the path of " + (key == "known_sites" ? "a CSV file (siren or siret, url)" : "a Lua script")
                    + " relative to the job file, got \(Self.describe(value))")
            }
            let path = setup.resolve(given)
            guard FileSystem.exists(path) else { throw bad(key, "no such file \(path)") }
            if let kind = InputFileCheck.nonRegularKind(path) { throw bad(key, "\(path) is not a regular file (\(kind))") }
            if key == "known_sites" { knownSites = (given, path) } else { candidatesScript = (given, path) }
        }
        if let value = others["guess_domains"], value != .null {
            guard case let .bool(flag) = value else { throw bad("guess_domains", "expected true or false, got \(Self.describe(value))") }
            guessDomains = flag
        }
    }

    private mutating func read(_ section: StructuredMap, _ setup: StepSetup,
                               _ bad: (String, String) -> RunFailure) throws(RunFailure) {
        func string(_ key: String) throws(RunFailure) -> String? {
            guard let value = section[key], value != .null else { return nil }
            guard case let .string(text) = value, !text.isEmpty, !text.unicodeScalars.contains("\0") else {
                throw bad("http.\(key)", "expected a non-empty string, got \(Self.describe(value))")
            }
            return text
        }
        /// A number from 0 (or above 0 when `zero` is false) to `maximum`.
        func number(_ key: String, upTo maximum: Double, zero: Bool, unit: String) throws(RunFailure) -> Double? {
            guard let value = section[key], value != .null else { return nil }
            let what = "a number of \(unit) " + (zero ? "from 0" : "above 0") + " to \(Int(maximum))"
            let number: Double
            switch value {
            case let .integer(integer): number = Double(integer)
            case let .double(double): number = double
            default: throw bad("http.\(key)", "expected \(what), got \(Self.describe(value))")
            }
            guard number.isFinite, number <= maximum, zero ? number >= 0 : number > 0 else {
                throw bad("http.\(key)", "expected \(what), got \(Self.describe(value))")
            }
            return number
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws(RunFailure) -> Int? {
            guard let value = section[key], value != .null else { return nil }
            guard case let .integer(integer) = value, range.contains(Int(integer)) else {
                throw bad("http.\(key)", "expected an integer from \(range.lowerBound) to \(range.upperBound), got \(Self.describe(value))")
            }
            return Int(integer)
        }
        let day = 86400.0
        if let url = try string("contact_url") { client.contactURL = url }
        if let proxy = try string("proxy") { client.proxy = proxy.lowercased() == "none" ? .none : .url(proxy) }
        if let value = section["no_proxy"], value != .null {
            switch value {
            case let .string(text): client.noProxy = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            case let .array(items):
                client.noProxy = try items.enumerated().map { index, item throws(RunFailure) in
                    guard case let .string(text) = item, !text.isEmpty else {
                        throw bad("http.no_proxy[\(index)]", "expected a host, domain or address range as a string, got \(Self.describe(item))")
                    }
                    return text
                }
            default:
                throw bad("http.no_proxy", "expected a list of hosts (or one comma-separated string), got \(Self.describe(value))")
            }
        }
        if let file = try string("ca_file") {
            let path = setup.resolve(file)
            guard FileSystem.exists(path) else { throw bad("http.ca_file", "no such file \(path)") }
            client.caFile = path
        }
        if let value = section["allow_internal"], value != .null {
            guard case let .bool(flag) = value else { throw bad("http.allow_internal", "expected true or false, got \(Self.describe(value))") }
            client.allowInternalAddresses = flag
        }
        if let delay = try number("delay_s", upTo: day, zero: true, unit: "seconds") { client.hostDelay = delay }
        if let concurrency = try integer("concurrency", 1...1024) { client.maxConcurrentRequests = concurrency }
        if let seconds = try number("connect_timeout_s", upTo: day, zero: false, unit: "seconds") { client.connectTimeout = seconds }
        if let seconds = try number("timeout_s", upTo: day, zero: false, unit: "seconds") { client.requestTimeout = seconds }
        if let seconds = try number("site_timeout_s", upTo: day, zero: false, unit: "seconds") { siteTimeout = seconds }
        if let bytes = try integer("max_page_bytes", 1024...(1 << 30)) { client.maxPageBytes = bytes }
        if let directory = try string("cache_dir") { client.cacheDirectory = setup.resolve(directory) }
        if let days = try number("cache_days", upTo: 3650, zero: true, unit: "days") { client.cacheDays = days }
    }

    /// `string "1"`, `integer 5`, `a list`: what a value is, for messages.
    static func describe(_ value: StructuredValue) -> String {
        switch value {
        case let .string(text): "string \(text.debugDescription)"
        case let .integer(number): "integer \(number)"
        case let .double(number): "number \(number)"
        case let .bool(flag): "boolean \(flag)"
        default: value.kindName
        }
    }
}
