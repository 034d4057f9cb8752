import Foundation
import TestSupport
import Testing

/// `builder naf` and the existence check of NAF codes, through the real binary.
@Suite struct NAFCLITests {
    @Test func showPrintsTheChainAndTheChildren() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["naf", "show", "69.2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == """
            section  M       ACTIVITÉS SPÉCIALISÉES, SCIENTIFIQUES ET TECHNIQUES
            division 69      Activités juridiques et comptables
            group    69.2    Activités comptables
              class    69.20   Activités comptables

            """)
        let json = try workspace.run(["naf", "show", "6920z", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try jsonObject(json.stdout)
        #expect(object["code"] as? String == "6920Z" && object["dotted"] as? String == "69.20Z")
        #expect(object["level"] as? String == "subclass" && object["nomenclature"] as? String == "NAFRev2")
        #expect(object["label"] as? String == "Activités comptables")
        #expect((object["parents"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["M", "69", "692", "6920"])
        #expect((object["children"] as? [Any])?.isEmpty == true)
    }

    @Test func searchRanksAndAcceptsAnyCaseAndAccents() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["naf", "search", "ELEVAGE", "vaches"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "01.41Z  Élevage de vaches laitières\n01.41   Élevage de vaches laitières\n")
        let json = try workspace.run(["naf", "search", "comptables", "--limit", "1", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(found.count == 1 && found[0]["code"] as? String == "6920Z" && found[0]["level"] as? String == "subclass")
        let none = try workspace.run(["naf", "search", "zzzz", "--json"])
        #expect(none.status == 0 && none.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]"
            || none.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(none.stdout)")
    }

    @Test func listGivesTheChildrenOrTheSections() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["naf", "list", "10.71"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").map { String($0.prefix(6)) } == ["10.71A", "10.71B", "10.71C", "10.71D"])
        let sections = try workspace.run(["naf", "list", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(sections.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 21 && list[12]["code"] as? String == "M" && list[12]["level"] as? String == "section")
    }

    @Test func unknownCodesAndBadOptionsExitTwo() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let cases: [([String], String)] = [
            (["naf", "show", "6920A"], "builder naf show: \"6920A\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables"),
            (["naf", "list", "6999Z"], "builder naf list: \"6999Z\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables, 69.10Z Activités juridiques"),
            (["naf", "show", "W"], "there is no section W"),
            (["naf", "show", "69", "--lang", "de"], "expected fr or en"),
            (["naf", "search", "x", "--limit", "0"], "--limit must be between 1 and 10000"),
            (["naf", "show", "69", "--nomenclature", "NAF2025"], "the NAF 2025 table is not part of this build"),
        ]
        for (arguments, expected) in cases {
            let run = try workspace.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(expected), "\(run.stderr)")
            #expect(run.stdout == "")
        }
    }

    @Test func helpIsTruthful() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["naf", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("21 sections, 88 divisions, 272 groups, 615 classes, 732"))
        for command in ["show", "search", "list"] { #expect(run.stdout.contains(command)) }
    }

    @Test func unknownCodesAreRefusedEverywhereBeforeAnythingIsWritten() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("niche: n\nfilters:\n  naf_include: [\"6999Z\"]\nprofile: quick\n", to: "job.yaml")
        let before = workspace.tree()
        let cases: [([String], String)] = [
            (["batch", "--naf", "6920A", "--input", "x.parquet", "--output-dir", "out"],
             "builder batch: invalid NAF code: \"6920A\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables"),
            (["batch", "--naf", "6999Z", "--input", "x.parquet", "--output-dir", "out", "--dry-run"],
             "\"6999Z\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables, 69.10Z Activités juridiques"),
            (["create-job", "j.yaml", "--naf", "6920A"], "builder create-job: invalid NAF code: \"6920A\" is not a NAF rév. 2 code"),
            (["create-job", "dir", "--naf", "6999Z", "--batch"], "\"6999Z\" is not a NAF rév. 2 code"),
            (["run-profile", "--job", "job.yaml", "--input", "x.parquet", "--out", "out"],
             "filters.naf_include[0]': \"6999Z\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables"),
        ]
        for (arguments, expected) in cases {
            let run = try workspace.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(expected), "\(run.stderr)")
        }
        #expect(workspace.tree() == before)
    }
}
