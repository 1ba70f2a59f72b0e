import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// The home page's sections by role (issue 17, item 17): what is due with a button to do it (a secretary), the
/// subtree's red and yellow counts (an office), and a member's own organisational life, sign-ins, 民主评议 result
/// and dues. Each reads what the capability already computes (待办, the roll-up, the member's records).
extension HomeController {
    struct DueRow {
        var colour: String
        var severity: String
        var organisation: String
        var message: String
        var link: String
        /// 记录 for a meeting to record, 办理 for everything else.
        var action: String
        var dueOn: String
    }

    struct OfficeRow {
        var name: String
        var scope: String
        var red: Int
        var yellow: Int
        var judged: Int
        var complianceLink: String
        var boardLink: String
    }

    struct MemberSection {
        struct Meeting {
            var heldOn: String
            var kind: String
            var topic: String
            var status: String
            var colour: String
        }

        struct Checkin {
            var text: String
            var signedIn: Bool
        }

        var organisation: String
        var year: Int
        var present: Int
        var leave: Int
        var absent: Int
        var meetings: [Meeting]
        var hasMeetings: Bool
        var checkins: [Checkin]
        var hasCheckins: Bool
        var evaluation: String
        var dues: String
    }

    /// How many to-do items the home page shows before “全部待办”.
    static let dueShown = 8

    /// What is due: the most serious to-do items first, each with its button.
    func dueRows(_ principal: Principal) async throws -> (rows: [DueRow], total: Int) {
        let items = try await services.todo.items(for: principal)
        let rows = items.prefix(Self.dueShown).map { item in
            DueRow(
                colour: item.severity.warningLevel.cssClass,
                severity: item.severity.displayName,
                organisation: item.organisationName, message: item.message, link: item.link,
                action: item.link.contains("/meetings/new") ? "记录" : "办理", dueOn: item.dueOn.map { "截止 \($0)" } ?? "")
        }
        return (Array(rows), items.count)
    }

    /// An office's subtrees (the reaches of its `ledger.manage` grants over more than its own organisation): the
    /// red and yellow counts of the roll-up, with the roll-up and the board one tap away.
    func officeRows(_ context: AppRequestContext) async throws -> [OfficeRow] {
        let manage = try context.access(for: .ledgerManage)
        let read = try context.access(for: .organisationsRead)
        var rows: [OfficeRow] = []
        for reach in manage.reaches where reach.scope != .own {
            let rollUp = try await services.compliance.rollUp(anchorID: reach.organisationID, scope: reach.scope, access: read)
            let counts = rollUp.counts
            let name = try await services.organisations.find(reach.organisationID, access: read)?.name ?? ""
            rows.append(
                OfficeRow(
                    name: name, scope: reach.scope.displayName, red: counts[.overdue] ?? 0, yellow: counts[.dueSoon] ?? 0,
                    judged: rollUp.organisations.filter { $0.worst != nil }.count,
                    complianceLink: "\(LifePaths.compliance)?org=\(reach.organisationID)&scope=\(reach.scope.rawValue)&problems=1",
                    boardLink: "\(LifePaths.board)?org=\(reach.organisationID)&scope=\(reach.scope.rawValue)"))
        }
        return rows
    }

    /// The signed-in member's own section, when the account is linked to a member.
    func memberSection(_ identity: Identity) async throws -> MemberSection? {
        guard let member = try await services.members.linkedMember(userID: identity.user.id) else { return nil }
        let today = CivilDate(date: services.clock.now())
        let overview = try await services.meetings.overview(ofMember: member.id, organisationID: member.organisationID, year: today.year)
        let organisation = try await services.organisations.find(member.organisationID, access: .maintenance)?.name ?? ""
        let grades = try await services.evaluations.grades(ofMember: member.id)
        let evaluation =
            grades.max { $0.year < $1.year }.map { "\($0.year) 年民主评议：\($0.grade.displayName)" + ($0.followUp.map { "（\($0)）" } ?? "") }
            ?? "尚无民主评议结果"
        let dues = try await services.store.dues.line(memberID: member.id, year: CalendarYear(of: today), access: .maintenance)
        let paidUpTo = DuesCollection.paidUpTo(try await services.store.dues.payments(memberID: member.id, access: .maintenance).settled)
        let duesText =
            (dues?.line.monthly.map { "每月应交党费 \($0) 元（\(dues?.line.parametersVersion ?? "")）" } ?? "党费基数尚未核定，请与支部联系")
            + (paidUpTo.map { "；党费已交至 \($0)" } ?? "")
        return MemberSection(
            organisation: organisation, year: overview.year, present: overview.present, leave: overview.leave, absent: overview.absent,
            meetings: overview.meetings.prefix(6).map { m in
                MemberSection.Meeting(
                    heldOn: m.heldOn.description, kind: m.kind.displayName, topic: m.topic, status: m.status.displayName,
                    colour: m.status == .present ? "green" : m.status == .leave ? "none" : "red")
            },
            hasMeetings: !overview.meetings.isEmpty,
            checkins: overview.openCheckins.map { c in
                MemberSection.Checkin(
                    text: "\(c.heldOn) \(c.kind.displayName)“\(c.topic)”正在签到，"
                        + (c.signedIn ? "您已签到" : "请扫描会场二维码签到（\(Format.dateTime(c.expiresAt)) 截止）"),
                    signedIn: c.signedIn)
            },
            hasCheckins: !overview.openCheckins.isEmpty, evaluation: evaluation, dues: duesText)
    }
}
