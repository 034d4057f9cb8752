import Testing
@testable import Report

@Suite struct HTMLTests {
    @Test func escapesMarkupQuotesAndControlCharacters() {
        #expect(HTML.escape("<b>\"Café\" & 'co'</b>") == "&lt;b&gt;&quot;Café&quot; &amp; &#39;co&#39;&lt;/b&gt;")
        #expect(HTML.escape("a\u{0}b\u{1B}c\td\ne") == "a\u{FFFD}b\u{FFFD}c\td\ne")
        // Escaping is done once: an existing reference is escaped again, never trusted.
        #expect(HTML.escape("&amp;") == "&amp;amp;")
    }
}
