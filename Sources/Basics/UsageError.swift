/// A call that cannot be made as written (empty command, bad option): a programming or usage
/// mistake, thrown, as opposed to a job that failed, which is a result.
public struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
