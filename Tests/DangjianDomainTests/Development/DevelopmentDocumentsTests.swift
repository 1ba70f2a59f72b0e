import Testing
@testable import DangjianDomain

/// The documents generated from a case file and the annual planning rules (DEVPLAN-01/02).
@Suite("发展党员: documents and annual planning")
struct DevelopmentDocumentsTests {
    let base = MemberDevelopmentTests()
    let parties = DevelopmentParties(
        applicant: "王小明", gender: .male, birthDate: CivilDate(iso: "2000-01-01")!,
        branch: "县政府办公室第一党支部", committee: "县直机关工委")
    func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test("a complete case replayed: every document names the applicant and carries the dates of the case (DEV-25/27/32)")
    func completeCaseDocuments() throws {
        let c = try base.caseUpTo(.archive)
        #expect(c.availableDocuments == DevelopmentDocumentKind.allCases)
        let activist = try c.document(.activistFiling, parties: parties)
        #expect(activist.recipient == "县直机关工委：" && activist.issuer == "县政府办公室第一党支部" && activist.date == day("2024-05-15"))
        #expect(activist.paragraphs.joined().contains("2024年3月1日向党组织递交入党申请书") && activist.paragraphs.joined().contains("2024年5月10日研究"))
        // 公示 from Monday 2025-04-28: five working days end Friday 2025-05-02 (no holiday data).
        let notice = try c.document(.targetPublicity, parties: parties)
        #expect(notice.paragraphs[1] == "公示时间：2025年4月28日至2025年5月2日（5个工作日）。" && notice.tableRows.first?.first == "王小明")
        // With the 2025 Labour Day holiday (05-01..05-05 off, 04-27 worked) the period ends on 2025-05-07.
        var calendar = WorkingDayCalendar()
        for d in 1...5 { calendar.holidays[day("2025-05-0\(d)")] = "劳动节" }
        calendar.workdays[day("2025-04-27")] = "劳动节调休"
        #expect(try c.document(.targetPublicity, parties: parties, calendar: calendar).paragraphs[1] == "公示时间：2025年4月28日至2025年5月7日（5个工作日）。")
        let resolution = try c.document(.admissionResolution, parties: parties)
        #expect(resolution.title == "中共县政府办公室第一党支部支部大会关于接收王小明同志为中共预备党员的决议")
        #expect(resolution.paragraphs.joined().contains("应到会有表决权的正式党员9名，实到会9名") && resolution.paragraphs.joined().contains("赞成9票"))
        #expect(resolution.paragraphs.contains("入党介绍人：张一、李二。"))
        let approval = try c.document(.approvalNotice, parties: parties)
        #expect(approval.issuer == "县直机关工委" && approval.recipient == "县政府办公室第一党支部：" && approval.date == day("2025-07-20"))
        #expect(approval.paragraphs[1] == "经2025年7月20日党委会议研究，同意接收王小明同志为中共预备党员，预备期一年，自2025年7月1日起至2026年7月1日止。")
        let conversion = try c.document(.conversionNotice, parties: parties)
        #expect(conversion.paragraphs[1].contains("同意王小明同志按期转为中共正式党员，党龄自2026年7月1日算起"))
    }

    @Test("documents wait for their step; the 公示 before designation takes the start date it is given (DEV-17)")
    func notReady() throws {
        let c = try base.caseUpTo(.cultivation)
        #expect(c.availableDocuments == [.activistFiling, .targetPublicity])
        #expect(throws: DocumentNotReady.self) { try c.document(.approvalNotice, parties: parties) }
        #expect(throws: DocumentNotReady.self) { try c.document(.targetPublicity, parties: parties) }
        let notice = try c.document(.targetPublicity, parties: parties, publicityStart: day("2025-09-26"))
        #expect(notice.paragraphs[1] == "公示时间：2025年9月26日至2025年10月2日（5个工作日）。" && notice.date == day("2025-09-26"))
    }

    @Test("an extended probation: the conversion notice says so and 党龄 counts from the end of the extension (DEV-28, DEV-32)")
    func extendedProbation() throws {
        var c = try base.caseUpTo(.conversionApplication)
        var extend = base.facts(.conversionMeeting)
        extend.extensionMonths = 6
        try c.record(StepRecord(step: .conversionMeeting, date: day("2026-07-01"), facts: extend), today: base.today)
        try c.record(StepRecord(step: .conversionMeeting, date: day("2027-01-05"), facts: base.facts(.conversionMeeting)), today: base.today)
        try c.record(StepRecord(step: .conversionApproval, date: day("2027-01-20"), facts: base.facts(.conversionApproval)), today: base.today)
        let notice = try c.document(.conversionNotice, parties: parties)
        #expect(notice.paragraphs[0].contains("2027年1月5日"))
        #expect(notice.paragraphs[1].contains("预备期延长6个月") && notice.paragraphs[1].contains("党龄自2027年1月1日算起"))
    }

    @Test("DEVPLAN-01: met at the target, open before October, behind from October and after the year")
    func annualProgress() {
        func standing(_ target: Int?, _ admitted: Int) -> AnnualDevelopmentStanding {
            AnnualDevelopmentStanding(year: 2026, target: target, admitted: admitted, lastAdmission: nil)
        }
        #expect(standing(nil, 1).progress(today: day("2026-05-01")) == .noTarget)
        #expect(standing(2, 2).progress(today: day("2026-05-01")) == .met)
        #expect(standing(2, 1).progress(today: day("2026-09-30")) == .open)
        #expect(standing(2, 1).progress(today: day("2026-10-01")) == .behind)
        #expect(standing(2, 1).progress(today: day("2027-01-02")) == .behind)
        #expect(standing(0, 0).progress(today: day("2026-12-31")) == .met)
    }

    @Test("DEVPLAN-02: the warning after N full years without admission, not a day earlier; 0 turns it off")
    func gapWarning() {
        let s = AnnualDevelopmentStanding(year: 2026, target: nil, admitted: 0, lastAdmission: day("2023-11-22"))
        #expect(s.gapWarning(today: day("2026-11-21"), years: 3) == nil)
        #expect(s.gapWarning(today: day("2026-11-22"), years: 3)?.contains("DEVPLAN-02") == true)
        #expect(s.gapWarning(today: day("2026-11-22"), years: 0) == nil)
        let never = AnnualDevelopmentStanding(year: 2026, target: nil, admitted: 0, lastAdmission: nil)
        #expect(never.gapWarning(today: day("2026-11-22"), years: 3)?.contains("没有发展党员的记录") == true)
    }

    @Test("batch actions only for steps without a person's own vote, talk, sponsors or form number")
    func batchable() {
        #expect(DevelopmentStep.allCases.filter(\.batchable).map(\.rawValue) == [4, 8, 11, 13, 17, 18, 19, 20, 25])
        #expect(!DevelopmentStep.admissionMeeting.batchable && !DevelopmentStep.applicationForm.batchable && !DevelopmentStep.sponsors.batchable)
    }
}
