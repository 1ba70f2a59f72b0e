public import Foundation
public import DangjianDomain
import SQLKit

/// One thing a user should do (待办), with the rule it comes from and where to do it.
public struct TodoItem: Sendable, Equatable {
    public enum Category: String, Sendable, CaseIterable {
        case life, vote, participation, term, transfer, floating, lists, development, dues, review

        public var displayName: String {
            switch self {
            case .life: "组织生活"
            case .vote: "待表决事项"
            case .participation: "党员参加组织生活"
            case .term: "换届"
            case .transfer: "组织关系转接"
            case .floating: "流动党员"
            case .lists: "任务、问题整改与责任清单"
            case .development: "发展党员"
            case .dues: "党费"
            case .review: "述职评议"
            }
        }
    }

    public enum Severity: String, Sendable, Comparable {
        /// Due this period, still time.
        case info
        /// 临期 (yellow).
        case warning
        /// 逾期 or needs action now (red).
        case urgent

        var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

        public var warningLevel: WarningLevel { self == .info ? .neutral : self == .warning ? .caution : .alarm }

        /// The badge's words, the same on 待办 and the home page.
        public var displayName: String { self == .urgent ? "逾期/紧急" : self == .warning ? "临期" : "本期" }
    }

    public var category: Category
    public var severity: Severity
    public var organisationID: Int64?
    public var organisationName: String
    public var ruleID: String?
    public var message: String
    public var link: String
    public var dueOn: CivilDate?
    /// Names the matter and its period, so that a reminder is sent once per matter and period.
    public var key: String
}

/// One capability's contribution to 待办: the matters a user should see, computed from that capability's records.
/// A capability adds its source in its own Store folder and lists it in its web `Feature` (docs/adding-a-capability.md).
public protocol TodoSource: Sendable {
    func items(for principal: Principal, today: CivilDate) async throws -> [TodoItem]
}

/// 待办: what each user should do now, merged from every capability's `TodoSource` — organisational life due or
/// overdue, members to check under DUES-13, conversions to vote on, terms ending (ORG-T3/T4), transfers to receive,
/// floating certificates not taken back, list items and development time limits. Computed on request (always
/// current); the reminder job stores the yellow and red ones as reminders.
public struct TodoBoard: Sendable {
    let sources: [any TodoSource]
    let clock: any WallClock

    public init(sources: [any TodoSource], clock: any WallClock) {
        self.sources = sources
        self.clock = clock
    }

    /// Above this many judged organisations under one grant, a source summarises (a committee looks at the roll-up)
    /// instead of listing finding by finding (a secretary records each).
    static let detailLimit = 12

    public func items(for principal: Principal, today: CivilDate? = nil) async throws -> [TodoItem] {
        let today = today ?? CivilDate(date: clock.now())
        var items: [TodoItem] = []
        for source in sources { items += try await source.items(for: principal, today: today) }
        // The same matter reached through two grants appears once.
        var seen: Set<String> = []
        let unique = items.filter { seen.insert($0.key).inserted }
        // Most serious first, then the earliest due; equal ones keep the order of the capabilities in
        // `Features.all` and, inside one, the order their source gave (explicit, not left to the sort's stability).
        let never = today.adding(days: 36_500)
        return unique.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
            let (dueA, dueB) = (a.element.dueOn ?? never, b.element.dueOn ?? never)
            if dueA != dueB { return dueA < dueB }
            return a.offset < b.offset
        }.map(\.element)
    }
}
