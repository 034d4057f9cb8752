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

    @Test func nafTwentyTwentyFiveAndEnglishLabels() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let show = try workspace.run(["naf", "show", "69.2", "--nomenclature", "NAF2025"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout == """
            section  N       PROFESSIONAL, SCIENTIFIC AND TECHNICAL ACTIVITIES
            division 69      Legal and accounting activities
            group    69.2    Accounting, bookkeeping and auditing activities; tax consultancy
              class    69.20   Activités de comptabilité, de tenue de comptes et d'audit ; conseil fiscal

            """)
        // A subclass letter names the nomenclature without --nomenclature.
        let json = try workspace.run(["naf", "show", "53.20g", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try jsonObject(json.stdout)
        #expect(object["code"] as? String == "5320G" && object["nomenclature"] as? String == "NAF2025")
        #expect(object["label"] as? String == "Livraison de colis")
        let list = try workspace.run(["naf", "list", "--nomenclature", "NAF2025", "--json"])
        let sections = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(sections.count == 22 && sections.last?["code"] as? String == "V")
        let split = try workspace.run(["naf", "list", "47.11", "--nomenclature", "NAF2025"])
        #expect(split.stdout.split(separator: "\n").map { String($0.prefix(6)) } == ["47.11G", "47.11H", "47.11J", "47.11K", "47.11L"])
        let search = try workspace.run(["naf", "search", "livraison", "colis", "--nomenclature", "NAF2025"])
        #expect(search.status == 0 && search.stdout == "53.20G  Livraison de colis\n", "\(search.stdout)")
        let english = try workspace.run(["naf", "show", "6920Z", "--lang", "en"])
        #expect(english.status == 0, "\(english.stderr)")
        #expect(english.stdout.hasSuffix("subclass 69.20Z  Accounting, bookkeeping and auditing activities; tax consultancy\n"), "\(english.stdout)")
        #expect(english.stdout.hasPrefix("section  M       PROFESSIONAL, SCIENTIFIC AND TECHNICAL ACTIVITIES\n"))
    }

    @Test func unknownCodesAndBadOptionsExitTwo() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let cases: [([String], String)] = [
            (["naf", "show", "6920A"], "builder naf show: \"6920A\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables"),
            (["naf", "list", "6999Z"], "builder naf list: \"6999Z\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables, 69.10Z Activités juridiques"),
            (["naf", "show", "W"], "there is no section W"),
            (["naf", "show", "69", "--lang", "de"], "expected fr or en"),
            (["naf", "search", "x", "--limit", "0"], "--limit must be between 1 and 10000"),
            (["naf", "show", "69.21", "--nomenclature", "NAF2025"],
             "builder naf show: \"69.21\" is not a NAF 2025 code; nearest: 69.20 Activités de comptabilité"),
            (["naf", "list", "6920G"], "builder naf list: \"6920G\" is not a NAF 2025 code; nearest: 69.20Y"),
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
        #expect(run.stdout.contains("22 sections, 87 divisions, 287 groups, 651"))
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
