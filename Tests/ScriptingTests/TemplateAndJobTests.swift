import Foundation
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

@Suite struct RenderTemplateTests {
    @Test func substitutesVariablesAsYAMLValues() throws {
        let test = try TestHost()
        let results = try test.evaluate("""
            return render_template('niche: "{niche_name}"\\nmin: {score}\\nflag: {on}\\n',
                                   {niche_name = 'naf_6920Z', score = 80, on = true})
            """)
        #expect(results == ["niche: \"naf_6920Z\"\nmin: 80\nflag: true\n"])
        #expect(test.lua.stackDepth == 0)
    }

    @Test func aValueCannotInjectYAMLStructure() throws {
        let test = try TestHost()
        let results = try test.evaluate("""
            local text = builder.render_template('niche: "{name}"\\nprofile: {name}\\n', {name = 'x"\\nprofile: evil'})
            return builder.yaml.decode(text).niche, builder.yaml.decode(text).profile
            """)
        #expect(results == ["x\"\nprofile: evil", "x\"\nprofile: evil"])
    }

    @Test func unknownPlaceholderIsAnErrorNamingItAndItsLine() throws {
        let test = try TestHost()
        let message = try #require(test.failure("""
            render_template('a: 1\\nb: {nope}\\n', {niche_name = 'x'}, {source = 'job.yaml'})
            """))
        #expect(message.contains("test:1: builder.render_template: template job.yaml, line 2: unknown placeholder {nope}"))
        #expect(message.contains("known: niche_name"))
    }

    @Test func plainTextModeSubstitutesWithoutYAMLRules() throws {
        let test = try TestHost()
        #expect(try test.evaluate("return render_template('Hello {who}: {{ok}}', {who = 'a: b'}, {yaml = false})")
            == ["Hello a: b: {ok}"])
    }

    @Test func variablesAndOptionsAreChecked() throws {
        let test = try TestHost()
        let badVariable = try #require(test.failure("render_template('{a}', {a = {1}})"))
        #expect(badVariable.contains("bad argument #2 'vars' (field 'a': a template variable must be a string, number or boolean, got table)"))
        let badOption = try #require(test.failure("render_template('x', {}, {sorce = 'a'})"))
        #expect(badOption.contains("unknown option 'sorce', did you mean 'source'?"))
        let notText = try #require(test.failure("render_template(42, {})"))
        #expect(notText.contains("bad argument #1 'text' (string expected, got number)"))
    }
}

@Suite struct WriteJobTests {
    static let validJob = """
        niche: "naf_6920Z"
        filters:
          naf_include: ["6920Z"]
        profile: "quick"

        """

    @Test func writesYAMLTextAsItIsAndReturnsTheAbsolutePath() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let path = directory.file("deep/er/naf_6920Z.yaml")
        let results = try test.evaluate("return write_job(\(lua(path)), \(lua(Self.validJob)))")
        #expect(results == [LuaValue(path)])
        #expect(try directory.contents("deep/er/naf_6920Z.yaml") == Self.validJob)
        #expect(try directory.names("deep/er") == ["naf_6920Z.yaml"])  // no temporary file left behind
    }

    @Test func writesATableInJobFileOrder() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        try test.evaluate("""
            builder.write_job(\(lua(directory.file("job.yaml"))), {
              retention_days = 30, profile = "quick", niche = "naf_43",
              filters = {regions = {"75"}, naf_include = {"43"}}, custom = {b = 1, a = 2},
            })
            """)
        #expect(try directory.contents("job.yaml") == """
            niche: naf_43
            filters:
              naf_include: ["43"]
              regions: ["75"]
            profile: quick
            retention_days: 30
            custom:
              a: 2
              b: 1

            """)
    }

    @Test func anInvalidJobRaisesNamingTheFieldAndWritesNothing() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let path = directory.file("bad.yaml")
        let message = try #require(test.failure("""
            write_job(\(lua(path)), {niche = "x", profile = "quick", filters = {naf_include = {"69.2Z9"}}})
            """))
        #expect(message.contains("builder.write_job:"))
        #expect(message.contains("field 'filters.naf_include[0]'") || message.contains("field 'filters.naf_include"))
        #expect(!directory.exists("bad.yaml"))
        let badYAML = try #require(test.failure("write_job(\(lua(path)), 'niche: [')"))
        #expect(badYAML.contains("invalid YAML"))
        let wrongType = try #require(test.failure("write_job(\(lua(path)), 42)"))
        #expect(wrongType.contains("bad argument #2 'job' (string or table expected, got number)"))
        #expect(!directory.exists("bad.yaml"))
    }

    @Test func validateJobReturnsFalseAndTheReasonWithoutWriting() throws {
        let test = try TestHost()
        #expect(try test.evaluate("return builder.validate_job(\(lua(Self.validJob)))") == [true])
        #expect(try test.evaluate("return builder.validate_job({niche = 'n', profile = 'quick', filters = {naf_include = {'43'}}})") == [true])
        let results = try test.evaluate("return builder.validate_job('niche: x\\nprofile: quick\\n', 'jobs/x.yaml')")
        #expect(results.first == false)
        let message = try #require(results.last?.stringValue)
        #expect(message.contains("jobs/x.yaml"))
        #expect(message.contains("field 'filters'"))
    }
}
