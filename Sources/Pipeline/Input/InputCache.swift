import Basics
import Jobs
import NAF

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which rows an input cache keeps: those under one of `include` in `nomenclature`, and only
/// active ones with `activeOnly`. Written by `builder batch` as `filter.json` in the cache
/// directory (the union of its jobs' codes); without that file, the job's own filters.
public struct InputCacheFilter: Sendable, Equatable {
    public let nomenclature: NAFNomenclature
    /// Sorted, without duplicates.
    public let include: [NAFCode]
    public let activeOnly: Bool

    public init(nomenclature: NAFNomenclature, include: [NAFCode], activeOnly: Bool) {
        self.nomenclature = nomenclature
        self.include = Array(Set(include)).sorted()
        self.activeOnly = activeOnly
    }

    public init(job: JobSpec) {
        self.init(nomenclature: job.filters.naf.nomenclature, include: job.filters.naf.include,
                  activeOnly: job.filters.activeOnly)
    }

    /// `filter.json`: `{"naf_nomenclature": "NAFRev2", "naf_include": ["6920Z", "43"], "active_only": true}`.
    /// Nil when there is no such file; a usage error naming the file when it is malformed.
    public static func read(directory: String) throws(RunFailure) -> InputCacheFilter? {
        let path = directory + "/filter.json"
        guard FileSystem.exists(path) else { return nil }
        func bad(_ why: String) -> RunFailure { RunFailure(.usage, "input cache filter \(path): \(why)") }
        let value: StructuredValue
        do {
            value = try JSON.decode(try FileSystem.readText(path))
        } catch {
            throw bad("\(error)")
        }
        guard let nomenclatureName = value["naf_nomenclature"]?.stringValue,
              let nomenclature = NAFNomenclature(rawValue: nomenclatureName) else {
            throw bad("expected \"naf_nomenclature\": \"NAFRev2\" or \"NAF2025\"")
        }
        guard let codes = value["naf_include"]?.arrayValue, !codes.isEmpty else {
            throw bad("expected \"naf_include\": a non-empty list of NAF codes")
        }
        var include: [NAFCode] = []
        for code in codes {
            guard let text = code.stringValue, let parsed = try? NAFCode(parsing: text, nomenclature: nomenclature),
                  parsed.isCompatible(with: nomenclature) else {
                throw bad("\(code) is not a \(nomenclature.rawValue) code")
            }
            include.append(parsed)
        }
        guard case let .bool(activeOnly)? = value["active_only"] else { throw bad("expected \"active_only\": true or false") }
        return InputCacheFilter(nomenclature: nomenclature, include: include, activeOnly: activeOnly)
    }

    /// Whether every row the job can keep is in the cache: same nomenclature, each included
    /// code under a code of the cache, and no state restriction the job does not have.
    public func covers(_ job: JobSpec) -> Bool {
        guard job.filters.naf.nomenclature == nomenclature else { return false }
        if activeOnly && !job.filters.activeOnly { return false }
        return job.filters.naf.include.allSatisfy { code in include.contains { code.compact.hasPrefix($0.compact) } }
    }

    /// A stable description, part of the cache key.
    var canonicalText: String {
        "\(nomenclature.rawValue);\(include.map(\.compact).joined(separator: ","));active=\(activeOnly)"
    }

    /// The job-file shaped filters that build the cache.
    func jobSpec() throws(RunFailure) -> JobSpec {
        do {
            let naf = try NAFFilter(include: include, nomenclature: nomenclature)
            return JobSpec(niche: "input-cache", filters: .init(naf: naf, activeOnly: activeOnly), profile: .quick)
        } catch {
            throw RunFailure(.usage, "input cache filter: \(error)")
        }
    }
}

/// Where the cache of one input lives: `<dir>/input-<key>.parquet`, the key a SHA-256 of the
/// input's identity (absolute path, device, inode, size, modification time), the filter, the
/// layout and the builder version; a changed input or filter gets a new file.
public struct InputCacheLocation: Sendable {
    public let directory: String
    public let filter: InputCacheFilter

    public init(directory: String, filter: InputCacheFilter) {
        self.directory = directory
        self.filter = filter
    }

    public func file(forInput input: String, layout: SireneLayout) throws(RunFailure) -> String {
        let identity = ["builder input cache 1", BuilderVersion.createdBy, try Self.identity(of: input), filter.canonicalText,
                        layout.rawValue]
        let key = SHA256.hex(of: Array(identity.joined(separator: "\n").utf8))
        return directory + "/input-" + key.prefix(24) + ".parquet"
    }

    /// A file's identity, for cache keys: absolute path, device and inode, size, modification time.
    static func identity(of path: String) throws(RunFailure) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw RunFailure(.run, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        #if canImport(Darwin)
        let modified = "\(info.st_mtimespec.tv_sec).\(info.st_mtimespec.tv_nsec)"
        #else
        let modified = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        #endif
        return [FileSystem.absolutePath(path), "\(info.st_dev):\(info.st_ino)", "\(info.st_size)", modified].joined(separator: "\n")
    }
}

/// What happened to the input cache of a run, for the manifest and the log.
public struct InputCacheUse: Sendable {
    public enum Status: String, Sendable {
        /// The cache file existed: the run read it instead of the input.
        case hit
        /// This run built the cache file, then read it.
        case built
        /// The cache could not serve this job: the run read the input.
        case unused
    }

    public let status: Status
    public let path: String?
    public let reason: String?
    /// Rows of the original input read to build the cache.
    public var rowsScanned: Int?
    public var rowsKept: Int?
    public var seconds: Double?
}
