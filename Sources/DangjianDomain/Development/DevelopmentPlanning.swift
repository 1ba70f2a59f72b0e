/// 年度发展计划: how an organisation stands against the number of new members its committee planned for the year
/// (DEVPLAN-01), and the warning for a branch that has developed no one for N years (DEVPLAN-02, 连续 N 年未发展党员).
/// Both are our rule IDs: rules.md has no article for them; the counties' practice is in docs/decisions/0018.
public struct AnnualDevelopmentStanding: Sendable, Equatable {
    public enum Progress: String, Sendable {
        /// No target set for the year.
        case noTarget
        /// At or above the target.
        case met
        /// Below the target, with time left in the year.
        case open
        /// Below the target in the last quarter of the year, or after it.
        case behind

        public var displayName: String {
            switch self {
            case .noTarget: "未下达计划"
            case .met: "已完成计划"
            case .open: "推进中"
            case .behind: "进度滞后"
            }
        }

        public var warningLevel: WarningLevel {
            switch self {
            case .noTarget: .neutral
            case .met: .good
            case .open: .caution
            case .behind: .alarm
            }
        }
    }

    public var year: Int
    public var target: Int?
    /// Admissions approved by the committee (step 17) in the year.
    public var admitted: Int
    /// The latest 入党日期 known for the organisation (roster and case files).
    public var lastAdmission: CivilDate?

    public init(year: Int, target: Int?, admitted: Int, lastAdmission: CivilDate?) {
        self.year = year
        self.target = target
        self.admitted = admitted
        self.lastAdmission = lastAdmission
    }

    /// DEVPLAN-01: met when the year's admissions reach the target; behind when below it from October of the year
    /// (the last quarter, when the remaining steps can no longer fit the year) or once the year is over.
    public func progress(today: CivilDate) -> Progress {
        guard let target, target > 0 else { return target == 0 ? .met : .noTarget }
        if admitted >= target { return .met }
        return today.year > year || (today.year == year && today.month >= 10) ? .behind : .open
    }

    /// DEVPLAN-02: the warning when nobody has been admitted for `years` years (0 = off). The boundary: admitted on
    /// 2023-11-22 warns from 2026-11-22 (three full years without development).
    public func gapWarning(today: CivilDate, years: Int) -> String? {
        guard years > 0 else { return nil }
        guard let last = lastAdmission else { return "没有发展党员的记录（名册中无入党日期），请核实是否连续 \(years) 年未发展党员（\(RuleID.devplan02)）" }
        guard last.adding(years: years) <= today else { return nil }
        return "最近一次发展党员为 \(last)，已连续 \(years) 年以上未发展党员（\(RuleID.devplan02)）"
    }
}

/// A time limit of an open case that the branch or the committee is about to miss or has missed: the reminders of
/// 发展党员 (warned before they fall behind). Only limits the organisation controls; a date the applicant cannot yet
/// reach (a year as activist) is the plan's "earliest", not a deadline.
public struct DevelopmentDeadline: Sendable, Equatable {
    public var ruleID: String
    public var message: String
    public var dueOn: CivilDate
    /// `.dueSoon` within `DevelopmentCase.deadlineWarningDays` before the day, `.overdue` after it.
    public var status: DeadlineStatus

    /// 临期/逾期, the message and the rule, as pages and exports show it.
    public var fullMessage: String { "\(status.displayName)：\(message)（\(ruleID)）" }
}

extension DevelopmentCase {
    /// Days before a deadline from which it shows 临期.
    public static let deadlineWarningDays = 30

    /// The deadlines of the case on `today` that are due soon or overdue: the talk a month after the application
    /// (DEV-03), the half-yearly assessment of an activist (DEV-07, a reminder at each six-month mark), the branch
    /// meeting a month after pre-review (DEV-16, local practice), the committee's approval within 3 months of the
    /// meeting (DEV-24), the oath (DEV-26, when the rule book sets a limit), the conversion discussion at the end of probation (DEV-28) and its approval within 3 months
    /// (DEV-30).
    public func deadlines(today: CivilDate) -> [DevelopmentDeadline] {
        guard let next = nextStep else { return [] }
        var found: [DevelopmentDeadline] = []
        func add(_ rule: String, _ due: CivilDate, _ message: String) {
            if today > due {
                found.append(DevelopmentDeadline(ruleID: rule, message: message, dueOn: due, status: .overdue))
            } else if today >= due.adding(days: -Self.deadlineWarningDays) {
                found.append(DevelopmentDeadline(ruleID: rule, message: message, dueOn: due, status: .dueSoon))
            }
        }
        switch next {
        case .applicationTalk:
            if let applied = date(of: .application) {
                add(RuleID.dev03.code, applied.adding(months: 1), "收到入党申请书后一个月内应派人谈话（\(applied.adding(months: 1)) 前）")
            }
        case .activistFiling, .contactsAssigned, .cultivation, .targetDesignation:
            // DEV-07: the branch assesses an activist every six months; remind before each mark until designation.
            if let activist = date(of: .activistDesignation) {
                var k = 1
                while activist.adding(months: 6 * k) < today { k += 1 }
                let mark = activist.adding(months: 6 * k)
                if today >= mark.adding(days: -Self.deadlineWarningDays) {
                    found.append(
                        DevelopmentDeadline(
                            ruleID: RuleID.dev07.code, message: "入党积极分子每半年考察一次：第 \(k) 次考察应于 \(mark) 前完成", dueOn: mark, status: .dueSoon))
                }
            }
        case .admissionMeeting:
            if let review = date(of: .preReview) {
                add(RuleID.dev16.code, review.adding(months: 1), "预审通过后一般在 1 个月内提交支部大会讨论（\(review.adding(months: 1)) 前）")
            }
        case .approvalTalk, .approval:
            if let meeting = date(of: .admissionMeeting) {
                add(
                    RuleID.dev24.code, meeting.adding(months: 3),
                    "上级党委应在支部大会后 3 个月内审批（\(meeting.adding(months: 3)) 前，最长不超过 \(rules.approvalMaximumMonths) 个月）")
            }
        case .approvalFiling, .assignedToBranch, .oath, .continuedEducation, .conversionApplication, .conversionMeeting:
            if next == .oath, rules.oathWithinMonths > 0, let approved = date(of: .approval) {
                let due = approved.adding(months: rules.oathWithinMonths)
                add(RuleID.dev26.code, due, "批准后一般在 \(rules.oathWithinMonths) 个月内组织入党宣誓（\(due) 前）")
            }
            if let end = probationEnd { add(RuleID.dev28.code, end, "预备期于 \(end) 期满，应及时讨论转正") }
        case .conversionApproval:
            if let end = probationEnd, extensionMonths > 0, steps.filter({ $0.step == .conversionMeeting }).count == 1 {
                add(RuleID.dev28.code, end, "延长的预备期于 \(end) 期满，应及时讨论转正")
            } else if let meeting = date(of: .conversionMeeting) {
                add(RuleID.dev30.code, meeting.adding(months: 3), "上级党委应在 3 个月内审批转正（\(meeting.adding(months: 3)) 前）")
            }
        default:
            break
        }
        return found
    }
}
