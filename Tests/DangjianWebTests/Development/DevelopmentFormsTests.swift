import Testing
import Foundation
import DangjianDomain
@testable import DangjianWeb

/// The typed forms of 发展党员 besides a step's facts (issue 16, item 3).
@Suite("发展党员 forms")
struct DevelopmentFormsTests {
    static func form(_ fields: [String: String]) -> FormData {
        FormData(
            encoded: fields.map { key, value in "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)" }
                .joined(separator: "&"))
    }

    @Test("a batch needs a step and a date; its training figures are bounded; the cases are the ticked ones")
    func batch() throws {
        #expect(throws: ValidationFailure(field: "date", message: BatchStepForm.missing)) { try BatchStepForm(Self.form(["step": "11"])) }
        #expect(throws: ValidationFailure(field: "date", message: BatchStepForm.missing)) {
            try BatchStepForm(Self.form(["step": "99", "date": "2026-03-28"]))
        }
        #expect(throws: ValidationFailure.self) { try BatchStepForm(Self.form(["step": "11", "date": "2026-03-28", "training_hours": "-3"])) }
        let batch = try BatchStepForm(Self.form(["step": "11", "date": "2026-03-28", "training_days": "3", "org": "4"]))
        #expect(batch.record.step == .training && batch.record.date.description == "2026-03-28" && batch.record.facts.trainingDays == 3)
        #expect(batch.organisationID == 4 && batch.caseIDs.isEmpty)
        #expect(try BatchStepForm(FormData(encoded: "step=11&date=2026-03-28&case=5&case=x&case=7")).caseIDs == [5, 7])
    }

    @Test("a year's target must be a whole number (DEVPLAN-01); a run of form numbers counts within bounds")
    func targetsAndNumbers() throws {
        #expect(throws: ValidationFailure(field: "target", message: "计划发展人数应填整数", ruleID: RuleID.devplan01.code)) {
            try DevelopmentTargetForm(Self.form(["year": "2026", "target_org": "3"]))
        }
        let plan = try DevelopmentTargetForm(Self.form(["year": "2026", "target": "4", "target_org": "3", "org": "1"]))
        #expect(plan.year == 2026 && plan.target == 4 && plan.organisationID == 3 && plan.planOrganisationID == 1)
        #expect(throws: ValidationFailure.self) { try FormNumbersIssueForm(Self.form(["first": "粤2026000001", "count": "很多"])) }
        let run = try FormNumbersIssueForm(Self.form(["first": "粤2026000001", "count": "3"]))
        #expect(run.count == 3 && run.issuedOn == nil)
        let entry = StepEntryForm(Self.form(["mode": "correct", "date": "2026.3.28", "reason": "日期录错"]))
        #expect(entry.correcting && entry.date?.description == "2026-03-28" && entry.reason == "日期录错")
    }
}
