import Hummingbird
import HTTPTypes
import DangjianDomain
import DangjianStore

/// 党员积分 pages: the branch's board (and its wall version: names and stars only, never reasons, POINT-08), a member's
/// account with manual entries and the branch's approval (POINT-04), veto and exemption (POINT-05/06), the
/// recomputation of the automatic items (POINT-03), and a member's own account.
struct PointsController {
    let services: AppServices

    var today: CivilDate { CivilDate(date: services.clock.now()) }

    func addRoutes(to site: Site) {
        site.add(.get, PointsPaths.board, access: .permission(.membersRead), target: .organisation) { request, context in
            try await board(request, context)
        }
        site.add(.post, PointsPaths.recompute, access: .permission(.membersWrite), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .membersWrite)
            let anchor = try await services.anchorID(form.int64("org"), access)
            let year = try form.number("year", CalendarYear.self) ?? CalendarYear(of: today)
            let count = try await services.store.points.recompute(year: year.value, anchorID: anchor, access: access, actor: context.actor)
            return PageRenderer.redirect(PointsPaths.board(org: anchor, year: year.value) + "&recomputed=\(count)")
        }
        site.add(.get, PointsPaths.memberPattern, access: .permission(.membersRead), target: .member) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let year = try FormData.query(request).number("year", CalendarYear.self) ?? CalendarYear(of: today)
            return try await memberPage(request, context, memberID: id, year: year.value, mine: false, problems: [], status: .ok)
        }
        site.add(.post, PointsPaths.entriesPattern, access: .permission(.membersWrite), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let item = PointItem(rawValue: form.text("item"))
                let points = Points.parse(form.text("points"))
                let on = CivilDate.parseLenient(form.text("on")) ?? today
                var problems: [ValidationFailure] = []
                if item == nil { problems.append(ValidationFailure(field: "item", message: "请选择积分项目", ruleID: RuleID.point02.code)) }
                if points == nil {
                    problems.append(
                        ValidationFailure(field: "points", message: "分值“\(form.text("points"))”应为如 3、-2、0.5 的数", ruleID: RuleID.point04.code))
                }
                guard problems.isEmpty, let item, let points else { throw ValidationProblems(problems: problems) }
                _ = try await services.store.points.submit(
                    memberID: id, item: item, on: on, points: points, note: form.text("note"), evidence: form.text("evidence"),
                    access: try context.access(for: .membersWrite), actor: context.actor)
                return PageRenderer.redirect(PointsPaths.member(id, year: on.year))
            } catch let problems as ValidationProblems {
                return try await memberPage(
                    request, context, memberID: id, year: today.year, mine: false, problems: problems.problems, status: .badRequest)
            } catch let failure as ValidationFailure {
                return try await memberPage(request, context, memberID: id, year: today.year, mine: false, problems: [failure], status: .badRequest)
            }
        }
        site.add(.post, PointsPaths.decidePattern, access: .permission(.membersWrite), target: .pointEntry) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try context.access(for: .membersWrite)
            guard let member = try await services.store.points.memberOfEntry(id, access: access) else {
                throw RecordNotFound(objectType: "point_entry", objectID: String(id))
            }
            try await services.store.points.decide(entryID: id, approve: form.text("action") == "approve", access: access, actor: context.actor)
            return PageRenderer.redirect(PointsPaths.member(member, year: today.year))
        }
        site.add(.post, PointsPaths.standingPattern, access: .permission(.membersWrite), target: .member) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            let year = try form.number("year", CalendarYear.self) ?? CalendarYear(of: today)
            let text = form.text("text")
            let kind = form.text("kind")
            if (kind == "veto" || kind == "exempt") && text.isEmpty {
                return try await memberPage(
                    request, context, memberID: id, year: year.value, mine: false,
                    problems: [
                        ValidationFailure(
                            field: "text", message: kind == "veto" ? "一票否决须写明支部决定的文号和事由" : "免评须写明理由",
                            ruleID: (kind == "veto" ? RuleID.point05 : RuleID.point06).code)
                    ], status: .badRequest)
            }
            try await services.store.points.setStanding(
                memberID: id, year: year.value, veto: kind == "veto" ? text : nil, exempt: kind == "exempt" ? text : nil,
                access: try context.access(for: .membersWrite), actor: context.actor)
            return PageRenderer.redirect(PointsPaths.member(id, year: year.value))
        }
        site.add(.get, PointsPaths.mine, access: .signedIn) { request, context in
            guard let identity = context.identity else { throw NeedsSignIn(isAPI: false) }
            guard let member = try await services.members.linkedMember(userID: identity.user.id) else {
                return services.renderer.page(
                    "points/member", title: "我的积分", model: Self.unlinked, context: context, request: request)
            }
            return try await memberPage(request, context, memberID: member.id, year: today.year, mine: true, problems: [], status: .ok)
        }
    }

    /// Whose records the page may read: the member's own account for 我的积分, else the caller's read access.
    func readAccess(_ context: AppRequestContext, mine: Bool) throws -> OrganisationAccess {
        if mine { return .maintenance }
        return try context.access(for: .membersRead)
    }

    /// Whether the caller may enter and approve points for the member (never on 我的积分).
    func mayWrite(_ context: AppRequestContext, memberID: Int64, mine: Bool) async throws -> Bool {
        guard !mine, let write = try? context.access(for: .membersWrite) else { return false }
        return try await services.members.find(memberID, access: write) != nil
    }

    static func standingText(_ account: PointAccount, year: Int) -> String {
        switch account.standing {
        case .scored(let total, let stars): "\(year) 年积分 \(total) 分，\(PointLedger.starText(stars))（\(RuleID.point07)）"
        case .vetoed(let reference): "\(year) 年一票否决（\(reference)），积分计 0，不评星（\(RuleID.point05)）"
        case .exempt(let reason): "\(year) 年免评（\(reason)），不计分、不排名（\(RuleID.point06)）"
        }
    }

    static func memberModel(
        name: String, organisationID: Int64, memberID: Int64, year: Int, account: PointAccount, entries: [StoredPointEntry], canWrite: Bool,
        mine: Bool, problems: [ValidationFailure]
    ) -> PointsMemberPage {
        let lines = account.lines.map { l in
            PointsMemberPage.Line(
                item: l.item.displayName, count: l.count, points: l.counted.description,
                note: l.capped ? "累计 \(l.raw) 分，年度上限计 \(l.counted) 分（\(RuleID.point03)）" : "")
        }
        let shown = entries.reversed().map { e in
            PointsMemberPage.Entry(
                id: e.id, on: e.entry.on.description, item: e.entry.item.displayName,
                points: (e.entry.points.tenths > 0 ? "+" : "") + e.entry.points.description,
                note: mine && e.entry.points.tenths < 0 ? "" : e.entry.note,
                state: e.state == .posted ? (e.automatic ? "自动" : "已计入") : e.state == .pending ? "待支部审核" : "未通过",
                pending: e.state == .pending && canWrite, decideAction: PointsPaths.decide(e.id))
        }
        return PointsMemberPage(
            name: name, year: year, standing: standingText(account, year: year),
            base: account.base.description, lines: lines, entries: shown, hasEntries: !entries.isEmpty, canWrite: canWrite,
            manualAction: PointsPaths.entries(memberID), standingAction: PointsPaths.standing(memberID),
            items: PointItem.allCases.filter { !$0.automatic }.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: false) },
            errors: problems.map(\.fullMessage), hasErrors: !problems.isEmpty,
            backHref: mine ? "/" : PointsPaths.board(org: organisationID, year: year), mine: mine)
    }

    static let unlinked = PointsMemberPage(
        name: "", year: 0, standing: "您的账户没有关联党员信息，请与所在党支部联系。", base: "", lines: [], entries: [], hasEntries: false,
        canWrite: false, manualAction: "", standingAction: "", items: [], errors: [], hasErrors: false, backHref: "/", mine: true)

    /// GET /points?org=&year=[&wall=1]: the branch's members with their stars (and totals, off the wall).
    func board(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let year = try query.number("year", CalendarYear.self) ?? CalendarYear(of: today)
        let wall = query.text("wall") == "1"
        // The wall is monthly (月度实时质量图): the standing at the end of the chosen month, this month by default.
        let monthText = query.text("month")
        let month = monthText.isEmpty ? nil : DuesMonth.parse(monthText)
        if !monthText.isEmpty && (month == nil || month?.year != year.value) {
            throw ValidationFailure(field: "month", message: "月份“\(monthText)”应写作 \(year.value)-06，且在 \(year.value) 年内", ruleID: RuleID.point08.code)
        }
        let through = month.map { $0.adding(months: 1).firstDay.adding(days: -1) }
        let board = try await services.store.points.board(organisationID: anchor, year: year.value, through: through, access: access)
        let org = board.organisation
        let canWrite = try context.access(for: .membersWrite).covers(path: org.path, parentID: org.parentID)
        let model = PointsBoardPage(
            orgName: org.name, year: year.value, wall: wall,
            rows: board.members.map { m in
                PointsBoardPage.Row(
                    name: m.name,
                    stars: m.account.stars.map { $0 == 0 ? "—" : PointLedger.starText($0) } ?? "免评",
                    total: wall ? "" : (m.account.total.map { "\($0) 分" } ?? "免评"), href: PointsPaths.member(m.memberID, year: year.value))
            }, hasRows: !board.members.isEmpty,
            wallHref: PointsPaths.board(org: anchor, year: year.value, wall: true), fullHref: PointsPaths.board(org: anchor, year: year.value),
            recomputeAction: PointsPaths.recompute, orgID: anchor, canWrite: canWrite && !wall,
            asOf: month.map { "截至\($0)底" } ?? "",
            months: (1...12).compactMap { DuesMonth(year: year.value, month: $0) }.filter { $0 <= DuesMonth(containing: today) }.map {
                SelectOption(value: $0.code, label: $0.description, selected: $0 == month)
            },
            notice: query.int64("recomputed").map { "已按最新记录重算自动积分项：\($0) 条（\(RuleID.point03)）。" } ?? "")
        return services.renderer.page("points/board", title: "党员积分 · \(org.name)", model: model, context: context, request: request)
    }

    func memberPage(
        _ request: Request, _ context: AppRequestContext, memberID: Int64, year: Int, mine: Bool, problems: [ValidationFailure],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let access = try readAccess(context, mine: mine)
        let found = try await services.store.points.account(memberID: memberID, year: year, access: access)
        guard let member = try await services.members.find(memberID, access: access) else {
            throw RecordNotFound(objectType: "member", objectID: String(memberID))
        }
        let canWrite = try await mayWrite(context, memberID: memberID, mine: mine)
        let model = Self.memberModel(
            name: member.name, organisationID: member.organisationID, memberID: memberID, year: year, account: found.account, entries: found.entries,
            canWrite: canWrite, mine: mine, problems: problems)
        return services.renderer.page(
            "points/member", title: mine ? "我的积分" : "党员积分 · \(member.name)", model: model, context: context, request: request, status: status)
    }
}
