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
/// Ctrl-C, SIGTERM, SIGHUP and SIGQUIT are forwarded to the running script's session (see
/// `ScriptSession`); a second one ends the process (see `SignalForwarder`).
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
            // A FIFO or a device would block or never end: refused before it is opened.
            guard FileSystem.isRegularFile(first) else {
                return usageError("cannot run '\(first)': it is \(FileSystem.kindName(of: first) ?? "gone"), not a regular file")
            }
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
        let session: ScriptSession
        let status: Int32
        let exitedItself: Bool
        do {
            let host: ScriptHost
            do {
                host = try ScriptHost(arguments: arguments, programName: programName, console: console)
            } catch {
                console.writeError("builder: cannot start the Lua runtime: \(error)\n")
                return 1
            }
            session = host.session
            SignalForwarder.install { signal in session.interrupt(signal: signal) }
            status = run(host)
            exitedItself = session.exitRequest != nil
        }
        // The host, the only owner of its Lua state, is gone: `lua_close` has run the finalizers
        // (`__gc`) still pending, as when the `lua` program ends. One of them calling `os.exit`
        // decides the status, unless the script had exited itself.
        if !exitedItself, let code = session.exitRequest { return code }
        return status
    }
}
