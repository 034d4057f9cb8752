#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import Basics
import Jobs
import Pipeline

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
            PruneCommand.self,
            SampleDataCommand.self,
            InspectCommand.self,
            ConvertCommand.self,
            NAFCommand.self,
        ]
    )

    /// Commands implemented by Lua scripts take their arguments raw: swift-argument-parser would
    /// otherwise answer `--help` itself and reject the options it does not know, which belong to
    /// the script's own `builder.parse_args` declaration.
    static let scriptCommands: [String: @Sendable ([String]) -> Int32] = [
        BatchCommand.configuration.commandName ?? "batch": BatchCommand.run(arguments:),
        CreateJobCommand.configuration.commandName ?? "create-job": CreateJobCommand.run(arguments:),
        ScriptCommand.configuration.commandName ?? "script": ScriptCommand.run(arguments:),
    ]

    /// The subcommands' names, `help` included.
    static var commandNames: Set<String> {
        Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
    }

    /// `'bach' is not a command (did you mean 'batch'?)`, or the list of commands when none is close.
    static func unknownCommandMessage(_ name: String) -> String {
        let names = commandNames.sorted()
        if let suggestion = suggestName(for: name, among: names) {
            return "'\(name)' is not a command (did you mean '\(suggestion)'?)"
        }
        return "'\(name)' is not a command (commands: \(names.joined(separator: ", ")))"
    }

    static func main() {
        // Ctrl-\ (SIGQUIT) is never a crash report that carries on: the commands that stop
        // cleanly treat it as an interruption (SignalForwarder), the others get its default action
        // back from the Swift runtime's crash reporter (the process ends, 131).
        SignalForwarder.restoreDefaultAction(SIGQUIT)
        StandardStreams.ignoreBrokenPipes()
        MemoryGovernor.configureAllocator()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let name = arguments.first, let run = scriptCommands[name] {
            exitProcess(run(Array(arguments.dropFirst())))
        }
        // `builder help batch` is `builder batch --help`.
        if arguments.count == 2, arguments[0] == "help", let run = scriptCommands[arguments[1]] {
            exitProcess(run(["--help"]))
        }
        // swift-argument-parser answers `help NAME` for an unknown NAME with the general help and
        // status 0, which hides the typo.
        if arguments.count >= 2, arguments[0] == "help", !commandNames.contains(arguments[1]) {
            StandardStreams.printError("builder help: \(unknownCommandMessage(arguments[1]))\nRun 'builder --help' for usage.")
            exitProcess(2)
        }
        // A misspelt command (`builder bach --naf 6920Z`) would otherwise be reported by
        // swift-argument-parser as an unknown option of the root command, naming `--naf`.
        if let name = arguments.first, !name.hasPrefix("-"), !commandNames.contains(name) {
            StandardStreams.printError("builder: \(unknownCommandMessage(name))\nRun 'builder --help' for usage.")
            exitProcess(2)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            // One usage status for the whole program: swift-argument-parser's own usage errors
            // (EX_USAGE, 64) exit 2 like the script commands' do.
            let status = exitCode(for: error)
            guard status == .validationFailure else { exit(withError: error) }
            StandardStreams.printError(fullMessage(for: error))
            exitProcess(2)
        }
    }
}

/// Ends the process with `status` (C stdio buffers are flushed).
private func exitProcess(_ status: Int32) -> Never {
    #if canImport(Glibc)
    Glibc.exit(status)
    #else
    Darwin.exit(status)
    #endif
}
