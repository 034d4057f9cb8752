import Basics
import Testing

@Suite("Name suggestions")
struct NameSuggestionTests {
    @Test func nameSuggestions() {
        #expect(suggestName(for: "max_ram", among: ["max_ram_mb", "workers"]) == "max_ram_mb")
        #expect(suggestName(for: "wokrers", among: ["max_ram_mb", "workers"]) == "workers")
        #expect(suggestName(for: "profile", among: ["profile", "profiles"]) == nil)
        #expect(suggestName(for: "xyz", among: ["input", "out"]) == nil)
        #expect(suggestName(for: "", among: ["a"]) == "a")
    }
}
