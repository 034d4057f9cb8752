import Basics

/// Another command to run a job with (`run_job`'s `runner`, `builder batch --runner`): an argument
/// list in which placeholders are substituted and nothing is appended. The one place for its
/// rules: `run_job` runs it, and `batch.lua` checks it before anything is written (through
/// `builder.check_runner`).
///
/// - `{job} {input} {out} {profile} {sample} {workers} {max_ram_mb}` are replaced inside any
///   argument (`--out={out}` too); any other `{name}` is an error;
/// - `{{` and `}}` stand for `{` and `}`, as in job templates (`awk '{{print $1}}'`);
/// - `${NAME}` is left to the shell, and so is any other brace (`sh -c 'f() { :; }'`).
public struct RunnerCommand: Sendable, Equatable {
    public let arguments: [String]

    /// The placeholders, in the documentation's order; each takes the value of the `run_job`
    /// option of the same name (`job`: the job file).
    public static let placeholders = ["job", "input", "out", "profile", "sample", "workers", "max_ram_mb"]

    /// The placeholders that always have a value when a job runs (`run_job` requires `out`).
    public static let alwaysSet: Set<String> = ["job", "out"]

    public init(_ arguments: [String]) {
        self.arguments = arguments
    }

    /// Why a runner cannot run.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            /// No program.
            case empty
            /// `{name}` is not a placeholder (`placeholders` holds every unknown one, in order).
            case unknownPlaceholder = "unknown"
            /// The placeholder's option is not set (`placeholders` holds it).
            case unsetOption = "unset"
        }

        public let kind: Kind
        public let placeholders: [String]
        /// The argument holding the first of `placeholders`.
        public let argument: String?
        public let description: String
    }

    /// The first problem of running with the placeholders in `set` given a value: an empty
    /// command, then unknown placeholders (all of them), then one whose option is not set. Nil
    /// when the command can run.
    public func problem(set: Set<String>) -> Problem? {
        guard let program = arguments.first, !program.isEmpty else {
            return Problem(kind: .empty, placeholders: [], argument: nil, description: "the command is empty")
        }
        var unknown: [String] = []
        var firstUnknownArgument: String?
        var unset: (name: String, argument: String)?
        for argument in arguments {
            for case let .placeholder(name, _) in Self.tokens(argument) {
                if !Self.placeholders.contains(name) {
                    if !unknown.contains(name) { unknown.append(name) }
                    if firstUnknownArgument == nil { firstUnknownArgument = argument }
                } else if !set.contains(name) && unset == nil {
                    unset = (name, argument)
                }
            }
        }
        if !unknown.isEmpty {
            let listed = unknown.map { "{\($0)}" }.joined(separator: ", ")
            let known = Self.placeholders.map { "{\($0)}" }.joined(separator: " ")
            return Problem(kind: .unknownPlaceholder, placeholders: unknown, argument: firstUnknownArgument,
                           description: "unknown placeholder\(unknown.count == 1 ? "" : "s") \(listed) in the runner command "
                               + "(known: \(known); ${NAME} is left as it is)")
        }
        if let unset {
            return Problem(kind: .unsetOption, placeholders: [unset.name], argument: unset.argument,
                           description: "runner argument \(unset.argument.debugDescription) uses {\(unset.name)} but the option "
                               + "'\(unset.name)' is not set")
        }
        return nil
    }

    /// The arguments with every placeholder replaced by its value in `values` and the brace
    /// escapes resolved. Throws the problem when there is one (see `problem(set:)`).
    public func substituted(_ values: [String: String]) throws(Problem) -> [String] {
        if let problem = problem(set: Set(values.keys)) { throw problem }
        return arguments.map { argument in
            var result = ""
            for token in Self.tokens(argument) {
                switch token {
                case let .character(scalar): result.unicodeScalars.append(scalar)
                case let .placeholder(name, _): result += values[name] ?? ""
                }
            }
            return result
        }
    }

    private static func tokens(_ argument: String) -> [TemplateToken] {
        TemplateTokens(argument, shellVariables: true).tokens
    }
}
