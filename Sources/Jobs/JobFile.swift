import Basics
/// Writing job files (`write_job`): the job is checked before anything touches the disk, then
/// written atomically, parent directories created. A symbolic link at the path is replaced by
/// the job file, never written through.
public enum JobFile {
    /// Checks the text of a job, `source` naming it in errors; throws when it is not valid.
    public typealias Check = @Sendable (_ yaml: String, _ source: String) throws -> Void

    /// The job schema alone (`JobSpec`). `write_job` passes the run's full validation instead
    /// (`Pipeline.JobValidation`), which this layer cannot see.
    public static let schemaCheck: Check = { yaml, source in _ = try JobSpec(yaml: yaml, source: source) }

    /// Writes YAML text as it is (less a leading byte-order mark), after `check` accepts it.
    /// Errors name `path`: `JobSpecError` when the job is invalid, `FileError` when the file
    /// cannot be written. Returns the absolute path.
    @discardableResult
    public static func write(yaml: String, to path: String, check: Check = schemaCheck) throws -> String {
        try check(yaml, path)
        return try AtomicFile.write(yaml.withoutByteOrderMark, to: path, followingLinks: false)
    }

    /// Writes a structured job (a Lua table) as YAML, after checking the YAML it becomes.
    @discardableResult
    public static func write(_ job: StructuredValue, to path: String, check: Check = schemaCheck) throws -> String {
        try write(yaml: YAML.encode(job), to: path, check: check)
    }
}
