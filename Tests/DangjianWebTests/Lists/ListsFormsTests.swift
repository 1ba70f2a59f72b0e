import Testing
import Foundation
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// The typed forms of 三单一账 (issue 16, item 3): each parses its fields or names the first problem by its field.
@Suite("三单一账 forms")
struct ListsFormsTests {
    static func form(_ fields: [String: String]) -> FormData {
        FormData(
            encoded: fields.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
            }.joined(separator: "&"))
    }

    @Test("a problem's dates: empty asks for them, unreadable text is quoted (issue 17, item 6), a date is parsed")
    func problemDates() throws {
        let base = ["organisation": "7", "source": "supervision", "category": "组织生活", "description": "记录不全", "found_on": "2026-06-03"]
        var missing = base
        missing["deadline"] = ""
        #expect(throws: ValidationFailure(field: "deadline", message: "请填写整改时限，如 2026-07-03")) { try ProblemForm(Self.form(missing)) }
        var unreadable = base
        unreadable["deadline"] = "下月底"
        #expect(throws: ValidationFailure(field: "deadline", message: "无法识别日期“下月底”，请按 2026-07-03 的格式填写整改时限")) {
            try ProblemForm(Self.form(unreadable))
        }
        var good = base
        good["deadline"] = "2026.7.3"
        let parsed = try ProblemForm(Self.form(good)).draft
        #expect(parsed.deadline.description == "2026-07-03" && parsed.foundOn.description == "2026-06-03")
        #expect(parsed.organisationID == 7 && parsed.source == .supervision && parsed.category == "组织生活")
    }

    @Test("a rectification step: plan needs a readable deadline, an unknown action is refused, the step's date falls back to today")
    func problemActions() throws {
        #expect(throws: ValidationFailure(field: "action", message: "未知的操作")) { try ProblemActionForm(Self.form(["action": "delete"])) }
        #expect(throws: ValidationFailure.self) { try ProblemActionForm(Self.form(["action": "plan", "text": "补齐", "deadline": "尽快"])) }
        let plan = try ProblemActionForm(Self.form(["action": "plan", "text": "补齐", "responsible": "王", "deadline": "2026-07-31"]))
        #expect(plan.action == .plan(measures: "补齐", responsible: "王", deadline: CivilDate(year: 2026, month: 7, day: 31)!))
        #expect(plan.date == nil)
        #expect(try ProblemActionForm(Self.form(["action": "accept", "text": "同意", "date": "2026-08-01"])).date?.description == "2026-08-01")
    }

    @Test("a visit: the deadline in days is bounded (1–365), findings are one per line with their category")
    func visits() throws {
        let fields = ["visited_on": "2026-06-03", "group": "3", "organisation": "9", "findings": "阵地建设：未挂牌\n记录不全\n\n"]
        var zero = fields
        zero["deadline_days"] = "0"
        #expect(throws: ValidationFailure(field: "deadline_days", message: "整改期限应为 1–365 天")) { try VisitForm(Self.form(zero)) }
        var huge = fields
        huge["deadline_days"] = "99999999999999999999"
        #expect(throws: ValidationFailure.self) { try VisitForm(Self.form(huge)) }
        let visit = try VisitForm(Self.form(fields))
        #expect(visit.findings.map(\.category) == ["阵地建设", "其他"])
        #expect(visit.findings.allSatisfy { $0.deadline.description == "2026-07-03" })
        #expect(visit.groupID == 3 && visit.organisationID == 9)
    }

    @Test("a supervision group's member lines, a task's action, a responsibility letter's year")
    func otherForms() throws {
        let group = try GroupForm(Self.form(["name": "第一督导组", "members": "zhang 组长\n\nli，组员", "organisations": "4"]))
        #expect(group.memberLines.map(\.username) == ["zhang", "li"] && group.memberLines.map(\.line) == [1, 3])
        #expect(group.memberLines.map(\.duty) == ["组长", "组员"] && group.year == nil && group.organisationIDs == [4])
        #expect(throws: ValidationFailure(field: "action", message: "未知的操作")) { try TaskActionForm(Self.form(["action": "approve"])) }
        #expect(try TaskActionForm(Self.form(["action": "complete"])).action == .complete)
        let letter = try DutyLetterForm(Self.form(["organisation": "5", "signed_on": "2026-02-20", "title": "责任书"]))
        #expect(letter.year == 2026 && letter.organisationID == 5)
        #expect(throws: ValidationFailure.self) { try DutyLetterForm(Self.form(["signed_on": "2026-02-20", "year": "1800"])) }
        #expect(throws: ValidationFailure(field: "deadline", message: "请填写完成时限，如 2026-06-30")) {
            try TaskForm(Self.form(["title": "学习", "deadline": ""]))
        }
    }

    @Test("over HTTP an unreadable deadline is answered with the quoted text, and nothing is stored")
    func problemOverHTTP() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let orgadmin = try #require(fixture.actors[.orgadmin])
        try await harness.withClient { client in
            let response = try await client.send(
                .post, "/problems", as: orgadmin,
                form: [
                    "organisation": "\(fixture.tree["A1a1"])", "source": "self_check", "category": "组织生活", "description": "表单测试问题",
                    "found_on": "2026-06-03", "deadline": "下月底",
                ])
            #expect(response.status == .badRequest)
            #expect(response.body.contains("无法识别日期“下月底”"))
            // Everything typed is shown again (issue 17 item 6), the unreadable deadline included, to be fixed.
            #expect(response.body.contains(">表单测试问题</textarea>") && response.body.contains("value=\"下月底\""))
            #expect(response.body.contains("value=\"组织生活\"") && response.body.contains("value=\"2026-06-03\""))
            #expect(response.body.contains("<option value=\"\(fixture.tree["A1a1"])\" selected>"))
            let list = try await client.send(.get, "/problems", as: orgadmin)
            #expect(!list.body.contains("表单测试问题"))
        }
        await harness.close()
    }
}
