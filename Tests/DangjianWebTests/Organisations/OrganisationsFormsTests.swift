import Testing
import Foundation
import DangjianDomain
@testable import DangjianWeb

/// The typed forms of 组织机构 (issue 16, item 3).
@Suite("组织机构 forms")
struct OrganisationsFormsTests {
    static func form(_ fields: [String: String]) -> FormData {
        FormData(
            encoded: fields.map { key, value in "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)" }
                .joined(separator: "&"))
    }

    @Test("a change of an organisation: the version, an optional 生效日期 (unreadable text quoted), the type by its code")
    func change() throws {
        let change = try OrganisationChangeForm(Self.form(["version": "3", "effective_date": "2020.1.5", "org_type": "branch", "name": " 一支部 "]))
        #expect(change.version == 3 && change.effectiveDate?.description == "2020-01-05" && change.type == .branch && change.name == "一支部")
        let today = try OrganisationChangeForm(Self.form(["reason": "撤并"]))
        #expect(today.effectiveDate == nil && today.version == -1 && today.type == nil && today.reason == "撤并")
        #expect(throws: ValidationFailure(field: "effective_date", message: "生效日期“去年”无法识别，请写成 2020-01-01")) {
            try OrganisationChangeForm(Self.form(["effective_date": "去年"]))
        }
    }

    @Test("an election: candidates and posts one per line in any separator, figures bounded, a by-election's date cites ORG-E9")
    func election() throws {
        let election = try ElectionForm(
            Self.form([
                "held_on": "2026-03-01", "seats": "5", "eligible": "40", "present": "38", "candidates": "张三 36\n李四，35\n\n王五：20",
                "posts": "张三 书记\n李四 副书记",
            ]))
        #expect(election.candidates.map(\.name) == ["张三", "李四", "王五"] && election.candidates.map(\.votes) == [36, 35, 20])
        #expect(election.posts.map(\.name) == ["张三", "李四"] && election.seats == 5 && election.present == 38)
        #expect(throws: ValidationFailure.self) { try ElectionForm(Self.form(["held_on": "2026-03-01", "candidates": "张三 很多"])) }
        #expect(throws: ValidationFailure.self) { try ElectionForm(Self.form(["held_on": "2026-03-01", "posts": "张三 主任"])) }
        #expect(throws: ValidationFailure.self) { try ElectionForm(Self.form(["held_on": "2026-03-01", "seats": "-2"])) }
        #expect(throws: ValidationFailure(field: "held_on", message: "请填写补选日期", ruleID: RuleID.orgE9.code)) {
            try ElectionForm(Self.form(["vacated": "张三"]), dateLabel: "补选日期", dateRule: RuleID.orgE9)
        }
        let by = try ElectionForm(Self.form(["held_on": "2026-05-01", "vacated": "张三\n李四", "reason": "调离"]), dateLabel: "补选日期")
        #expect(by.vacated == ["张三", "李四"] && by.reason == "调离")
    }
}
