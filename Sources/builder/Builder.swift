import ArgumentParser
import Jobs

@main
struct Builder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "builder",
        abstract: "Turn the French SIRENE registry into clean lead datasets, one NAF niche per job.",
        version: BuilderVersion.current,
        subcommands: [
            BatchCommand.self,
            ScriptCommand.self,
            CreateJobCommand.self,
            RunProfileCommand.self,
            SampleDataCommand.self,
            InspectCommand.self,
            ConvertCommand.self,
        ]
    )
}

/// Thrown by commands whose implementation has not landed yet.
struct NotImplemented: Error, CustomStringConvertible {
    let command: String
    var description: String { "builder \(command) is not implemented yet" }
}
