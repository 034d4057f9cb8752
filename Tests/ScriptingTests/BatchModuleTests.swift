import LuaRuntime
import Testing
@testable import Scripting

/// The embedded `batch.lua` used as a module (`require("batch")`).
@Suite struct BatchModuleTests {
    @Test func requiringItRunsNothing() throws {
        let test = try TestHost(arguments: ["--naf", "bad"])
        #expect(try test.evaluate("local b = require('batch') return type(b.main), b.spec.program") == ["function", "builder batch"])
        #expect(test.captured.error == "")
        #expect(test.session.exitRequest == nil)
    }

    @Test func splitsRunnerCommandsLikeAShell() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            return require('batch').split_command([[python3 "my cli.py" --job {job} 'a b'"c" x\\ y]])
            """) == [["python3", "my cli.py", "--job", "{job}", "a bc", "x y"]])
        let unterminated = try test.evaluate("return require('batch').split_command([[sh -c 'x]])")
        #expect(unterminated == [nil, "unterminated ' quote"])
        #expect(try test.evaluate("return require('batch').split_command('  ')") == [nil, "the command is empty"])
        // Backslashes as in a POSIX shell: inside double quotes only before $ ` " \ (so printf
        // still gets its \n); a backslash and a line break join the lines.
        #expect(try test.evaluate(#"return require('batch').split_command([[printf "a\nb\"c\\d\$e" x\n 'f\g' h\]] .. "\n" .. [[i "j\]] .. "\n" .. [[k"]])"#)
            == [["printf", #"a\nb"c\d$e"#, "xn", #"f\g"#, "hi", "jk"]])
    }

    @Test func formatsCountsAndDurations() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            local b = require('batch')
            return b.format_count(1284), b.format_count(12), b.format_count(1234567), b.format_duration(3.21)
            """) == ["1 284", "12", "1 234 567", "3.2 s"])
    }

    @Test func normalizesCodesDroppingSameNicheDuplicates() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            local codes, dropped = require('batch').normalize_codes({"6920Z", "69.20z", "43", " 43 "})
            return #codes, codes[1].code, codes[2].code, #dropped, dropped[1].given, dropped[1].same_as
            """) == [2, "6920Z", "43", 2, "69.20z", "6920Z"])
        let bad = try test.evaluate("return require('batch').normalize_codes({'69.2Z9', '', '43'})")
        #expect(bad.first == .nil)
        let message = try #require(bad.last?.stringValue)
        #expect(message.hasPrefix("invalid NAF codes:\n  \"69.2Z9\" is not a NAF code"))
        #expect(message.contains("\"\" is not a NAF code (empty)"))
    }

    @Test func theDefaultTemplateRendersAValidJobForBothNomenclatures() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            local b = require('batch')
            local template, name = b.load_template()
            local rev2 = b.render_job(template, name, b.template_variables("6920Z", "naf_6920Z", "quick", "out/naf_6920Z"))
            local naf2025 = b.render_job(template, name, b.template_variables("6920Y", "naf_6920Y", "deep", "out/naf_6920Y"))
            local job = builder.yaml.decode(rev2)
            return name, job.niche, job.filters.naf_include, job.profile, job.output.dir,
                   builder.yaml.decode(naf2025).filters.naf_nomenclature, job.retention_days
            """) == ["job_template.yaml (embedded)", "naf_6920Z", ["6920Z"], "quick", "out/naf_6920Z", "NAF2025", 30])
    }

    @Test func theDefaultTemplateHasEverySectionOfTheJobFile() throws {
        let template = try #require(EmbeddedScripts.source(named: "job_template.yaml"))
        for section in ["niche:", "filters:", "naf_include:", "naf_exclude:", "active_only:", "regions:", "profile:",
                        "output:", "dedupe:", "scoring:", "kpi_targets:", "budgets:", "retention_days:"] {
            #expect(template.contains(section), "\(section)")
        }
    }
}
