import Testing
@testable import WebPages

@Suite("Social profiles")
struct SocialProfilesTests {
    private func canonical(_ text: String) -> String? { SocialProfiles.canonical(text)?.url }

    @Test(arguments: [
        ("https://www.linkedin.com/company/boulangerie-martin", "https://www.linkedin.com/company/boulangerie-martin"),
        ("https://fr.linkedin.com/company/Boulangerie-Martin/about/?trk=footer", "https://www.linkedin.com/company/boulangerie-martin"),
        ("http://linkedin.com/company/caf%C3%A9-martin/", "https://www.linkedin.com/company/caf%C3%A9-martin"),
        ("https://www.facebook.com/BoulangerieMartinParis/?ref=footer", "https://www.facebook.com/boulangeriemartinparis"),
        ("https://m.facebook.com/boulangerie.martin/posts/123", "https://www.facebook.com/boulangerie.martin"),
        ("https://fr-fr.facebook.com/pg/boulangerie.martin/about/", "https://www.facebook.com/boulangerie.martin"),
        ("https://www.facebook.com/profile.php?id=100064123456789&ref=x", "https://www.facebook.com/profile.php?id=100064123456789"),
        ("https://www.facebook.com/people/Boulangerie-Martin/100064123456789/", "https://www.facebook.com/people/Boulangerie-Martin/100064123456789"),
        ("https://www.facebook.com/pages/Boulangerie-Martin/123456789", "https://www.facebook.com/pages/Boulangerie-Martin/123456789"),
        ("https://fb.com/boulangeriemartin", "https://www.facebook.com/boulangeriemartin"),
        ("https://instagram.com/Boulangerie.Martin/", "https://www.instagram.com/boulangerie.martin"),
        ("https://www.instagram.com/boulangerie_martin?igsh=abc", "https://www.instagram.com/boulangerie_martin"),
        ("https://twitter.com/BoulangMartin?lang=fr", "https://x.com/boulangmartin"),
        ("https://mobile.twitter.com/boulangmartin", "https://x.com/boulangmartin"),
        ("https://x.com/BoulangMartin/", "https://x.com/boulangmartin"),
        ("https://www.youtube.com/@BoulangerieMartin", "https://www.youtube.com/@boulangeriemartin"),
        ("https://m.youtube.com/@boulangeriemartin/videos", "https://www.youtube.com/@boulangeriemartin"),
        ("https://www.youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0kL", "https://www.youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0kL"),
        ("https://youtube.com/c/BoulangerieMartin/featured", "https://www.youtube.com/c/BoulangerieMartin"),
        ("https://www.youtube.com/user/boulangeriemartin", "https://www.youtube.com/user/boulangeriemartin"),
        ("facebook.com/boulangeriemartin", "https://www.facebook.com/boulangeriemartin"),
    ])
    func canonicalForms(link: String, expected: String) {
        #expect(canonical(link) == expected, "\(link)")
    }

    @Test(arguments: [
        "https://www.facebook.com/", "https://www.facebook.com", "https://www.facebook.com/sharer/sharer.php?u=x",
        "https://www.facebook.com/sharer.php?u=x", "https://www.facebook.com/dialog/share?app_id=1",
        "https://www.facebook.com/plugins/page.php?href=x", "https://www.facebook.com/policies", "https://www.facebook.com/wix",
        "https://www.facebook.com/groups/123", "https://www.facebook.com/hashtag/pain", "https://www.facebook.com/profile.php",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fx.fr", "https://twitter.com/intent/tweet?text=x", "https://twitter.com/share",
        "https://twitter.com/home", "https://twitter.com/boulangmartin/status/123", "https://twitter.com/a-b",
        "https://x.com/i/flow/login", "https://www.linkedin.com/", "https://www.linkedin.com/in/jean-martin",
        "https://www.linkedin.com/shareArticle?mini=true&url=x", "https://www.linkedin.com/sharing/share-offsite/?url=x",
        "https://www.linkedin.com/company/", "https://www.instagram.com/", "https://www.instagram.com/p/Cx123/",
        "https://www.instagram.com/explore/tags/pain/", "https://www.instagram.com/reel/abc", "https://www.youtube.com/",
        "https://www.youtube.com/watch?v=abc", "https://youtu.be/abc", "https://www.youtube.com/embed/abc",
        "https://www.youtube.com/channel/", "https://www.youtube.com/BoulangerieMartin", "https://www.pinterest.fr/martin",
        "https://www.linkedin.com.evil.fr/company/x", "https://notfacebook.com/martin", "not a link",
    ])
    func dropped(link: String) {
        #expect(canonical(link) == nil, "\(link)")
    }

    @Test func fixtureFooter() throws {
        let page = try Fixtures.page("boulangerie-martin/index.html", at: "https://www.boulangerie-martin.fr/")
        let profiles = SocialProfiles.find(on: page)
        #expect(profiles.map(\.url) == [
            "https://www.facebook.com/boulangeriemartinparis", "https://www.instagram.com/boulangerie.martin",
            "https://www.linkedin.com/company/boulangerie-martin", "https://x.com/boulangmartin",
            "https://www.youtube.com/@boulangeriemartin",
        ])
        #expect(profiles.map(\.network) == [.facebook, .instagram, .linkedin, .x, .youtube])
        #expect(profiles.allSatisfy { $0.source == page.address })
    }
}
