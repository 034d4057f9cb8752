import Foundation
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

/// `builder.report.batch`: the batch's report from a summary table.
@Suite struct ReportFunctionTests {
    @Test func writesTheReportOfASummaryEvenWithoutAnyNicheOutput() throws {
        let test = try TestHost()
        let directory = try TestDirectory(prefix: "scripting")
        let path = directory.file("report.html")
        let written = try test.evaluate("""
            return builder.report.batch(\(lua(path)), {status = "FAILED", elapsed = 2.5, results = {
              {niche = "naf_43", naf_code = "43", status = "FAILED", output_dir = \(lua(directory.file("naf_43"))),
               duration = 1.5, error = "exit 1: <boom> & co"},
              {niche = "naf_01", naf_code = "01", status = "SKIPPED", output_dir = "nowhere", duration = 0, error = "not run"}}},
              {command = {"builder", "batch", "--naf", "43", "--naf", "it's"}, options = {naf = {"43", "01"}, json = false}, lang = "en"})
            """)
        #expect(written == [LuaValue(path)])
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("<html lang=\"en\">") && html.contains("<h1>Batch report</h1>"))
        #expect(html.contains("exit 1: &lt;boom&gt; &amp; co"))
        #expect(html.contains("builder batch --naf 43 --naf &#39;it&#39;\\&#39;&#39;s&#39;"))
        #expect(html.contains("<dd class=\"code\">43, 01</dd>"))
        #expect(!html.contains("<a href"))
    }

    @Test func rejectsASummaryWithoutResults() throws {
        let test = try TestHost()
        let directory = try TestDirectory(prefix: "scripting")
        let message = test.failure("builder.report.batch(\(lua(directory.file("r.html"))), {status = 'SUCCESS'})")
        #expect(message?.contains("bad argument #2 'summary' (field 'results' must be a list of job results)") == true, "\(message ?? "")")
        #expect(test.failure("builder.report.batch('', {results = {}})")?.contains("empty path") == true)
        #expect(!FileManager.default.fileExists(atPath: directory.file("r.html")))
    }
}
