import Testing
@testable import DangjianDomain

/// Issue 17, item 3: rates are rounded half up, never truncated.
@Suite("Percentages")
struct PercentageTests {
    @Test("rounded half up at every boundary; nothing to count is no rate")
    func rounding() {
        #expect(Percentage.of(7, 9) == 78)
        #expect(Percentage.of(2, 3) == 67)
        #expect(Percentage.of(1, 3) == 33)
        #expect(Percentage.of(1, 8) == 13)  // 12.5 → 13
        #expect(Percentage.of(1, 200) == 1)  // 0.5 → 1
        #expect(Percentage.of(1, 201) == 0)  // 0.497… → 0
        #expect(Percentage.of(0, 5) == 0 && Percentage.of(5, 5) == 100)
        #expect(Percentage.of(3, 0) == nil && Percentage.of(-1, 4) == nil)
        #expect(Percentage.of(Int.max, 2) == nil)
    }
}
