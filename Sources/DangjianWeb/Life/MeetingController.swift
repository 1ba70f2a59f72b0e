import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// 组织生活: recording activities with attendance and votes, an organisation's year at a glance, and the compliance
/// roll-up for a subtree (rules LIFE-01…09, LIFE-02).
struct MeetingController {
    let services: AppServices

    struct AttendeeRow {
        var id: Int64
        var name: String
        var full: Bool
        var presentSelected: Bool
        var leaveSelected: Bool
        var absentSelected: Bool
        var reason: String
    }

    struct MonthCell {
        var month: Int
        var colour: String
        var state: String
        var held: String
        var findings: [String]
        var star: Bool
    }

    struct MeetingRow {
        var id: Int64
        var heldOn: String
        var kind: String
        var topic: String
        var attendance: String
    }

    struct RollUpRow {
        var id: Int64
        var name: String
        var indent: String
        var colour: String
        var state: String
        var findings: [String]
    }

    struct ParticipationRow {
        var id: Int64
        var name: String
        var organisation: String
        var status: String
        var listed: Int
        var present: Int
        var leave: Int
        var absent: Int
        var rate: String
        var lastPresent: String
        var colour: String
        var level: String
        var message: String
    }

    func addRoutes(to site: Site) {
        // 党员参加组织生活情况: attendance per member and the DUES-13 flags (review by a person, never automatic).
        site.add(.get, LifePaths.participation, access: .permission(.membersRead), target: .organisation) { request, context in
            try await participationPage(request, context)
        }
        site.add(.get, LifePaths.orgsMeetingsPattern, access: .permission(.membersRead), target: .organisation) { request, context in
            try await meetingsPage(request, context)
        }
        site.add(.get, LifePaths.orgsMeetingsNewPattern, access: .permission(.membersWrite), target: .organisation) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let kind = MeetingKind(rawValue: FormData.query(request).text("kind")) ?? .themeDay
            return try await formPage(request, context, organisationID: id, kind: kind, form: nil, problems: [], status: .ok)
        }
        site.add(.post, LifePaths.orgsMeetingsPattern, access: .permission(.membersWrite), target: .organisation, body: .largeForm) {
            request, context in
            try await recordMeeting(request, context)
        }
        site.add(.get, LifePaths.meetingsPattern, access: .permission(.membersRead), target: .meeting) { request, context in
            try await detailPage(request, context)
        }
        // Putting a record right (issue 17 item 5, decision 0031): a correction with a reason, a deletion with a reason.
        site.add(.get, LifePaths.meetingsCorrectPattern, access: .permission(.membersWrite), target: .meeting) { request, context in
            let record = try await writableRecord(context)
            return try await formPage(
                request, context, organisationID: record.organisationID, kind: record.kind, form: nil, problems: [], status: .ok, correcting: record)
        }
        site.add(.post, LifePaths.meetingsCorrectPattern, access: .permission(.membersWrite), target: .meeting, body: .largeForm) {
            request, context in
            try await correctMeeting(request, context)
        }
        site.add(.post, LifePaths.meetingsDeletePattern, access: .permission(.membersWrite), target: .meeting) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let record = try await writableRecord(context)
            try await services.meetings.delete(
                record.id, reason: form.text("reason"), access: try context.access(for: .membersWrite), actor: context.actor)
            return PageRenderer.redirect(LifePaths.orgsMeetings(record.organisationID), done: .meetingDeleted)
        }
        // 实时质量图: a page for a big screen — organisation names, colours and stars only, no personal data.
        site.add(.get, LifePaths.board, access: .permission(.organisationsRead), target: .organisation) { request, context in
            let form = FormData.query(request)
            let access = try context.access(for: .organisationsRead)
            let anchor = try await services.anchorID(form.int64("org"), access)
            let scope = OrganisationScope(rawValue: form.text("scope")) ?? .subtree
            let today = CivilDate(date: services.clock.now())
            let tiles = try await services.compliance.board(anchorID: anchor, scope: scope, access: access, today: today)
                .sorted { ($0.worst, $0.organisation.path.value) > ($1.worst, $1.organisation.path.value) }
            var counts: [ComplianceState: Int] = [:]
            for t in tiles { counts[t.worst, default: 0] += 1 }
            let model = ComplianceBoardPage(
                today: today.description, year: today.year, org: anchor, scope: scope.rawValue,
                red: counts[.overdue] ?? 0, yellow: counts[.dueSoon] ?? 0, green: (counts[.met] ?? 0) + (counts[.pending] ?? 0),
                total: tiles.count,
                tilesHTML: Self.boardTiles(tiles, year: today.year), legend: Standing.legend)
            var response = services.renderer.page("life/board", title: "实时质量图", model: model, context: context, request: request)
            response.headers[HTTPField.Name("Refresh")!] = "300"  // the screen reloads itself every 5 minutes, no script
            return response
        }
        site.add(.get, LifePaths.compliance, access: .permission(.organisationsRead), target: .organisation) { request, context in
            let form = FormData.query(request)
            let access = try context.access(for: .organisationsRead)
            let anchor = try await services.anchorID(form.int64("org"), access)
            let scope = OrganisationScope(rawValue: form.text("scope")) ?? .subtree
            let rollUp = try await services.compliance.rollUp(anchorID: anchor, scope: scope, access: access)
            let judged = rollUp.organisations.filter { $0.worst != nil }
            let baseDepth = rollUp.organisations.first?.organisation.depth ?? 0
            let onlyProblems = form.text("problems") == "1"
            let rows = judged.filter { !onlyProblems || ($0.worst ?? .met) >= .dueSoon }.map { o in
                RollUpRow(
                    id: o.organisation.id, name: o.organisation.name, indent: String(repeating: "　", count: max(0, o.organisation.depth - baseDepth)),
                    colour: o.worst?.warningLevel.cssClass ?? "none", state: o.worst?.displayName ?? "—",
                    findings: o.problems)
            }
            let counts = rollUp.counts
            let model = ComplianceRollUpPage(
                today: rollUp.today.description, rules: rollUp.rules, org: anchor, scope: scope.rawValue,
                red: counts[.overdue] ?? 0, yellow: counts[.dueSoon] ?? 0, green: (counts[.met] ?? 0) + (counts[.pending] ?? 0),
                total: judged.count, rowsHTML: Self.rollUpRows(rows), onlyProblems: onlyProblems, legend: Standing.legend,
                scopes: OrganisationScope.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == scope) })
            return services.renderer.page("life/compliance", title: "组织生活达标", model: model, context: context, request: request)
        }
    }

    /// GET /participation: members' participation in organisational life.
    func participationPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(form.int64("org"), access)
        let scope = OrganisationScope(rawValue: form.text("scope")) ?? .own
        // Across a subtree the list is long: by default only members who need attention.
        let onlyFlagged = form["flagged"] == nil ? scope != .own : form.text("flagged") == "1"
        let rows = try await services.participation.members(anchorID: anchor, scope: scope, access: access)
        let labels = try await services.organisations.labels(Set(rows.map(\.organisationID)))
        let shown = rows.filter { !onlyFlagged || $0.participation.needsAttention }
            .sorted { ($0.participation.level, $0.participation.monthsWithout) > ($1.participation.level, $1.participation.monthsWithout) }
        let org = try await services.organisations.find(anchor, access: access)
        let model = ParticipationPage(
            org: anchor, orgName: org?.name ?? "", scope: scope.rawValue, onlyFlagged: onlyFlagged,
            review: rows.filter { $0.participation.level == .review }.count,
            warning: rows.filter { $0.participation.level == .warning }.count,
            total: rows.count, hasRows: !shown.isEmpty,
            scopes: OrganisationScope.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == scope) },
            rows: shown.map { r in
                let p = r.participation
                return ParticipationRow(
                    id: r.memberID, name: r.name, organisation: labels[r.organisationID] ?? "",
                    status: (r.full ? "正式党员" : "预备党员") + (r.floating ? "·流动" : ""),
                    listed: p.listed, present: p.present, leave: p.leave, absent: p.absent,
                    rate: p.rate.map { "\($0)%" } ?? "—", lastPresent: p.lastPresent?.description ?? "—",
                    colour: (p.level == .none && p.dualLife != nil ? WarningLevel.caution : p.level.warningLevel).cssClass,
                    level: p.level == .none && p.dualLife != nil ? "双重组织生活" : p.level.displayName, message: p.message ?? "")
            })
        return services.renderer.page("life/participation", title: "党员参加组织生活情况", model: model, context: context, request: request)
    }

    /// GET /orgs/{id}/meetings: an organisation's meetings of the year.
    func meetingsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersRead)
        guard let org = try await services.organisations.find(id, access: access) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(id))
        }
        let today = CivilDate(date: services.clock.now())
        let calendarYear = try FormData.query(request).number("year", CalendarYear.self) ?? CalendarYear(of: today)
        let year = calendarYear.value
        let standing = try await services.compliance.year(calendarYear, organisationID: id, access: access)
        let meetings = try await services.meetings.list(organisationID: id, year: year, access: access)
        let write = try context.access(for: .membersWrite)
        let model = MeetingsPage(
            org: OrganisationRef(org), year: year, previousYear: year - 1, nextYear: year + 1, showNext: year < today.year,
            months: standing.months.map(Self.monthCell), stars: standing.stars, legend: Standing.legend,
            yearly: standing.yearly.map { YearlyItem(colour: $0.state.warningLevel.cssClass, state: $0.state.displayName, text: $0.message) }
                + standing.yearlyDuties.map {
                    YearlyItem(
                        colour: $0.state.warningLevel.cssClass, state: $0.state.displayName,
                        text: "责任清单“\($0.item.title)”已完成 \($0.done)/\($0.item.minimum)（\(ListRule.dutyWarning)）")
                },
            meetings: meetings.map {
                MeetingRow(
                    id: $0.id, heldOn: $0.heldOn.description, kind: $0.kind.displayName, topic: $0.topic,
                    attendance: "\($0.present)/\($0.shouldAttend)")
            },
            hasMeetings: !meetings.isEmpty, canWrite: write.covers(path: org.path, parentID: org.parentID) && !org.isDissolved,
            kinds: MeetingKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: false) })
        return services.renderer.page("life/meetings", title: "组织生活 · \(org.name)", model: model, context: context, request: request)
    }

    /// POST /orgs/{id}/meetings: records a meeting with its attendance and votes.
    func recordMeeting(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request, limit: 1024 * 1024)
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersWrite)
        let kind = MeetingForm.kind(form)
        let roster = try await services.meetings.roster(of: id, access: access).map(\.id)
        let meeting: MeetingForm
        do { meeting = try MeetingForm(form, roster: roster) } catch {
            return try await formPage(request, context, organisationID: id, kind: kind, form: form, problems: error.problems, status: .badRequest)
        }
        let (draft, awaitCheckin) = (meeting.draft, meeting.awaitCheckin)
        do {
            let record = try await services.meetings.record(draft, organisationID: id, access: access, actor: context.actor)
            if awaitCheckin && record.heldOn == CivilDate(date: services.clock.now()) {
                _ = try await services.checkins.open(meetingID: record.id, access: access, actor: context.actor)
                return PageRenderer.redirect(LifePaths.meetingsCheckin(record.id))
            }
            return PageRenderer.redirect(LifePaths.meetings(record.id), done: .meetingRecorded)
        } catch let errors as ValidationProblems {
            return try await formPage(
                request, context, organisationID: id, kind: kind, form: form, problems: errors.problems, status: .badRequest)
        } catch let failure as ValidationFailure {
            return try await formPage(request, context, organisationID: id, kind: kind, form: form, problems: [failure], status: .badRequest)
        }
    }

    struct YearlyItem {
        var colour: String
        var state: String
        var text: String
    }

    /// A month of the heat-map: its state from what fell due in it (a yearly item only in December), what was held.
    static func monthCell(_ m: ComplianceMonth) -> MonthCell {
        let held = m.held.filter { $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.displayName)\($0.value)" }
        let duties = m.duties.filter { $0.state != .met }.map { "责任清单“\($0.item.title)”\($0.state.displayName)（\(ListRule.dutyWarning)）" }
        return MonthCell(
            month: m.month, colour: m.state?.warningLevel.cssClass ?? "none", state: m.state?.displayName ?? (m.standing == nil ? "—" : "无到期事项"),
            held: held.joined(separator: "、"), findings: m.findings.filter { $0.state != .met }.map(\.message) + duties,
            star: m.standing?.star == true)
    }

    /// The roll-up's rows written in Swift (thousands of rows at a city root; see `boardTiles`).
    static func rollUpRows(_ rows: [RollUpRow]) -> String {
        var html = ""
        html.reserveCapacity(rows.count * 300)
        for r in rows {
            html +=
                "<tr class=\"state-\(r.colour)\"><td data-label=\"党组织\">\(r.indent)<a href=\"\(LifePaths.orgsMeetings(r.id))\">\(HTMLText.escape(r.name))</a></td>"
            html += "<td data-label=\"状态\"><span class=\"badge \(r.colour)\">\(r.state)</span></td><td data-label=\"需要关注\">"
            for f in r.findings { html += "<div>\(HTMLText.escape(f))</div>" }
            html += "</td></tr>"
        }
        return html
    }

    /// The board's tiles written in Swift (a city board has thousands of tiles × 12 months; through Mustache the page
    /// cost a third of a second, docs/performance.md). Names are escaped; everything else is generated.
    static func boardTiles(_ tiles: [BoardTile], year: Int) -> String {
        var html = ""
        html.reserveCapacity(tiles.count * 700)
        for t in tiles {
            html +=
                "<li class=\"tile-board \(t.worst.warningLevel.cssClass)\"><a href=\"\(LifePaths.orgsMeetings(t.organisation.id))\"><strong>\(HTMLText.escape(t.organisation.label))</strong></a>"
            html += "<span class=\"state\">\(t.worst.displayName)</span><span class=\"stars\" title=\"\(year) 年已得 \(t.stars) 颗星\">★ \(t.stars)</span>"
            // Each month in its place: its colour from what fell due in it, its star inside it.
            html += "<span class=\"strip\">"
            // Kept short: a city board has 4,000 tiles × 12 cells (docs/performance.md).
            for m in t.months {
                html +=
                    "<i class=\"m \(m.state?.warningLevel.cssClass ?? "none")\" title=\"\(m.month)月\(m.state?.displayName ?? "")\">\(m.star ? "★" : "")</i>"
            }
            html += "</span></li>"
        }
        return html
    }

    func formPage(
        _ request: Request, _ context: AppRequestContext, organisationID: Int64, kind: MeetingKind, form: FormData?,
        problems: [ValidationFailure], status: HTTPResponse.Status, correcting record: MeetingRecord? = nil
    ) async throws -> Response {
        let access = try context.access(for: .membersWrite)
        guard let org = try await services.organisations.find(organisationID, access: access) else {
            throw RecordNotFound(objectType: "organisation", objectID: String(organisationID))
        }
        var roster = try await services.meetings.roster(of: organisationID, access: access)
        // A correction lists the members the record listed, and starts from what it says.
        var form = form
        if let record {
            let full = Set(roster.filter(\.full).map(\.id))
            roster = record.attendance.map { (id: $0.memberID, name: $0.name, full: full.contains($0.memberID)) }
            if form == nil { form = MeetingForm.fields(of: record) }
        }
        let fullCount = roster.filter(\.full).count
        func value(_ field: String, _ fallback: String = "") -> String { form?.text(field) ?? fallback }
        let attendees = roster.map { m in
            let chosen = form.map { AttendanceStatus(rawValue: $0.text("att_\(m.id)")) ?? .absent } ?? .present
            return AttendeeRow(
                id: m.id, name: m.name, full: m.full, presentSelected: chosen == .present, leaveSelected: chosen == .leave,
                absentSelected: chosen == .absent, reason: value("reason_\(m.id)"))
        }
        let votes = (1...3).map { i in
            MeetingFormPage.Vote(
                i: i, motion: value("vote_motion_\(i)"), entitled: value("vote_entitled_\(i)", String(fullCount)),
                present: value("vote_present_\(i)"),
                for: value("vote_for_\(i)"), against: value("vote_against_\(i)", "0"), abstain: value("vote_abstain_\(i)", "0"),
                writtenFor: value("vote_written_for_\(i)", "0"), writtenAgainst: value("vote_written_against_\(i)", "0"))
        }
        let model = MeetingFormPage(
            org: OrganisationRef(org),
            kinds: MeetingKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == kind) },
            kindName: kind.displayName, isLecture: kind == .partyLecture, isThemeDay: kind == .themeDay, takesVotes: kind.takesVotes,
            heldOn: value("held_on", CivilDate(date: services.clock.now()).description), place: value("place"), host: value("host"),
            recorder: value("recorder"), topic: value("topic"), agenda: value("agenda"), minutes: value("minutes"),
            decisions: value("decisions"), lecturer: value("lecturer"), themeItems: value("theme_items"),
            attendees: attendees, hasAttendees: !attendees.isEmpty, fullCount: fullCount, votes: votes,
            errors: problems.map(\.fullMessage), hasErrors: !problems.isEmpty,
            action: record.map { LifePaths.meetingsCorrect($0.id) } ?? LifePaths.orgsMeetings(org.id), correcting: record != nil, kind: kind.rawValue,
            version: record.map { String($0.version) } ?? "", reason: value("reason"))
        let title = record.map { "更正\($0.kind.displayName)记录（\($0.heldOn)）" } ?? "记录\(kind.displayName)"
        return services.renderer.page("life/meeting_form", title: title, model: model, context: context, request: request, status: status)
    }
}
