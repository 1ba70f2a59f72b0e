/// Member-level participation in organisational life (党员参加组织生活情况): attendance rates, and the DUES-13 check
/// for consecutive months without taking part, which asks a human to review — it never changes a member's state.

extension MeetingKind {
    /// Kinds every member of the organisation is expected at (their attendance measures a member's participation);
    /// committee meetings, talks, leadership meetings and study groups involve only some members.
    public var expectsAllMembers: Bool {
        switch self {
        case .generalMeeting, .groupMeeting, .partyLecture, .themeDay, .lifeMeeting, .democraticEvaluation: true
        case .committeeMeeting, .heartTalk, .leadershipLifeMeeting, .studyGroup, .firstTopic: false
        }
    }
}

/// One activity a member was listed at.
public struct AttendanceEntry: Sendable, Equatable {
    public var day: CivilDate
    public var status: AttendanceStatus

    public init(day: CivilDate, status: AttendanceStatus) {
        self.day = day
        self.status = status
    }
}

/// How a member's recent months look under DUES-13.
public enum LapseLevel: Int, Sendable, Comparable {
    /// Fewer consecutive months than the warning threshold.
    case none = 0
    /// 提醒: `lapseWarningMonths` or more.
    case warning = 1
    /// 提请核实: `lapseMonths` or more — the branch checks for good reason (正当理由) and decides; nothing is automatic.
    case review = 2

    public static func < (a: LapseLevel, b: LapseLevel) -> Bool { a.rawValue < b.rawValue }

    public var displayName: String {
        switch self {
        case .none: "正常"
        case .warning: "提醒"
        case .review: "提请核实"
        }
    }

    public var warningLevel: WarningLevel {
        switch self {
        case .none: .good
        case .warning: .caution
        case .review: .alarm
        }
    }
}

/// One member's participation over a window of months.
public struct MemberParticipation: Sendable, Equatable {
    /// Activities the member was listed at in the window.
    public var listed: Int
    public var present: Int
    public var leave: Int
    public var absent: Int
    /// Consecutive finished months, counting back from the last one, in which the member was absent without leave
    /// from every activity held (months where nothing was held, or where the member was only on leave, neither count
    /// nor break the run: they are not the member's absence).
    public var monthsWithout: Int
    /// The first month of that run.
    public var since: CompliancePeriod?
    public var lastPresent: CivilDate?
    public var level: LapseLevel
    /// LIFE-10 (双重组织生活), for a leading cadre only: what they missed of their own branch's organisational life.
    public var dualLife: String? = nil

    /// DUES-13 or LIFE-10 asks for attention.
    public var needsAttention: Bool { level > .none || dualLife != nil }

    /// Nothing recorded.
    public static let empty = MemberParticipation(
        listed: 0, present: 0, leave: 0, absent: 0, monthsWithout: 0, since: nil, lastPresent: nil, level: .none)

    /// 参加率: present out of listed, in whole per cent; nil when the member was listed at nothing.
    public var rate: Int? { Percentage.of(present, listed) }

    /// The message a secretary sees, naming the rule; nil when there is nothing to say.
    public var message: String? {
        [lapseMessage, dualLife].compactMap { $0 }.joined(separator: "；").nilIfEmpty
    }

    var lapseMessage: String? {
        switch level {
        case .none: nil
        case .warning: "自\(since.map(\.description) ?? "")起连续 \(monthsWithout) 个月未参加组织生活，请及时联系了解情况（\(RuleID.dues13)）"
        case .review: "自\(since.map(\.description) ?? "")起连续 \(monthsWithout) 个月未参加组织生活：请支部核实有无正当理由，再按规定处理；系统不会自动处置（\(RuleID.dues13)）"
        }
    }

    /// Judges a member's entries on `today`: the window is the `months` finished months before today's month plus the
    /// current month for the counts; the run of months without taking part counts finished months only.
    public static func evaluate(_ entries: [AttendanceEntry], today: CivilDate, months: Int = 12, rules: RuleBook) -> MemberParticipation {
        let current = CompliancePeriod(.month, containing: today)
        var first = current
        for _ in 0..<months { first = first.previous }
        let window = entries.filter { $0.day >= first.start && $0.day <= today }
        var result = MemberParticipation(
            listed: window.count, present: window.filter { $0.status == .present }.count,
            leave: window.filter { $0.status == .leave }.count, absent: window.filter { $0.status == .absent }.count,
            monthsWithout: 0, since: nil, lastPresent: entries.filter { $0.status == .present && $0.day <= today }.map(\.day).max(),
            level: .none)
        var byMonth: [CompliancePeriod: [AttendanceStatus]] = [:]
        for e in entries where e.day < current.start { byMonth[CompliancePeriod(.month, containing: e.day), default: []].append(e.status) }
        // Walk back month by month from the last finished month until a month the member took part in, or the first
        // recorded month.
        guard let earliest = byMonth.keys.min() else { return result }
        var month = current.previous
        while month >= earliest {
            let statuses = byMonth[month] ?? []
            if statuses.contains(.present) { break }
            if statuses.contains(.absent) {
                result.monthsWithout += 1
                result.since = month
            }
            month = month.previous
        }
        result.level = result.monthsWithout >= rules.lapseMonths ? .review : result.monthsWithout >= rules.lapseWarningMonths ? .warning : .none
        return result
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// LIFE-10 双重组织生活: leading cadres who are members also take part in their own branch or Party group as ordinary
/// members. Who is a leading cadre is local practice (the rule book's 职务 words).
public enum DualOrganisationalLife {
    public static func isLeadingCadre(post: String?, rules: RuleBook) -> Bool {
        guard let post = post?.trimmed, !post.isEmpty else { return false }
        return rules.leadingCadrePosts.contains { post.contains($0) }
    }

    /// The finding for a leading cadre: listed at their branch's activities in the last finished quarter and present
    /// at none of them (leave included: 以普通党员身份参加 is the point). Nil when they took part or nothing was held.
    public static func finding(_ entries: [AttendanceEntry], today: CivilDate) -> String? {
        let quarter = CompliancePeriod(.quarter, containing: today).previous
        let listed = entries.filter { quarter.contains($0.day) }
        guard !listed.isEmpty, !listed.contains(where: { $0.status == .present }) else { return nil }
        return "领导干部应以普通党员身份参加所在党支部（党小组）的组织生活：\(quarter)列入的 \(listed.count) 次组织生活均未出席（双重组织生活，\(RuleID.life10)）"
    }
}
