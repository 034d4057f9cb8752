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
                   naf.level("4329"), naf.level("43.29A"), naf.nomenclature("6920Z"), naf.nomenclature("6920G"),
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
