#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import Jobs

/// The command-line side of the scripting layer: `builder batch`, `builder create-job` and
/// `builder script`. Arguments arrive raw (swift-argument-parser never sees them), so a script's
/// own `--help` and options reach `parse_args` untouched.
///
/// Ctrl-C and SIGTERM are forwarded to the running script's session (see `ScriptSession`).
public enum ScriptLauncher {
    /// Runs an embedded script as a command (`builder batch ARGS` runs `batch.lua` with ARGS).
    public static func runCommand(script name: String, arguments: [String], programName: String,
                                  console: ScriptConsole = .standard) -> Int32 {
        withHost(arguments: arguments, programName: programName, console: console) { $0.runEmbedded(name) }
    }

    public static let scriptUsage = """
        Usage: builder script FILE.lua [--] [ARGS...]
               builder script --list
               builder script --print NAME

        Runs a Lua pipeline with the builder API (see the README). FILE is a path, or
        the name of an embedded script (batch.lua, ...) when no such file exists. Everything after
        FILE (after `--` if given) is the script's: builder.args.

        Options:
          --list        List the embedded scripts and templates.
          --print NAME  Print the source of an embedded script or template, to start your own:
                        builder script --print batch.lua > my_batch.lua
          -h, --help    Show this help and exit.

        """

    /// `builder script ...`, with the raw arguments after `script`.
    public static func script(_ arguments: [String], console: ScriptConsole = .standard) -> Int32 {
        func usageError(_ message: String) -> Int32 {
            console.writeError(StandardStreams.usageMessage(program: "builder script", message))
            return 2
        }
        guard let first = arguments.first else { return usageError("missing the script FILE.lua") }
        switch first {
        case "-h", "--help":
            console.writeOutput(scriptUsage)
            return 0
        case "--list":
            guard arguments.count == 1 else { return usageError("--list takes no argument") }
            console.writeOutput(EmbeddedScripts.names.joined(separator: "\n") + "\n")
            return 0
        case "--print":
            guard arguments.count == 2 else { return usageError("--print needs exactly one NAME (see --list)") }
            guard let source = EmbeddedScripts.source(named: arguments[1]) else {
                return usageError("no embedded file named '\(arguments[1])'; embedded: \(EmbeddedScripts.names.joined(separator: ", "))")
            }
            console.writeOutput(source.hasSuffix("\n") ? source : source + "\n")
            return 0
        case "--":
            return usageError("missing the script FILE.lua before '--'")
        default:
            if first.hasPrefix("-") { return usageError("unknown option '\(first)'") }
        }

        var scriptArguments = Array(arguments.dropFirst())
        if scriptArguments.first == "--" { scriptArguments.removeFirst() }
        let programName = "builder script \(first)"
        if FileSystem.exists(first) && !FileSystem.isDirectory(first) {
            return withHost(arguments: scriptArguments, programName: programName, console: console) { $0.runFile(first) }
        }
        if let embedded = EmbeddedScripts.scriptName(first), !first.contains("/") {
            return withHost(arguments: scriptArguments, programName: programName, console: console) { $0.runEmbedded(embedded) }
        }
        if FileSystem.isDirectory(first) { return usageError("cannot run '\(first)': it is a directory") }
        let embedded = EmbeddedScripts.scriptNames.joined(separator: ", ")
        return usageError("cannot run '\(first)': no such file, and no embedded script by that name (embedded: \(embedded))")
    }

    private static func withHost(arguments: [String], programName: String, console: ScriptConsole,
                                 _ run: (ScriptHost) -> Int32) -> Int32 {
        let host: ScriptHost
        do {
            host = try ScriptHost(arguments: arguments, programName: programName, console: console)
        } catch {
            console.writeError("builder: cannot start the Lua runtime: \(error)\n")
            return 1
        }
        let session = host.session
        SignalForwarder.install([SIGINT, SIGTERM]) { signal in session.interrupt(signal: signal) }
        return run(host)
    }
}
