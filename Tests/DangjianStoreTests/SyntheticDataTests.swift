import Testing
import Foundation
import DangjianDomain
@testable import DangjianStore

@Suite("Synthetic demo and scale data")
struct SyntheticDataTests {
    @Test("the same seed gives the same people; every generated person passes the roster rules")
    func deterministicAndValid() {
        let today = CivilDate(year: 2026, month: 11, day: 22)!
        var a = SyntheticPeople(seed: 42), b = SyntheticPeople(seed: 42), c = SyntheticPeople(seed: 43)
        var invalid: [String] = []
        var same = 0, different = 0
        for _ in 0..<2_000 {
            let x = a.draft(today: today), y = b.draft(today: today), z = c.draft(today: today)
            if x == y { same += 1 }
            if x.idNumber != z.idNumber { different += 1 }
            if case .failure(let e) = x.validate(today: today) { invalid.append("\(x.name): \(e.problems.map(\.fullMessage))") }
        }
        #expect(same == 2_000 && different > 1_900)
        #expect(invalid.isEmpty, "\(invalid.prefix(3))")
    }

    @Test("tier sizes follow architecture.md §1")
    func sizes() {
        #expect(DemoTier.county.size == (500, 15_000))
        #expect(DemoTier.city.size == (5_000, 300_000))
        #expect(DemoTier.province.size == (100_000, 3_000_000))
    }
}
