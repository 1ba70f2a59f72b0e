import Testing
import Foundation
import DangjianDomain
@testable import DangjianWeb

/// The typed forms of 党员名册 and of 民主评议 (issue 16, item 3).
@Suite("党员名册 and 民主评议 forms")
struct MembersFormsTests {
    static func form(_ fields: [String: String]) -> FormData {
        FormData(
            encoded: fields.map { key, value in "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)" }
                .joined(separator: "&"))
    }

    @Test("a transfer: inside or out of the system, dues paid to a month written any common way, the validity bounded")
    func transfer() throws {
        let inside = try TransferForm(Self.form(["kind": "internal", "to_org_name": "乙支部", "dues_paid_until": "2026年10月"]))
        #expect(inside.internalOrganisationName == "乙支部" && inside.externalName == nil && inside.duesPaidUntil == (2026, 10))
        #expect(inside.validDays == 90)
        let out = try TransferForm(Self.form(["kind": "external", "to_name": "外省某支部", "dues_paid_until": "2026.9", "valid_days": "180"]))
        #expect(out.externalName == "外省某支部" && out.duesPaidUntil == (2026, 9) && out.validDays == 180)
        #expect(throws: ValidationFailure.self) { try TransferForm(Self.form(["dues_paid_until": "2026-13"])) }
        #expect(throws: ValidationFailure.self) { try TransferForm(Self.form(["valid_days": "99999999999"])) }
    }

    @Test("a floating certificate needs its dates (MEM-03); a return date is optional but must be a date")
    func floating() throws {
        #expect(throws: ValidationFailure(field: "valid_until", message: "请填写有效期至，如 2026-08-31", ruleID: RuleID.mem03.code)) {
            try FloatingCertificateForm(Self.form(["issued_on": "2026-03-01"]))
        }
        let issued = try FloatingCertificateForm(Self.form(["issued_on": "2026-03-01", "valid_until": "2026-08-31", "destination": "深圳"]))
        #expect(issued.validUntil.description == "2026-08-31" && issued.destination == "深圳")
        #expect(try CertificateReturnForm(Self.form([:])).returnedOn == nil)
        #expect(throws: ValidationFailure.self) { try CertificateReturnForm(Self.form(["returned_on": "上个月"])) }
    }

    @Test("the 民主评议 sheet: peer votes per grade, the grade by code, every bad figure and date named for its member")
    func evaluation() throws {
        let lines = [EvaluationEntry(memberID: 5, name: "甲", full: true), EvaluationEntry(memberID: 6, name: "乙", full: true)]
        let sheet = try EvaluationForm(
            Self.form(["peer_excellent_5": "7", "grade_5": "excellent", "feedback_6": "2026-12-20", "action": "finalise", "version": "0"]),
            lines: lines)
        #expect(sheet.entries[0].peerVotes[.excellent] == 7 && sheet.entries[0].grade == .excellent && sheet.entries[1].grade == nil)
        #expect(sheet.entries[1].feedbackOn?.description == "2026-12-20" && sheet.finalise && sheet.version == nil)
        do {
            _ = try EvaluationForm(Self.form(["peer_qualified_5": "很多", "feedback_6": "月底"]), lines: lines)
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.field) == ["peer_5", "feedback_6"])
            #expect(error.problems[0].message.hasPrefix("甲：") && error.problems[1].message.hasPrefix("乙："))
        }
    }
}
