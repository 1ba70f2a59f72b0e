import Testing
@testable import DangjianDomain

@Suite("Transfer letter document (MEM-04)")
struct TransferLetterTests {
    @Test("MEM-04: stub, letter and receipt, each numbered, the letter with its validity and the dues month in Chinese numerals")
    func threeParts() throws {
        let issued = try #require(CivilDate(year: 2026, month: 11, day: 22))
        let letter = TransferLetter(
            letterNumber: "甲转〔2026〕7", memberName: "王一", gender: .female, age: 41, ethnicity: "汉族", partyStatus: .probationary,
            idNumber: "610102198505011234", from: "甲局第一支部", to: "乙县委组织部", issuedOn: issued, validDays: 30,
            duesPaidUntil: (2026, 11))
        #expect(letter.parts.map(\.title) == ["中国共产党党员组织关系介绍信（存根）", "中国共产党党员组织关系介绍信（介绍信）", "中国共产党党员组织关系介绍信（回执）"])
        #expect(letter.parts.allSatisfy { $0.number == "第 甲转〔2026〕7 号" })
        #expect(letter.parts.map(\.startsNewPage) == [false, true, true])
        let body = letter.parts[1].lines[1]
        #expect(body.contains("系中共预备党员") && body.contains("党费已交到 二〇二六年十一月") && body.contains("由 甲局第一支部 去 乙县委组织部"))
        #expect(letter.parts[1].lines[2] == "（有效期 30 天，至 2026-12-22 止）")
        #expect(letter.parts[1].signature == ["甲局第一支部（盖章）", "二〇二六年十一月二十二日"])
        #expect(letter.parts[2].lines.last?.contains(RuleID.mem04.code) == true)
    }
}
