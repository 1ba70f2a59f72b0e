import Testing
@testable import DangjianDomain

/// Issue 18, item 5 (DUES-08/20/21): remittance periods, the share rounding, and the property that for random payment
/// histories every fen of every member-month is either retained at a level of the tree or passed out of it — so the
/// ledger balances to the fen (collected = remitted + retained).
@Suite("党费账目: periods, shares, every member-month accounted for")
struct DuesLedgerTests {
    @Test("periods are read, written and found as offices name them")
    func periods() throws {
        let q = try #require(DuesPeriod.parse("2026-Q2"))
        #expect(q.first == DuesMonth(year: 2026, month: 4) && q.last == DuesMonth(year: 2026, month: 6) && q.description == "2026年第2季度")
        #expect(DuesPeriod(containing: DuesMonth(year: 2026, month: 7)!, length: .halfYearly).code == "2026-H2")
        #expect(DuesPeriod(containing: DuesMonth(year: 2026, month: 12)!, length: .monthly).code == "2026-12")
        #expect(DuesPeriod.parse("2026")?.length == .yearly && DuesPeriod.parse("2026")?.last == DuesMonth(year: 2026, month: 12))
        for length in DuesRemitPeriod.allCases {
            let all = DuesPeriod.all(year: 2027, length: length)
            #expect(all.count == 12 / length.months)
            #expect(all.map(\.code).compactMap(DuesPeriod.parse) == all)
            // Every month of the year lies in exactly one period.
            for m in 1...12 { #expect(all.filter { $0.contains(DuesMonth(year: 2027, month: m)!) }.count == 1) }
        }
        for bad in ["2026-Q5", "2026-H3", "2026-13", "26-Q1", "", "2026-X1"] { #expect(DuesPeriod.parse(bad) == nil, "\(bad)") }
    }

    @Test("a share is rounded half up and a reversal mirrors its payment (DUES-16's rounding)")
    func shares() {
        #expect(DuesRemittance.share(1, basisPoints: 5_000) == 1)
        #expect(DuesRemittance.share(-1, basisPoints: 5_000) == -1)
        #expect(DuesRemittance.share(4_321, basisPoints: 2_000) == 864)
        #expect(DuesRemittance.share(4_322, basisPoints: 2_500) == 1_081)  // 1080.5 → 1081
        #expect(DuesRemittance.share(1_500, basisPoints: 10_000) == 1_500 && DuesRemittance.share(1_500, basisPoints: 0) == 0)
        #expect(DuesRemittance.share(Int64.max, basisPoints: 10_000) == Fen.maximum)  // bounded, never traps
        #expect(DuesRemittance.parts(amount: 4_501, monthCount: 3) == [1_501, 1_500, 1_500])
        #expect(DuesRemittance.parts(amount: 100_000, monthCount: 0) == [100_000])
    }

    @Test("a branch passes all to its committee, which keeps 80 % and passes 20 %; 1,000 yuan voluntary goes up whole")
    func chain() {
        let split = DuesRemittance.split(4_322, shares: [10_000, 2_000, 500])
        #expect(split.arrived == [4_322, 4_322, 864] && split.passed == [4_322, 864, 43])
        #expect(split.retained == [0, 3_458, 821] && split.out == 43)
        let centre = DuesRemittance.split(100_000, shares: [10_000, 2_000, 500], inFull: true)
        #expect(centre.retained == [0, 0, 0] && centre.out == 100_000)
    }

    @Test("for random histories every fen of every member-month is retained or passed up — to the fen")
    func balancesToTheFen() {
        var rng = SeededGenerator(seed: 20_261_207)
        for _ in 0..<300 {
            let levels = Int.random(in: 1...4, using: &rng)
            let shares = (0..<levels).map { _ in
                [0, 10_000, 2_000, 500, 3_333, Int.random(in: 0...10_000, using: &rng)].randomElement(using: &rng) ?? 0
            }
            var entries: [DuesLedgerEntry] = []
            var nextID: Int64 = 1
            for _ in 0..<Int.random(in: 1...25, using: &rng) {
                let kind = DuesEntryKind.allCases.randomElement(using: &rng) ?? .regular
                let count = kind == .voluntary ? 0 : kind == .quarterly ? 3 : Int.random(in: 1...6, using: &rng)
                let start = DuesMonth(year: 2026, month: Int.random(in: 1...6, using: &rng))!
                let months = (0..<count).map { start.adding(months: $0) }
                let amount = Int64.random(in: 0...(kind == .voluntary ? 300_000 : 20_000), using: &rng)
                entries.append(DuesLedgerEntry(id: nextID, kind: kind, months: months, amount: Fen(amount)!))
                nextID += 1
                if Bool.random(using: &rng), let victim = entries.filter({ $0.reverses == nil }).randomElement(using: &rng),
                    !entries.contains(where: { $0.reverses == victim.id })
                {
                    entries.append(DuesLedgerEntry(id: nextID, kind: victim.kind, months: victim.months, amount: victim.amount, reverses: victim.id))
                    nextID += 1
                }
            }
            var byID: [Int64: DuesLedgerEntry] = [:]
            for e in entries { byID[e.id] = e }
            var collected: Int64 = 0, retained = [Int64](repeating: 0, count: levels), out: Int64 = 0
            for e in entries {
                let original = e.reverses.flatMap { byID[$0] } ?? e
                let sign: Int64 = e.reverses == nil ? 1 : -1
                let inFull = original.kind == .voluntary && original.amount >= DuesCollectionRules.national.voluntaryCentreThreshold
                for part in DuesRemittance.parts(amount: original.amount.value, monthCount: original.months.count) {
                    let split = DuesRemittance.split(sign * part, shares: shares, inFull: inFull)
                    // Per member-month: collected = retained at each level + passed out of the tree.
                    #expect(split.retained.reduce(0, +) + split.out == sign * part)
                    collected += sign * part
                    for (i, r) in split.retained.enumerated() { retained[i] += r }
                    out += split.out
                }
            }
            // The parts are exactly the entries' net amount and the attribution to member-months.
            #expect(collected == DuesCollection.collected(entries))
            #expect(collected == DuesCollection.attribution(entries, voluntaryMonth: { _ in DuesMonth(year: 2026, month: 1)! }).values.reduce(0, +))
            #expect(collected == retained.reduce(0, +) + out)
            // A reversed payment and its reversal leave nothing anywhere.
            let reversedIDs = Set(entries.compactMap(\.reverses))
            if entries.allSatisfy({ $0.reverses != nil || reversedIDs.contains($0.id) }) { #expect(collected == 0 && out == 0) }
        }
    }
}
