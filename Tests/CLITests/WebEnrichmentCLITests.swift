import Foundation
import TestSupport
import Testing
import WebFixtures
import WebPages

/// The web steps of the `standard` and `deep` profiles through the binary, against fixture sites
/// served by a loopback server that is the proxy for every host (`http.proxy`), with its test CA
/// (`http.ca_file`): never the network. The companies are rows of a sample stock and unit file.
@Suite(.serialized) struct WebEnrichmentCLITests {
    /// A company of the niche and the first domain its names give.
    struct Company {
        let siren: String
        let siret: String
        let name: String
        let postalCode: String
        let domain: String
    }

    /// A workspace with a sample stock and unit file, a niche of it, and six companies of the
    /// niche (one establishment each, distinct guessed domains).
    static func prepare() throws -> (TestDirectory, [Company], job: String) {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", "400", "--seed", "11", "--out", "stock.csv", "--units", "units.csv"])
        #expect(made.status == 0, "\(made.stderr)")
        let job = """
            niche: web
            filters: {naf_include: ["43", "47", "56"], active_only: false}
            profile: standard
            http: {cache_dir: cache}

            """
        try workspace.write(job, to: "job.yaml")
        // The niche's rows as the standard profile reads them, from the cache only: nothing fetched.
        let first = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--units", "units.csv",
                                       "--out", "first", "--offline"])
        #expect(first.status == 0, "\(first.stderr)")
        let rows = try csvRows(workspace.contents("first/dataset.csv"))
        var perSiren: [String: Int] = [:]
        for row in rows { perSiren[row["siren"] ?? "", default: 0] += 1 }
        var companies: [Company] = []
        var domains = Set<String>()
        for row in rows {
            guard let siren = row["siren"], perSiren[siren] == 1, let siret = row["siret"], !siret.isEmpty,
                  let name = row["nom_complet"], !name.isEmpty, let postal = row["code_postal"], postal.count == 5,
                  (row["enseigne"] ?? "").isEmpty else { continue }
            let guessed = DomainCandidates.guess(names: [name, row["denomination"], nil])
            guard let domain = guessed.first, guessed.allSatisfy({ !domains.contains($0) }) else { continue }
            domains.formUnion(guessed)
            companies.append(Company(siren: siren, siret: siret, name: name, postalCode: postal, domain: domain))
            if companies.count == 6 { break }
        }
        try #require(companies.count == 6, "the sample niche has too few companies")
        return (workspace, companies, job)
    }

    /// `123 456 789`.
    static func spaced(_ siren: String) -> String {
        let digits = Array(siren)
        return "\(String(digits[0..<3])) \(String(digits[3..<6])) \(String(digits[6..<9]))"
    }

    /// The fixture sites: A proves itself by its SIREN on its legal page (obfuscated e-mail on its
    /// contact page, social links); B is a homonym of company B (its name, another SIREN and
    /// town); C shows its SIRET on its home page and its robots.txt forbids its contact page; D
    /// is in the team's file of known sites (no proof needed); E proves itself by its name and
    /// postal code, its contacts only in a gzip sitemap listed by a sitemap index (deep); F would
    /// prove itself by its SIREN on its home page, but answers after the establishment's time.
    static func sites(_ companies: [Company]) -> [FixtureSite] {
        let (a, b, c, d, e) = (companies[0], companies[1], companies[2], companies[3], companies[4])
        let footer = "<a href=\"/mentions-legales\">Mentions légales</a> <a href=\"/contact\">Contact</a>"
        let siteA = FixtureSite(a.domain)
            .page("/", html: "<html><body><h1>\(a.name)</h1>\(footer)"
                + "<a href=\"https://fr.linkedin.com/company/\(a.domain.split(separator: ".")[0])/\">LinkedIn</a>"
                + "<a href=\"https://www.facebook.com/sharer.php?u=x\">Partager</a>"
                + "<a href=\"https://facebook.com/\(a.domain.split(separator: ".")[0])\">Facebook</a></body></html>")
            .page("/mentions-legales", html: "<p>\(a.name), SAS au capital de 1000 euros, RCS Paris \(spaced(a.siren)). "
                + "Tél. : 01 23 45 67 89</p>")
            .page("/contact", html: "<p>Écrivez-nous : contact [at] \(a.domain.replacingOccurrences(of: ".", with: " [dot] "))</p>")
        let otherPostal = b.postalCode == "13001" ? "69002" : "13001"
        let siteB = FixtureSite(b.domain)
            .page("/", html: "<h1>\(b.name)</h1><p>12 rue du Port, \(otherPostal) Ailleurs</p>\(footer)")
            .page("/mentions-legales", html: "<p>\(b.name), RCS 552 100 554. contact@\(b.domain), 04 91 00 00 00</p>")
            .page("/contact", html: "<p>contact@\(b.domain)</p>")
        let siteC = FixtureSite(c.domain)
            .robots("User-agent: *\nDisallow: /contact\n")
            .page("/", html: "<h1>\(c.name)</h1><footer>SIRET \(spaced(c.siren)) \(c.siret.suffix(5))</footer>\(footer)")
            .page("/mentions-legales", html: "<p>Téléphone : 05 56 00 11 22</p>")
            .page("/contact", html: "<p>secret@\(c.domain)</p>")
        let siteD = FixtureSite("www.site-connu.fr")
            .page("/", html: "<p>Appelez-nous : <a href=\"tel:+33 4 78 00 11 22\">04 78 00 11 22</a></p>")
        let pagesSitemap = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc>https://\(e.domain)/</loc></url><url><loc>https://\(e.domain)/nous-contacter</loc></url>
            </urlset>
            """
        let siteE = FixtureSite(e.domain)
            .robots("User-agent: *\nAllow: /\nSitemap: https://\(e.domain)/sitemap_index.xml\n")
            .page("/", html: "<h1>\(e.name)</h1><p>3 place de la Mairie, \(e.postalCode) Ville</p>")
            .page("/sitemap_index.xml", .text("""
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                <sitemap><loc>https://\(e.domain)/sitemap-pages.xml.gz</loc></sitemap></sitemapindex>
                """, contentType: "application/xml"))
            .page("/sitemap-pages.xml.gz", .bytes(FixtureEncoding.gzip.encode(Array(pagesSitemap.utf8)), contentType: "application/gzip"))
            .page("/nous-contacter", html: "<p>bonjour(at)\(e.domain) ou 02 40 00 11 22</p>")
        let siteF = FixtureSite(companies[5].domain)
            .page("/", FixtureResponse.html("<p>SIREN \(companies[5].siren)</p>").delayed(40))
        return [siteA, siteB, siteC, siteD, siteE, siteF]
    }

    /// The job, with the fixture server as the proxy and its CA, a short delay, the known sites.
    static func webJob(_ job: String, proxy: String, caFile: String) -> String {
        job.replacingOccurrences(of: "http: {cache_dir: cache}", with: """
            http: {cache_dir: cache, proxy: "\(proxy)", ca_file: "\(caFile)", delay_s: 0.2, timeout_s: 30, site_timeout_s: 20, contact_url: "https://example.org/crawl"}
            known_sites: sites.csv
            """)
    }

    @Test func deepProfileFillsTheProvenCompaniesOnlyPolitelyAndOfflineAgain() async throws {
        let (workspace, companies, job) = try Self.prepare()
        let server = try await FixtureServer.start(Self.sites(companies) + [
            FixtureSite("www.chaine.fr").page("/", html: "<p>Standard : 01 40 00 00 01</p>"),
        ])
        let (a, b, c, d, e) = (companies[0], companies[1], companies[2], companies[3], companies[4])
        // A company with several establishments in the niche (a chain): one site for all of them.
        let first = try Self.csvRows(workspace.contents("first/dataset.csv"))
        let chain = try #require(Dictionary(grouping: first, by: { $0["siren"] ?? "" }).first { $0.value.count > 1 }?.key)
        try workspace.write("siren,url\n\(d.siren),www.site-connu.fr\n\(chain),https://www.chaine.fr/\n", to: "sites.csv")
        try workspace.write(Self.webJob(job, proxy: server.proxyURL, caFile: server.caFile), to: "job.yaml")

        // A dry run fetches nothing.
        let dry = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--units", "units.csv",
                                     "--out", "dry", "--profile", "deep", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(server.requests.isEmpty && server.tunnels.isEmpty)
        #expect(!workspace.exists("dry"))

        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--units", "units.csv",
                                     "--out", "out", "--profile", "deep", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Self.csvRows(workspace.contents("out/dataset.csv"))
        let bySiren = Dictionary(rows.map { ($0["siren"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let rowA = try #require(bySiren[a.siren])
        #expect(rowA["site_web"] == "https://\(a.domain)/")
        #expect(rowA["site_web_preuve"] == "siren")
        #expect(rowA["site_web_source"] == "https://\(a.domain)/mentions-legales")
        #expect(rowA["email"] == "contact@\(a.domain)")
        #expect(rowA["email_source"] == "https://\(a.domain)/contact")
        #expect(rowA["telephone"] == "+33123456789")
        #expect(rowA["telephone_source"] == "https://\(a.domain)/mentions-legales")
        let label = a.domain.split(separator: ".")[0]
        #expect(rowA["linkedin"] == "https://www.linkedin.com/company/\(label)")
        #expect(rowA["facebook"] == "https://www.facebook.com/\(label)")
        #expect(rowA["instagram"] == "")
        // The homonym: its site names it, but shows neither its SIREN nor its postal code.
        let rowB = try #require(bySiren[b.siren])
        for column in ["site_web", "site_web_preuve", "email", "telephone", "linkedin"] { #expect(rowB[column] == "", "\(column)") }
        let rowC = try #require(bySiren[c.siren])
        #expect(rowC["site_web_preuve"] == "siret")
        #expect(rowC["telephone"] == "+33556001122")
        #expect(rowC["email"] == "")
        #expect(!server.requests(to: c.domain).contains { $0.path == "/contact" })
        let rowD = try #require(bySiren[d.siren])
        #expect(rowD["site_web"] == "https://www.site-connu.fr/")
        #expect(rowD["site_web_preuve"] == "fichier")
        #expect(rowD["telephone"] == "+33478001122")
        let rowE = try #require(bySiren[e.siren])
        #expect(rowE["site_web_preuve"] == "nom_code_postal")
        #expect(rowE["email"] == "bonjour@\(e.domain)")
        #expect(rowE["email_source"] == "https://\(e.domain)/nous-contacter")
        #expect(rowE["telephone"] == "+33240001122")
        let chainRows = rows.filter { $0["siren"] == chain }
        #expect(chainRows.count > 1)
        #expect(chainRows.allSatisfy { $0["site_web"] == "https://www.chaine.fr/" && $0["telephone"] == "+33140000001" })
        // One reading of its site for all its establishments, also when they come in several batches.
        #expect(server.requests(to: "www.chaine.fr").filter { $0.path == "/" }.count == 1, "\(server.requests(to: "www.chaine.fr"))")
        #expect(server.requests(to: "www.chaine.fr").filter { $0.path == "/sitemap.xml" }.count <= 1, "\(server.requests(to: "www.chaine.fr"))")
        // F's site answers after its time (http.site_timeout_s, long enough for the other sites on
        // a loaded machine): not waited for.
        #expect(try #require(bySiren[companies[5].siren])["site_web"] == "")
        // Nothing else of the niche has a site; contactability counts what was found.
        let proven = Set([a.siren, c.siren, d.siren, e.siren, chain])
        for row in rows where !proven.contains(row["siren"] ?? "") { #expect(row["site_web"] == "", "\(row["siren"] ?? "")") }
        #expect(Int(rowA["contactability"] ?? "") ?? 0 >= 80)
        #expect(Int(rowB["contactability"] ?? "") ?? 100 <= 20)

        // Polite: every request carries the user agent; no host got two requests closer than the delay.
        let requests = server.requests
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0.header("User-Agent")?.hasPrefix("builder/") == true
            && $0.header("User-Agent")?.hasSuffix("(+https://example.org/crawl)") == true })
        for host in Set(requests.map(\.host)) {
            let times = server.requests(to: host).map(\.time).sorted()
            for (earlier, later) in zip(times, times.dropFirst()) {
                #expect(earlier.duration(to: later) >= .milliseconds(190), "\(host): requests \(earlier.duration(to: later)) apart")
            }
        }
        // The manifest counts what was done.
        let manifest = try jsonObject(workspace.contents("out/manifest.json"))
        let steps = try #require(manifest["steps"] as? [[String: Any]])
        let website = try #require(steps.first { $0["name"] as? String == "enrich.website" }?["web"] as? [String: Any])
        let verified = try #require(website["sites_verified"] as? [String: Int])
        #expect(verified == ["siren": 1, "siret": 1, "nom_code_postal": 1, "fichier": 1 + chainRows.count, "lua": 0])
        // One search per company (and list of candidates), not per establishment.
        let searches = try #require(website["searches"] as? Int)
        #expect(searches >= Set(rows.map { $0["siren"] ?? "" }).count && searches < rows.count)
        #expect(website["establishments"] as? Int == rows.count)
        #expect((website["candidates_tried"] as? Int ?? 0) >= rows.count)
        let http = try #require(website["http"] as? [String: Any])
        #expect((http["requests"] as? Int ?? 0) > 0)
        #expect(((http["errors"] as? [String: Int])?["connect"] ?? 0) > 0)
        #expect(((http["errors"] as? [String: Int])?["timeout"] ?? 0) > 0)
        let social = try #require(steps.first { $0["name"] as? String == "enrich.social" }?["web"] as? [String: Any])
        #expect((social["profiles"] as? [String: Int])?["linkedin"] == 1)

        // Offline, from the cache: the same dataset, no request at all.
        let before = server.requests.count
        let offline = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--units", "units.csv",
                                         "--out", "offline", "--profile", "deep", "--offline"])
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(server.requests.count == before)
        #expect(try workspace.contents("offline/dataset.csv") == workspace.contents("out/dataset.csv"))
        await server.stop()
    }

    /// Two runs side by side, as processes of their own (as `--scan-per-job --parallel 2` runs
    /// its jobs), with one cache directory: their requests to each host are the delay apart.
    @Test func twoProcessesSharingTheCacheTakeTurnsAtEachHost() async throws {
        let (workspace, companies, job) = try Self.prepare()
        defer { workspace.remove() }
        let server = try await FixtureServer.start(Self.sites(companies))
        try workspace.write("siren,url\n", to: "sites.csv")
        try workspace.write(Self.webJob(job, proxy: server.proxyURL, caFile: server.caFile), to: "job.yaml")
        let runs = ["one", "two"].map { out in
            BackgroundRun { () -> ProcessRun? in
                try? workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--units", "units.csv",
                                    "--out", out, "--profile", "deep"], timeout: 120)
            }
        }
        for run in runs {
            let finished = run.wait(timeout: 150) ?? nil
            #expect(finished?.status == 0, "\(finished?.stderr ?? "did not finish")")
        }
        var spaced = 0
        for company in companies {
            let times = server.requests(to: company.domain).map(\.time)
            for (earlier, later) in zip(times, times.dropFirst()) {
                #expect(earlier.duration(to: later) >= .milliseconds(200), "\(company.domain)")
                spaced += 1
            }
        }
        #expect(spaced >= companies.count, "each site was read")
        await server.stop()
    }

    @Test func noNetworkEndsPromptlyWithOneMessageAndEmptyWebColumns() async throws {
        let (workspace, _, job) = try Self.prepare()
        // A port nothing listens on: a server's, once stopped.
        let closed = try await FixtureServer.start([])
        let proxy = closed.proxyURL
        await closed.stop()
        try workspace.write("siren,url\n", to: "sites.csv")
        try workspace.write(Self.webJob(job, proxy: proxy, caFile: TestCertificates.shared.caFile), to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--units", "units.csv",
                                     "--out", "out", "--profile", "deep"], timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "the network looks down").count == 2, "\(run.stderr)")
        let rows = try Self.csvRows(workspace.contents("out/dataset.csv"))
        #expect(!rows.isEmpty)
        for row in rows {
            for column in ["site_web", "email", "telephone", "linkedin"] { #expect(row[column] == "") }
        }
        #expect(workspace.exists("out/dataset.parquet"))
    }

    @Test func theTeamsLuaFunctionGivesSitesAndNoDomainIsGuessedWhenTurnedOff() async throws {
        let (workspace, companies, job) = try Self.prepare()
        let server = try await FixtureServer.start([
            FixtureSite("www.site-lua.fr").page("/", html: "<p>contact@site-lua.fr</p>"),
        ] + Self.sites(companies))
        try workspace.write("siren,url\n", to: "sites.csv")
        try workspace.write("""
            return {
              candidates = function(row)
                if row.siren == "\(companies[1].siren)" then return {"ftp://nope", "www.site-lua.fr"} end
              end,
            }
            """, to: "sites.lua")
        try workspace.write(Self.webJob(job, proxy: server.proxyURL, caFile: server.caFile)
            + "website_candidates: sites.lua\nguess_domains: false\n", to: "job.yaml")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--units", "units.csv",
                                     "--out", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("website_candidates sites.lua: row "), "\(run.stderr)")
        #expect(run.stderr.contains("only http and https sites can be read, not ftp:"), "\(run.stderr)")
        let rows = try Self.csvRows(workspace.contents("out/dataset.csv"))
        let found = rows.filter { $0["site_web"] != "" }
        #expect(found.map { $0["siren"] ?? "" } == [companies[1].siren])
        #expect(found.first?["site_web"] == "https://www.site-lua.fr/")
        #expect(found.first?["site_web_preuve"] == "lua")
        #expect(found.first?["site_web_source"] == "website_candidates sites.lua")
        #expect(found.first?["email"] == "contact@site-lua.fr")
        // Nothing guessed: the only host reached is the function's.
        #expect(Set(server.tunnels) == ["www.site-lua.fr:443"])

        // An error in the function fails the run with its place and the row.
        try workspace.write("return {candidates = function(row) error('no CRM for ' .. row.siren) end}\n", to: "sites.lua")
        let failing = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--units", "units.csv",
                                         "--out", "failing"])
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("website_candidates sites.lua: ./sites.lua:1: no CRM for "), "\(failing.stderr)")
        #expect(failing.stderr.contains("(row 1 of the niche, siret "), "\(failing.stderr)")
        #expect(!workspace.exists("failing/dataset.csv"))
        await server.stop()
    }

    @Test func offlineReachesTheJobsOfABatchAndBuilderOfflineWorksToo() throws {
        let (workspace, _, _) = try Self.prepare()
        let binary = try #require(builderBinaryPath)
        let cache = workspace.file("xdg")
        let batch = try runProcess("/usr/bin/env", ["XDG_CACHE_HOME=\(cache)", binary, "batch", "--naf", "43", "--input", "stock.csv",
                                                    "--units", "units.csv", "--profile", "standard", "--offline",
                                                    "--output-dir", "batch", "--json"], in: workspace.path, timeout: 120)
        #expect(batch.status == 0, "\(batch.stderr)")
        let manifest = try jsonObject(workspace.contents("batch/naf_43/manifest.json"))
        let steps = try #require(manifest["steps"] as? [[String: Any]])
        let website = try #require(steps.first { $0["name"] as? String == "enrich.website" }?["web"] as? [String: Any])
        #expect(website["offline"] as? Bool == true)
        #expect((website["http"] as? [String: Any])?["requests"] as? Int == 0)
        #expect(FileManager.default.fileExists(atPath: cache + "/builder/http"))
        // An empty cache answers nothing: no domain is guessed, every establishment is a miss.
        let establishments = try #require(website["establishments"] as? Int)
        #expect(establishments > 0)
        #expect(website["candidates_tried"] as? Int == 0)
        #expect(website["offline_misses"] as? Int == establishments)

        let run = try runProcess("/usr/bin/env", ["BUILDER_OFFLINE=1", binary, "run-profile", "--job", "job.yaml", "--input", "stock.csv",
                                                  "--units", "units.csv", "--out", "env"], in: workspace.path, timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let envSteps = try #require(try jsonObject(workspace.contents("env/manifest.json"))["steps"] as? [[String: Any]])
        let envWebsite = try #require(envSteps.first { $0["name"] as? String == "enrich.website" }?["web"] as? [String: Any])
        #expect(envWebsite["offline"] as? Bool == true)
    }

    /// Offline with an empty cache, `enrich.website` takes a shortcut (no establishment can get a
    /// site: nothing is searched, no domain guessed): one search per company, every establishment
    /// an offline miss and not found; the datasets and the other counts are those of the general
    /// path, which an offline run takes when its cache holds an entry (of no establishment's site).
    @Test func offlineWithAnEmptyCacheSearchesNothingAndCountsEveryEstablishment() throws {
        let (workspace, _, _) = try Self.prepare()
        try FileManager.default.createDirectory(atPath: workspace.file("other/ab"), withIntermediateDirectories: true)
        try workspace.write("not an entry of any page", to: "other/ab/ab" + String(repeating: "0", count: 62))
        func website(_ cache: String) throws -> [String: Any] {
            let job = try workspace.contents("job.yaml").replacingOccurrences(of: "cache_dir: cache", with: "cache_dir: \(cache)")
            try workspace.write(job, to: "\(cache).yaml")
            let run = try workspace.run(["run-profile", "--job", "\(cache).yaml", "--input", "stock.csv", "--units", "units.csv",
                                         "--out", "out-\(cache)", "--offline"])
            #expect(run.status == 0, "\(run.stderr)")
            let steps = try #require(try jsonObject(workspace.contents("out-\(cache)/manifest.json"))["steps"] as? [[String: Any]])
            return try #require(steps.first { $0["name"] as? String == "enrich.website" }?["web"] as? [String: Any])
        }
        let shortcut = try website("empty")
        let rows = try Self.csvRows(workspace.contents("out-empty/dataset.csv"))
        #expect(!rows.isEmpty)
        #expect(shortcut["establishments"] as? Int == rows.count)
        #expect(shortcut["searches"] as? Int == Set(rows.map { $0["siren"] ?? "" }).count)
        #expect(shortcut["sites_not_found"] as? Int == rows.count)
        #expect(shortcut["offline_misses"] as? Int == rows.count)
        #expect(shortcut["candidates_tried"] as? Int == 0)

        let general = try website("other")
        // The general path guessed domains and missed each in the cache.
        #expect((general["candidates_tried"] as? Int ?? 0) > 0)
        for key in ["establishments", "site_from_input", "sites_not_found"] {
            #expect(shortcut[key] as? Int == general[key] as? Int, "\(key)")
        }
        #expect(try workspace.contents("out-empty/dataset.csv") == workspace.contents("out-other/dataset.csv"))
    }

    @Test func badWebKeysAreUsageErrorsNamingTheKey() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren,siret,activitePrincipaleEtablissement\n", to: "stock.csv")
        let cases: [(String, String)] = [
            ("http: {delay: 1}", "field 'http.delay': unknown field (known: contact_url"),
            ("http: {delay: 1}", "; did you mean delay_s?"),
            ("http: {delay_s: \"1\"}", "field 'http.delay_s': expected a number of seconds from 0 to 86400, got string \"1\""),
            ("http: {concurrency: 0}", "field 'http.concurrency': expected an integer from 1 to 1024, got integer 0"),
            ("http: {proxy: \"ftp://p:1\"}", "only http:// proxies are supported"),
            ("known_sites: missing.csv", "field 'known_sites': no such file"),
            ("guess_domains: \"no\"", "field 'guess_domains': expected true or false"),
        ]
        for (line, expected) in cases {
            try workspace.write("niche: web\nfilters: {naf_include: [\"43\"]}\nprofile: standard\n"
                + "steps: [dumps.collect, normalize.standardize, enrich.website, enrich.contacts, package.export]\n\(line)\n", to: "job.yaml")
            let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out", "--dry-run"])
            #expect(run.status == 2, "\(line): \(run.stderr)")
            #expect(run.stderr.contains(expected), "\(line): \(run.stderr)")
        }
        #expect(!workspace.exists("out"))
    }

    /// Rows of a CSV written by builder (RFC 4180, CRLF), as dictionaries; a null is "".
    static func csvRows(_ text: String) throws -> [[String: String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar?
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else {
                            quoted = false
                            pending = next
                        }
                    } else { quoted = false }
                } else { field.unicodeScalars.append(scalar) }
            } else if scalar == "\"" {
                quoted = true
            } else if scalar == "," {
                record.append(field)
                field = ""
            } else if scalar == "\r" {
                continue
            } else if scalar == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        let header = try #require(records.first)
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
