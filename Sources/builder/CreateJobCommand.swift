import ArgumentParser
import Scripting

/// `builder create-job OUTPUT --naf CODE [--naf ...] [--template T] [--profile P] [--batch]`:
/// the embedded `create_job.lua`, which generates jobs through the same code as `batch.lua`.
struct CreateJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-job",
        abstract: "Generate job files from a template (the embedded create_job.lua).",
        discussion: "Options: see 'builder create-job --help'."
    )

    @Argument(parsing: .captureForPassthrough, help: "OUTPUT and the options of create_job.lua.")
    var arguments: [String] = []

    static func run(arguments: [String]) -> Int32 {
        ScriptLauncher.runCommand(script: "create_job.lua", arguments: arguments, programName: "builder create-job")
    }

    func run() throws {
        throw ExitCode(Self.run(arguments: arguments))
    }
}
