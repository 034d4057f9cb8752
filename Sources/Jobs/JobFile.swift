import Basics
/// Writing job files (SPEC section 7, `write_job`): the job is checked against the schema before
/// anything touches the disk, then written atomically, parent directories created. A symbolic
/// link at the path is replaced by the job file, never written through.
public enum JobFile {
    /// Writes YAML text as it is (less a leading byte-order mark), after checking it decodes as a
    /// valid job. Errors name `path`:
    /// `JobSpecError` when the job is invalid, `FileError` when the file cannot be written.
    /// Returns the absolute path.
    @discardableResult
    public static func write(yaml: String, to path: String) throws -> String {
        _ = try JobSpec(yaml: yaml, source: path)
        return try AtomicFile.write(yaml.withoutByteOrderMark, to: path, followingLinks: false)
    }

    /// Writes a structured job (a Lua table) as YAML, after checking the YAML it becomes.
    @discardableResult
    public static func write(_ job: StructuredValue, to path: String) throws -> String {
        try write(yaml: YAML.encode(job), to: path)
    }
}
