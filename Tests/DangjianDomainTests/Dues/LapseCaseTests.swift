import Testing
@testable import DangjianDomain

/// Issue 18, item 4 (DUES-13/19, EduRegs2019 Art. 29–31): a lapse case goes 批评教育 → 限期改正 (≤ 1 year) → a
/// person's decision; removal only after both steps and once the deadline has passed; good reason or correction at
/// any time; never automatic.
@Suite("自行脱党审查: steps, deadline, removal only after both")
struct LapseCaseTests {
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    func opened(_ state: LapseCaseState = .opened, educated: String? = nil, deadline: String? = nil) -> LapseCase {
        LapseCase(
            id: 1, memberID: 2, organisationID: 3, openedOn: day("2026-10-01"), duesMonths: 6, lifeMonths: 0, state: state,
            educatedOn: educated.map(day), deadline: deadline.map(day), outcome: nil, decidedOn: nil, history: [], version: 1)
    }

    func refusals(_ d: LapseCaseStepDraft, _ c: LapseCase, today: String = "2026-11-22") -> [String] {
        LapseCases.check(d, on: c, today: day(today)).map(\.message)
    }

    @Test("opened at six months of either run (DUES-19 for dues, DUES-13 for organisational life)")
    func opening() {
        #expect(LapseCases.mayOpen(duesMonths: 6, lifeMonths: 0, duesThreshold: 6, lifeThreshold: 6))
        #expect(LapseCases.mayOpen(duesMonths: 0, lifeMonths: 6, duesThreshold: 6, lifeThreshold: 6))
        #expect(!LapseCases.mayOpen(duesMonths: 5, lifeMonths: 5, duesThreshold: 6, lifeThreshold: 6))
        #expect(opened(duesMonths: 7).grounds == "连续 7 个月未交纳党费")
    }

    func opened(duesMonths: Int) -> LapseCase {
        var c = opened()
        c.duesMonths = duesMonths
        return c
    }

    @Test("批评教育 first, then 限期改正 of at most a year")
    func order() {
        #expect(
            refusals(LapseCaseStepDraft(step: .deadline, on: day("2026-10-08"), deadline: day("2027-01-08"), note: "限期"), opened()).first?.contains(
                "不能“限期改正”") == true)
        #expect(refusals(LapseCaseStepDraft(step: .education, on: day("2026-10-08"), note: "谈心谈话"), opened()).isEmpty)
        let educated = opened(.educated, educated: "2026-10-08")
        #expect(
            refusals(LapseCaseStepDraft(step: .deadline, on: day("2026-10-09"), deadline: day("2027-10-09"), note: "限期"), educated).isEmpty,
            "exactly a year")
        #expect(
            refusals(LapseCaseStepDraft(step: .deadline, on: day("2026-10-09"), deadline: day("2027-10-10"), note: "限期"), educated).first?.contains(
                "不超过 12 个月") == true)
        #expect(
            refusals(LapseCaseStepDraft(step: .deadline, on: day("2026-10-09"), deadline: day("2026-10-09"), note: "限期"), educated).first?.contains(
                "应晚于") == true)
        #expect(refusals(LapseCaseStepDraft(step: .deadline, on: day("2026-10-09"), note: "限期"), educated).first?.contains("请填写改正期限") == true)
        #expect(refusals(LapseCaseStepDraft(step: .education, on: day("2026-11-23"), note: "x"), opened()).first?.contains("晚于今天") == true)
        #expect(refusals(LapseCaseStepDraft(step: .education, on: day("2026-09-30"), note: "x"), opened()).first?.contains("早于立案日期") == true)
        #expect(refusals(LapseCaseStepDraft(step: .education, on: day("2026-10-08"), note: " "), opened()).first?.contains("请写明批评教育的情况") == true)
    }

    @Test("removal only after both steps and once the deadline has passed; good reason or correction any time")
    func removal() {
        let remove = { (on: String) in LapseCaseStepDraft(step: .decision, on: self.day(on), outcome: .removal, note: "支部大会讨论") }
        #expect(refusals(remove("2026-10-08"), opened()).contains { $0.contains("须先批评教育、限期改正") })
        let educated = opened(.educated, educated: "2026-10-08")
        #expect(refusals(remove("2026-10-09"), educated).contains { $0.contains("须先批评教育、限期改正") })
        let limited = opened(.deadlineSet, educated: "2026-10-08", deadline: "2026-11-08")
        #expect(refusals(remove("2026-11-08"), limited).contains { $0.contains("尚未届满") }, "on the deadline day it has not passed")
        #expect(refusals(remove("2026-11-09"), limited).isEmpty)
        #expect(refusals(LapseCaseStepDraft(step: .decision, on: day("2026-10-02"), outcome: .goodReason, note: "长期住院"), opened()).isEmpty)
        #expect(refusals(LapseCaseStepDraft(step: .decision, on: day("2026-10-02"), note: "?"), opened()).contains { $0.contains("请选择决定") })
        var decided = limited
        decided.state = .decided
        #expect(decided.nextSteps.isEmpty && refusals(remove("2026-11-20"), decided).first?.contains("不能“作出决定”") == true)
    }
}
