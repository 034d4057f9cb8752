import Foundation
import LuaRuntime
import TestSupport
import Testing
@testable import Scripting

@Suite struct NAFFunctionTests {
    @Test func codesAtEveryLevel() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            local naf = builder.naf
            return naf.normalize(" 43.29a "), naf.niche_name("69.20Z"), naf.niche_name("43"), naf.level("43.2"),
                   naf.level("4329"), naf.level("43.29A"), naf.nomenclature("6920Z"), naf.nomenclature("6920Y"),
                   naf.nomenclature("69")
            """) == ["4329A", "naf_6920Z", "naf_43", "group", "class", "subclass", "NAFRev2", "NAF2025", nil])
    }

    @Test func isValidSaysWhy() throws {
        let test = try TestHost()
        #expect(try test.evaluate("return builder.naf.is_valid('4329A')") == [true])
        let results = try test.evaluate("return builder.naf.is_valid('69.2Z9')")
        #expect(results.first == false)
        #expect(results.last?.stringValue?.contains("\"69.2Z9\" is not a NAF code") == true)
        #expect(try test.evaluate("return builder.naf.is_valid('')").first == false)
    }

    @Test func matchesStockValuesByPrefixAtTheCodesLevel() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            local m = builder.naf.matches
            return m("43", "43.29A"), m("43.2", "43.29A"), m("4329A", "43.29A"), m("4329A", "43.29B"), m("52.1", "52.1D")
            """) == [true, true, true, false, false])
    }

    @Test func anInvalidCodeRaisesNamingTheFunctionAndTheValue() throws {
        let test = try TestHost()
        for function in ["normalize", "niche_name", "level", "nomenclature"] {
            let message = try #require(test.failure("builder.naf.\(function)('xx')"))
            #expect(message.contains("builder.naf.\(function): \"xx\" is not a NAF code"), "\(message)")
        }
        let notString = try #require(test.failure("builder.naf.is_valid(4329)"))
        #expect(notString.contains("bad argument #1 'code' (string expected, got number)"))
    }

    @Test func codesThatDoNotExistAreNotValid() throws {
        let test = try TestHost()
        for code in ["6920A", "6999Z"] {
            let results = try test.evaluate("return builder.naf.is_valid('\(code)')")
            #expect(results.first == false)
            #expect(results.last?.stringValue?.hasPrefix("\"\(code)\" is not a NAF rév. 2 code; nearest: 69.20Z Activités comptables") == true)
            let message = try #require(test.failure("builder.naf.normalize('\(code)')"))
            #expect(message.contains("builder.naf.normalize: \"\(code)\" is not a NAF rév. 2 code"), "\(message)")
        }
        // Without a letter, a code is looked up in the nomenclature given: 62.10 is a NAF 2025 class only.
        #expect(try test.evaluate("return builder.naf.is_valid('62.10', 'NAF2025')") == [true])
        #expect(try test.evaluate("return builder.naf.is_valid('62.10')").first == false)
        #expect(try test.evaluate("return builder.naf.normalize('62.10', 'NAF2025')") == ["6210"])
        let missing2025 = try test.evaluate("return builder.naf.is_valid('6920G')")
        #expect(missing2025.first == false)
        #expect(missing2025.last?.stringValue?.hasPrefix("\"6920G\" is not a NAF 2025 code; nearest: 69.20Y") == true)
        let badNomenclature = try #require(test.failure("builder.naf.is_valid('69', 'rev2')"))
        #expect(badNomenclature.contains("bad argument #2 'nomenclature' (expected NAFRev2 or NAF2025, got \"rev2\")"), "\(badNomenclature)")
    }

    @Test func labelsChildrenAndSearch() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            local naf = builder.naf
            return naf.label("6920z"), naf.label("69.2", "en"), naf.label("M"), naf.label("53.20G"),
                   naf.label("6920Z", "en"), naf.label("M", "en"), naf.label("10.71C", "en")
            """) == ["Activités comptables", "Accounting, bookkeeping and auditing activities; tax consultancy",
                     "ACTIVITÉS SPÉCIALISÉES, SCIENTIFIQUES ET TECHNIQUES", "Livraison de colis",
                     "Accounting, bookkeeping and auditing activities; tax consultancy",
                     "PROFESSIONAL, SCIENTIFIC AND TECHNICAL ACTIVITIES",
                     "Boulangerie et boulangerie-pâtisserie"])  // a split subclass has no English title
        #expect(try test.evaluate("""
            local children = builder.naf.children("10.71")
            local sections = builder.naf.children()
            return #children, children[1].code, children[1].dotted, children[1].level, children[4].label, #sections, sections[13].code
            """) == [4, "1071A", "10.71A", "subclass", "Pâtisserie", 21, "M"])
        #expect(try test.evaluate("""
            local found = builder.naf.search("COMPTABLES", {limit = 2})
            return #found, found[1].code, found[1].label, #builder.naf.search("zzz")
            """) == [2, "6920Z", "Activités comptables", 0])
        let unknown = try #require(test.failure("builder.naf.label('6920A')"))
        #expect(unknown.contains("nearest: 69.20Z Activités comptables"), "\(unknown)")
        let badOption = try #require(test.failure("builder.naf.search('x', {limt = 2})"))
        #expect(badOption.contains("unknown option 'limt'"), "\(badOption)")
        let badLang = try #require(test.failure("builder.naf.label('69', 'de')"))
        #expect(badLang.contains("expected fr or en"), "\(badLang)")
    }
}

@Suite struct FileFunctionTests {
    @Test func writeReadListAndRemove() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let base = lua(directory.path)
        let results = try test.evaluate("""
            local fs = builder.fs
            local written = fs.write(fs.join(\(base), "a/b.txt"), "one\\0two")
            local text = fs.read(written)
            fs.mkdir(fs.join(\(base), "a/c/d"))
            local names = fs.list(fs.join(\(base), "a"))
            return written, #text, text == "one\\0two", names, fs.exists(written), fs.is_dir(written),
                   fs.is_dir(fs.join(\(base), "a/c")), fs.remove(written), fs.remove(written), fs.exists(written),
                   fs.remove(fs.join(\(base), "a/c/d"))
            """)
        #expect(results == [LuaValue(directory.file("a/b.txt")), 7, true, ["b.txt", "c"], true, false, true, true, false,
                            false, true])
        #expect(try directory.names("a") == ["c"])
    }

    @Test func pathHelpers() throws {
        let test = try TestHost()
        #expect(try test.evaluate("""
            local fs = builder.fs
            return fs.dirname("a/b/c.yaml"), fs.dirname("c"), fs.basename("a/b/c.yaml"), fs.join("a", "b/", "c"),
                   fs.join("a", "/abs", "x"), fs.join("out", ""), fs.absolute("/x/./y")
            """) == ["a/b", ".", "c.yaml", "a/b/c", "/abs/x", "out", "/x/y"])
    }

    @Test func failuresRaiseWithThePathAndReason() throws {
        let directory = try TestDirectory(prefix: "scr")
        let test = try TestHost()
        let missing = lua(directory.file("missing.txt"))
        let read = try #require(test.failure("builder.fs.read(\(missing))"))
        #expect(read.contains("builder.fs.read: cannot read \(directory.file("missing.txt")): No such file or directory"))
        let list = try #require(test.failure("builder.fs.list(\(missing))"))
        #expect(list.contains("builder.fs.list: cannot list"))
        try directory.write("x", to: "full/file")
        let remove = try #require(test.failure("builder.fs.remove(\(lua(directory.path + "/full")))"))
        #expect(remove.contains("builder.fs.remove: cannot remove"))
        let empty = try #require(test.failure("builder.fs.write('', 'x')"))
        #expect(empty.contains("bad argument #1 'path' (empty path)"))
    }
}
