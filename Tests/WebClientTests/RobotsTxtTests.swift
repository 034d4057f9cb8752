import Testing
@testable import WebClient

@Suite("robots.txt (RFC 9309)")
struct RobotsTxtTests {
    /// The example of RFC 9309, section 5.1.
    static let rfcExample = """
        User-Agent: *
        Disallow: *.gif$
        Disallow: /example/
        Allow: /publications/

        User-Agent: foobot
        Disallow:/
        Allow:/example/page.html
        Allow:/example/allowed.gif

        User-Agent: barbot
        User-Agent: bazbot
        Disallow: /example/page.html

        User-Agent: quxbot

        EOF
        """

    @Test func rfcExampleGroups() {
        let robots = RobotsTxt(parsing: Self.rfcExample)
        // foobot: its own group; the longest match decides.
        #expect(robots.allows("/example/page.html", for: "foobot"))
        #expect(robots.allows("/example/allowed.gif", for: "foobot"))
        #expect(!robots.allows("/example/other.html", for: "foobot"))
        #expect(!robots.allows("/", for: "FooBot"))
        // barbot and bazbot share a group; the * group does not apply to them.
        for bot in ["barbot", "bazbot"] {
            #expect(!robots.allows("/example/page.html", for: bot))
            #expect(robots.allows("/example/other.html", for: bot))
            #expect(robots.allows("/picture.gif", for: bot))
        }
        // quxbot's group has no rule: everything is allowed.
        #expect(robots.allows("/example/page.html", for: "quxbot"))
        #expect(robots.allows("/picture.gif", for: "quxbot"))
        // Anyone else: the * group.
        #expect(!robots.allows("/picture.gif", for: "builder"))
        #expect(robots.allows("/picture.gif?size=2", for: "builder"))  // `$` anchors at the end
        #expect(!robots.allows("/example/", for: "builder"))
        #expect(robots.allows("/publications/", for: "builder"))
        #expect(robots.allows("/", for: "builder"))
    }

    @Test func longestMatchWinsAndAllowWinsTies() {
        // RFC 9309, section 2.2.2.
        let robots = RobotsTxt(parsing: "user-agent: *\nallow: /example/page/\ndisallow: /example/page/disallowed.gif\n")
        #expect(robots.allows("/example/page/", for: "builder"))
        #expect(robots.allows("/example/page/other.html", for: "builder"))
        #expect(!robots.allows("/example/page/disallowed.gif", for: "builder"))
        let tie = RobotsTxt(parsing: "user-agent: *\ndisallow: /page\nallow: /page\n")
        #expect(tie.allows("/page", for: "builder"))
        let order = RobotsTxt(parsing: "user-agent: *\nallow: /page\ndisallow: /page\n")
        #expect(order.allows("/page", for: "builder"))
        let longer = RobotsTxt(parsing: "user-agent: *\nallow: /a\ndisallow: /a/b\n")
        #expect(!longer.allows("/a/b/c", for: "builder"))
        #expect(longer.allows("/a/c", for: "builder"))
    }

    @Test func specialCharacters() {
        // RFC 9309, section 2.2.3.
        let robots = RobotsTxt(parsing: """
            User-agent: *
            Disallow: /
            Allow: /this/path/exactly$
            Allow: /this/*/then
            # Disallow: /this/path/then   (a comment)
            """)
        #expect(robots.allows("/this/path/exactly", for: "builder"))
        #expect(!robots.allows("/this/path/exactly/more", for: "builder"))
        #expect(robots.allows("/this/a/b/then", for: "builder"))
        #expect(robots.allows("/this/a/then/more", for: "builder"))
        #expect(!robots.allows("/this/a/the", for: "builder"))
        let star = RobotsTxt(parsing: "User-agent: *\nDisallow: /*.php$\nDisallow: /fish*\n")
        #expect(!star.allows("/index.php", for: "builder"))
        #expect(!star.allows("/a/b.php", for: "builder"))
        #expect(star.allows("/index.php?x=1", for: "builder"))
        #expect(!star.allows("/fish", for: "builder"))
        #expect(!star.allows("/fishheads/yummy.html", for: "builder"))
        #expect(star.allows("/Fish.asp", for: "builder"))  // paths are case-sensitive
    }

