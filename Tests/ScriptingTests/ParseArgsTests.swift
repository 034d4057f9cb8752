import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

@Suite struct ParseArgsTests {
    static let spec = """
        local spec = {
          program = "tool",
          description = "Does things.",
          options = {
            {name = "naf", metavar = "CODE", repeatable = true, required = true, help = "A code."},
            {name = "output-dir", metavar = "DIR", help = "Where."},
            {name = "profile", choices = {"quick", "deep"}, default = "quick", help = "Steps."},
            {name = "sample", type = "integer", help = "Rows."},
            {name = "timeout", type = "number", default = 3600},
            {name = "dry-run", type = "boolean", help = "Run nothing."},
            {name = "verbose", short = "v", type = "boolean"},
          },
          positionals = {{name = "files", repeatable = true, required = false}},
          epilog = "Examples: tool --naf 43",
        }
        """

    private func parse(_ arguments: String) throws -> (TestHost, [LuaValue]) {
        let test = try TestHost()
        let results = try test.evaluate(Self.spec + """
            local o = builder.parse_args(spec, {\(arguments)})
            return o.naf, o.output_dir, o.profile, o.sample, o.timeout, o.dry_run, o.verbose, o.files
            """)
        return (test, results)
    }

    @Test func parsesEveryFormWithDefaults() throws {
        let (_, results) = try parse("'--naf', '43', '--naf=6920Z', '--sample', '5', '-v', 'a.csv', '--timeout', '0.5', '--', '--b'")
        #expect(results == [["43", "6920Z"], nil, "quick", 5, 0.5, false, true, ["a.csv", "--b"]])
        let (_, defaults) = try parse("'--naf', '43'")
        #expect(defaults == [["43"], nil, "quick", nil, 3600, false, false, []])
    }

    @Test func readsTheScriptArgumentsByDefault() throws {
        let test = try TestHost(arguments: ["--naf", "43", "--dry-run"])
        #expect(try test.evaluate(Self.spec + "local o = builder.parse_args(spec) return o.naf[1], o.dry_run") == ["43", true])
    }

    @Test func helpIsGeneratedOnStandardOutputAndEndsTheRunWithZero() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost(arguments: ["--naf", "43", "--help"])
        let status = try test.runScript(Self.spec + "builder.parse_args(spec)\nprint('not reached')", in: directory)
        #expect(status == 0)
        #expect(test.captured.output == """
            Usage: tool [FILES...] --naf CODE [--naf CODE ...] [options]

            Does things.

            Arguments:
              FILES              (optional; repeatable)

            Options:
              --naf CODE         A code. (required; repeatable)
              --output-dir DIR   Where.
              --profile PROFILE  Steps. (one of: quick, deep; default: quick)
              --sample SAMPLE    Rows.
              --timeout TIMEOUT  (default: 3600)
              --dry-run          Run nothing.
              -v, --verbose
              -h, --help         Show this help and exit.

            Examples: tool --naf 43

            """)
        #expect(test.captured.error == "")
    }

    @Test func usageErrorsEndTheRunWithTwoAndAMessage() throws {
        let cases: [(String, String)] = [
            ("'--naf', '43', '--inptu', 'x'", "tool: unknown option '--inptu'"),
            ("'--naf', '43', '--verbos'", "tool: unknown option '--verbos' (did you mean '--verbose'?)"),
            ("'--sample', '5'", "tool: missing required option --naf"),
            ("'--naf'", "tool: option --naf needs a value (CODE)"),
            ("'--naf', '43', '--sample', 'five'", "tool: option --sample: 'five' is not an integer"),
            ("'--naf', '43', '--timeout', 'soon'", "tool: option --timeout: 'soon' is not a number"),
            ("'--naf', '43', '--profile', 'fast'", "tool: option --profile: 'fast' is not one of quick, deep"),
            ("'--naf', '43', '--dry-run=yes'", "tool: option --dry-run takes no value"),
            ("'--naf', '43', '--output-dir', 'a', '--output-dir', 'b'", "tool: option --output-dir is given more than once"),
            ("'--naf', '43', '-x'", "tool: unknown option '-x'"),
        ]
        for (arguments, expected) in cases {
            let directory = try TestDirectory(prefix: "scr")
            let test = try TestHost()
            let status = try test.runScript(Self.spec + "builder.parse_args(spec, {\(arguments)})\nprint('not reached')", in: directory)
            #expect(status == 2, "\(arguments)")
            #expect(test.captured.error.hasPrefix(expected), "\(test.captured.error)")
            #expect(test.captured.error.hasSuffix("Run 'tool --help' for usage.\n"))
            #expect(test.captured.output == "")
        }
    }

    @Test func usageErrorReportsAsParseArgsDoesAndReturnsTwo() throws {
        let own = try TestHost()
        _ = own.failure(Self.spec + "builder.parse_args(spec, {'--naf', '43', '--sample', 'x'})")
        let problem = try #require(own.captured.error.split(separator: "\n").first?.dropFirst("tool: ".count))
        let test = try TestHost()
        let results = try test.evaluate("return builder.usage_error('tool', \(lua(String(problem))))")
        #expect(results == [2])
        #expect(test.captured.error == own.captured.error)
        #expect(test.captured.error.hasSuffix("\nRun 'tool --help' for usage.\n"))
    }

    @Test func aUsageErrorCannotBeSwallowedByPcall() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let status = try test.runScript("""
            local ok = pcall(builder.parse_args, {options = {}}, {"--nope"})
            for i = 1, 10000 do end
            print("not reached")
            """, in: directory)
        #expect(status == 2)
        #expect(test.captured.error.hasPrefix("builder script: unknown option '--nope'"))
    }

    @Test func aMistakeInTheSpecIsTheScriptsError() throws {
        let test = try TestHost()
        let cases: [(String, String)] = [
            ("{optins = {}}", "bad argument #1 'spec' (unknown option 'optins', did you mean 'options'?)"),
            ("{options = {{name = 'a', requird = true}}}", "'spec.options[1]' (unknown option 'requird', did you mean 'required'?)"),
            ("{options = {{name = 'a', type = 'int'}}}", "unknown type 'int'"),
            ("{options = {{help = 'x'}}}", "option 'name' is required"),
            ("{options = {{name = 'a'}, {name = 'a'}}}", "'a' is declared twice"),
            ("{options = {{name = 'help'}}}", "'help' is declared twice (or is the built-in --help)"),
            ("{options = {{name = 'a', type = 'integer', default = 'x'}}}", "option 'default': integer expected, got string"),
            ("{options = {{name = 'a', type = 'boolean', required = true}}}", "a boolean flag cannot be required"),
            ("{options = {{name = 'Bad Name'}}}", "is not an option name"),
            ("{positionals = {{name = 'a', repeatable = true}, {name = 'b'}}}", "only the last positional argument can be repeatable"),
        ]
        for (spec, expected) in cases {
            let message = try #require(test.failure("builder.parse_args(\(spec), {})"), "\(spec)")
            #expect(message.contains("builder.parse_args:"), "\(message)")
            #expect(message.contains(expected), "\(message)")
        }
        #expect(test.session.exitRequest == nil)
    }
}
