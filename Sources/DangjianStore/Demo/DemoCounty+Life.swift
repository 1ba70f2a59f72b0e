import Foundation
import DangjianDomain

extension DemoCounty {
    /// Records about a year of organisational life, deterministic: most branches keep up, a few miss a month or a
    /// quarter, so the roll-up shows green, yellow and red as a real county does.
    func seedMeetings(_ orgs: [Organisation]) async throws {
        guard members != nil else { return }  // a tree without rosters gets no records either
        let meetings = store.meetings
        let today = CivilDate(date: organisations.clock.now())
        var dice = SyntheticPeople(seed: 1921)
        let start = CompliancePeriod(.month, containing: today.adding(months: -11)).start
        for (rank, org) in orgs.sorted(by: { $0.id < $1.id }).enumerated() where [.branch, .jointBranch, .partyGroup].contains(org.type) {
            let roster = try await meetings.roster(of: org.id, access: .maintenance)
            // Every fourth branch is sloppy; the rest keep up.
            let keep = rank % 4 == 3 ? 60 : 95
            func hold(_ kind: MeetingKind, on day: CivilDate, topic: String) async throws {
                guard day <= today, dice.int(1...100) <= keep else { return }
                var draft = MeetingDraft(kind: kind, heldOn: day)
                draft.topic = topic
                draft.place = "党员活动室"
                draft.lecturer = kind == .partyLecture ? "支部书记" : ""
                for m in roster { draft.attendance[m.id] = dice.int(1...10) == 1 ? (.leave, "出差") : (.present, "") }
                _ = try await meetings.record(draft, organisationID: org.id, access: .maintenance, actor: actor)
            }
            var month = start
            while month <= today {
                let period = CompliancePeriod(.month, containing: month)
                if org.type == .partyGroup {
                    try await hold(.groupMeeting, on: month.adding(days: 9), topic: "\(period)党小组学习")
                } else {
                    try await hold(.themeDay, on: month.adding(days: 14), topic: "\(period)主题党日")
                    if roster.filter(\.full).count >= 7 {  // LIFE-03 applies where a committee is required (ORG-06)
                        try await hold(.committeeMeeting, on: month.adding(days: 4), topic: "\(period)支委会")
                    }
                    if month.month % 3 == 0 {
                        try await hold(.generalMeeting, on: month.adding(days: 19), topic: "\(CompliancePeriod(.quarter, containing: month))支部党员大会")
                        try await hold(.partyLecture, on: month.adding(days: 21), topic: "\(CompliancePeriod(.quarter, containing: month))专题党课")
                    }
                    if month.month == 12 {
                        try await hold(.lifeMeeting, on: month.adding(days: 24), topic: "\(month.year)年度组织生活会")
                        try await hold(.democraticEvaluation, on: month.adding(days: 24), topic: "\(month.year)年度民主评议党员")
                        try await hold(.heartTalk, on: month.adding(days: 10), topic: "\(month.year)年度谈心谈话")
                    }
                }
                month = month.adding(months: 1)
            }
        }
    }
}

extension DemoCounty.DemoPart {
    /// 组织生活：一年的会议记录（新建组织树时）.
    public static let life = DemoCounty.DemoPart("life") { county, context in
        guard context.freshTree else { return }
        try await county.seedMeetings(Array(context.byShort.values))
    }
}