    @Test func percentEncodingIsNormalized() {
        // The table of RFC 9309, section 2.2.2.
        #expect(RobotsTxt.normalize("/foo/bar?baz=quz") == "/foo/bar?baz=quz")
        #expect(RobotsTxt.normalize("/foo/bar/ツ") == "/foo/bar/%E3%83%84")
        #expect(RobotsTxt.normalize("/foo/bar/%E3%83%84") == "/foo/bar/%E3%83%84")
        #expect(RobotsTxt.normalize("/foo/bar/%62%61%7A") == "/foo/bar/baz")
        #expect(RobotsTxt.normalize("/a%2fb") == "/a%2Fb")  // a reserved character stays encoded
        let robots = RobotsTxt(parsing: "User-agent: *\nDisallow: /foo/bar/ツ\nDisallow: /foo/bar/baz\n")
        #expect(!robots.allows("/foo/bar/%E3%83%84", for: "builder"))
        #expect(!robots.allows("/foo/bar/%e3%83%84", for: "builder"))
        #expect(!robots.allows("/foo/bar/%62%61%7A", for: "builder"))
        #expect(robots.allows("/foo/bar/other", for: "builder"))
    }

    @Test func groupsNamingTheSameAgentAreMerged() {
        // RFC 9309, section 2.2.1; the product token matches case-insensitively, and a version
        // or comment after it does not matter.
        let robots = RobotsTxt(parsing: """
            user-agent: ExampleBot
            disallow: /foo
            disallow: /bar

            user-agent: ExampleBot/2.1 (+https://example.com/bot)
            disallow: /baz

            user-agent: *
            disallow: /
            """)
        for path in ["/foo", "/bar", "/baz"] { #expect(!robots.allows(path, for: "examplebot")) }
        #expect(robots.allows("/other", for: "examplebot"))
        #expect(!robots.allows("/other", for: "builder"))
    }

    @Test func productTokenNamesBuilder() {
        let robots = RobotsTxt(parsing: "User-agent: builder\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
        #expect(!robots.allows("/", for: "builder"))
        #expect(!robots.allows("/contact", for: "Builder"))
        #expect(robots.allows("/", for: "otherbot"))
        // A token that only starts like ours is another crawler.
        let other = RobotsTxt(parsing: "User-agent: builderbot\nDisallow: /\n")
        #expect(other.allows("/", for: "builder"))
    }

    @Test func emptyRulesAndNoGroup() {
        #expect(RobotsTxt(parsing: "User-agent: *\nDisallow:\n").allows("/anything", for: "builder"))
        #expect(RobotsTxt(parsing: "").allows("/", for: "builder"))
        #expect(RobotsTxt(parsing: "User-agent: otherbot\nDisallow: /\n").allows("/", for: "builder"))
        // Rules before any user-agent line belong to no group.
        #expect(RobotsTxt(parsing: "Disallow: /\nUser-agent: *\nDisallow: /private\n").allows("/", for: "builder"))
    }

    @Test func robotsTxtItselfIsAlwaysAllowed() {
        let robots = RobotsTxt(parsing: "User-agent: *\nDisallow: /\n")
        #expect(robots.allows("/robots.txt", for: "builder"))
        #expect(!robots.allows("/robots.txt.bak", for: "builder"))
        #expect(!RobotsTxt.disallowEverything.allows("/", for: "builder"))
        #expect(RobotsTxt.allowEverything.allows("/", for: "builder"))
    }

    @Test func lenientSyntax() {
        let text = "\u{FEFF}USER-AGENT : *\r\nDisAllow:/a # why\r\nuseragent: x\r\n\rdissallow: /b\nCrawl-delay: 10\nnonsense\n"
        let robots = RobotsTxt(parsing: text)
        #expect(!robots.allows("/a", for: "builder"))
        #expect(robots.allows("/b", for: "builder"))
        #expect(!robots.allows("/b", for: "x"))
        // `user-agent: x` followed `disallow: /a` directly: a new group (x is not in the * group).
        #expect(robots.allows("/a", for: "x"))
    }

    @Test func sitemapsAreCollectedWherever() {
        let robots = RobotsTxt(parsing: """
            Sitemap: https://www.acme.test/sitemap.xml
            User-agent: *
            Disallow: /private
            Sitemap: https://www.acme.test/sitemap-index.xml.gz
            sitemap: https://www.acme.test/sitemap.xml
            """)
        #expect(robots.sitemaps == ["https://www.acme.test/sitemap.xml", "https://www.acme.test/sitemap-index.xml.gz"])
        #expect(!robots.allows("/private/x", for: "builder"))
    }

    @Test func decidingRuleIsReported() {
        let robots = RobotsTxt(parsing: "User-agent: *\nDisallow: /contact\n")
        #expect(robots.decidingRule(for: "/contact-us", productToken: "builder") == RobotsTxt.Rule(allow: false, pattern: "/contact"))
        #expect(robots.decidingRule(for: "/", productToken: "builder") == nil)
    }
}
