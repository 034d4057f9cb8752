import AtomicOutput

// The writer's output is an `AtomicOutputFile` (written beside the destination, renamed into
// place by `close()`); its failures reach the caller as `ParquetError`s naming the file.

extension ParquetError {
    /// An output-file failure: `.io` with the system's message, or `.invalidArgument` for a
    /// path that names a directory.
    init(_ error: AtomicOutputError) {
        self.init(error.step == .pathNamesDirectory ? .invalidArgument : .io, error.message, file: error.path)
    }
}

/// Runs `body` (operations on the output file), turning its failure into a `ParquetError`.
@inline(__always)
func writingOutput<T>(_ body: () throws(AtomicOutputError) -> T) throws(ParquetError) -> T {
    do {
        return try body()
    } catch {
        throw ParquetError(error)
    }
}
