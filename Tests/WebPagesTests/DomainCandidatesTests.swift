import Testing
@testable import WebPages

@Suite("Domain candidates")
struct DomainCandidatesTests {
    @Test func hyphenatedThenJoinedFrThenCom() {
        #expect(DomainCandidates.guess(name: "Boulangerie Martin") == [
            "boulangerie-martin.fr", "boulangerie-martin.com", "boulangeriemartin.fr", "boulangeriemartin.com",
        ])
    }

    @Test func accentsCaseAndPunctuationFold() {
        #expect(DomainCandidates.labels(for: "PÂTISSERIE L'ÉCLAIR D'OR") == [
            "patisserie-l-eclair-d-or", "patisserieleclairdor", "patisserie-eclair-or", "patisserieeclairor",
        ])
        #expect(DomainCandidates.labels(for: "Œufs & Cœurs") == ["oeufs-coeurs", "oeufscoeurs"])
    }

    @Test(arguments: [
        ("SARL BOULANGERIE MARTIN", "boulangerie-martin"), ("BOULANGERIE MARTIN SAS", "boulangerie-martin"),
        ("S.A.R.L. BOULANGERIE MARTIN", "boulangerie-martin"), ("Boulangerie Martin S.A.S.U.", "boulangerie-martin"),
        ("EURL PLOMBERIE DUPONT", "plomberie-dupont"), ("SCI DES LILAS", "des-lilas"), ("SNC GARAGE DU PORT", "garage-du-port"),
        ("SCP DURAND ET ASSOCIES", "durand-et-associes"), ("SELARL CABINET DENTAIRE LEROY", "cabinet-dentaire-leroy"),
        ("MARTIN ET FILS", "martin"), ("MARTIN & FILS", "martin"), ("DUPONT ET CIE", "dupont"), ("DUPONT & MARTIN", "dupont-martin"),
        ("SA GARAGE 2000", "garage-2000"), ("GAEC DE LA FERME", "de-la-ferme"), ("SOCIETE NOUVELLE DES TRANSPORTS ROUX", "nouvelle-des-transports-roux"),
    ])
    func legalFormsAreDropped(name: String, firstLabel: String) {
        #expect(DomainCandidates.labels(for: name).first == firstLabel, "\(name)")
    }

    @Test func articlesDroppedOnlyWhenTwoWordsRemain() {
        #expect(DomainCandidates.labels(for: "LA BOULANGERIE DU CENTRE") == [
            "la-boulangerie-du-centre", "laboulangerieducentre", "boulangerie-centre", "boulangeriecentre",
        ])
        // "fournil" alone would be any bakery's domain: no article-free variant.
        #expect(DomainCandidates.labels(for: "LE FOURNIL") == ["le-fournil", "lefournil"])
    }

    @Test func descriptorKeptWhenTheNameIsOneWord() {
        #expect(DomainCandidates.labels(for: "ETS MARTIN") == ["ets-martin", "etsmartin", "martin"])
        #expect(DomainCandidates.labels(for: "ETABLISSEMENTS MARTIN") == ["etablissements-martin", "etablissementsmartin", "martin"])
        #expect(DomainCandidates.labels(for: "SOCIETE GENERALE") == ["societe-generale", "societegenerale", "generale"])
        #expect(DomainCandidates.guess(name: "Ets Martin") == [
            "ets-martin.fr", "ets-martin.com", "etsmartin.fr", "etsmartin.com", "martin.fr", "martin.com",
        ])
        // Two words left: no variant with the descriptor.
        #expect(DomainCandidates.labels(for: "ETS MARTIN FRERES") == ["martin-freres", "martinfreres"])
    }

    @Test func parenthesesAreDroppedUnlessTheyAreAllTheName() {
        #expect(DomainCandidates.labels(for: "BOULANGERIE MARTIN (BM)") == ["boulangerie-martin", "boulangeriemartin"])
        #expect(DomainCandidates.labels(for: "(BM)") == ["bm"])
        #expect(DomainCandidates.labels(for: "MARTIN [ANCIENNEMENT DUPONT]") == ["martin"])
    }

    @Test func nothingForEmptyOrLegalFormOnlyNames() {
        #expect(DomainCandidates.guess(name: "") == [])
        #expect(DomainCandidates.guess(name: "SARL") == [])
        #expect(DomainCandidates.guess(name: "  - & . ") == [])
        #expect(DomainCandidates.guess(name: "日本語") == [])
    }

    @Test func labelsFollowDNSRules() {
        let long = String(repeating: "abcdefghij ", count: 7)  // 70 letters joined, 76 with hyphens
        #expect(DomainCandidates.labels(for: long) == [])
        let sixtyThree = String(repeating: "a", count: 63)
        #expect(DomainCandidates.labels(for: sixtyThree) == [sixtyThree])
        for name in ["-Dupont-", "Café—Bar", "L'Atelier du 7e", "A.B.C. Plomberie", "Ñandú SARL", "Straße 5"] {
            for domain in DomainCandidates.guess(name: name) {
                #expect(HostName.isValidDomain(domain), "\(domain) from \(name)")
            }
        }
        #expect(DomainCandidates.labels(for: "Straße 5") == ["strasse-5", "strasse5"])
        #expect(DomainCandidates.labels(for: "A.B.C. Plomberie") == ["abc-plomberie", "abcplomberie"])
    }

    @Test func capPerNameAndMergeInOrder() {
        let one = DomainCandidates.guess(name: "LA BOULANGERIE DU CENTRE", limit: 8)
        #expect(one.count == 8)
        #expect(DomainCandidates.guess(name: "LA BOULANGERIE DU CENTRE", limit: 3) == Array(one.prefix(3)))
        let merged = DomainCandidates.guess(names: ["BOULANGERIE MARTIN (BM)", nil, "SARL BOULANGERIE MARTIN", "", "AU BON PAIN"], perName: 8)
        #expect(merged == [
            "boulangerie-martin.fr", "boulangerie-martin.com", "boulangeriemartin.fr", "boulangeriemartin.com",
            "au-bon-pain.fr", "au-bon-pain.com", "aubonpain.fr", "aubonpain.com", "bon-pain.fr", "bon-pain.com",
            "bonpain.fr", "bonpain.com",
        ])
        #expect(Set(merged).count == merged.count)
    }

    @Test func deterministic() {
        let names: [String?] = ["Garage de l'Église SARL", "GARAGE DE L EGLISE", "Auto Église"]
        #expect(DomainCandidates.guess(names: names) == DomainCandidates.guess(names: names))
    }
}
