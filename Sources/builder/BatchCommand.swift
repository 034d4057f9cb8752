import ArgumentParser
import Scripting

/// `builder batch OPTIONS`: exactly `builder script batch.lua -- OPTIONS` with the embedded
/// `batch.lua`, whose `builder.parse_args` declaration is the one source of the options and of
/// `builder batch --help`.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Generate one job per NAF code and run them one after another (the embedded batch.lua).",
        discussion: "Options: see 'builder batch --help'."
    )

    @Argument(parsing: .captureForPassthrough, help: "Options of batch.lua.")
    var arguments: [String] = []

    static func run(arguments: [String]) -> Int32 {
        ScriptLauncher.runCommand(script: "batch.lua", arguments: arguments, programName: "builder batch")
    }

    func run() throws {
        throw ExitCode(Self.run(arguments: arguments))
    }
}
