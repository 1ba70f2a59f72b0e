import Hummingbird
import Foundation
import DangjianDomain
import DangjianStore

/// 组织生活 in `/api/v1` (issue 17, item 21): an organisation's meetings, one meeting with its attendance and votes,
/// recording a meeting (through the same `MeetingForm` and rules as the page: LIFE-02, DEV-18/19), and the
/// compliance roll-up with the states of `Standing`. The same permissions and scopes as the pages.
struct LifeAPI {
    let services: AppServices

    struct MeetingSummaryDTO: Encodable {
        var id: Int64
        var organisation_id: Int64
        var kind: String
        var kind_name: String
        var held_on: String
        var topic: String
        var present: Int
        var should_attend: Int
        var version: Int64

        init(_ m: MeetingRecord) {
            id = m.id; organisation_id = m.organisationID; kind = m.kind.rawValue; kind_name = m.kind.displayName; held_on = m.heldOn.description
            topic = m.topic; present = m.present; should_attend = m.shouldAttend; version = m.version
        }
    }

    struct MeetingDTO: Encodable {
        struct Attendee: Encodable {
            var member_id: Int64
            var name: String
            var status: String
            var reason: String?
            var checked_in_at: String?
        }

        struct Vote: Encodable {
            var motion: String
            var entitled: Int
            var present: Int
            var `for`: Int
            var against: Int
            var abstain: Int
            var written_for: Int
            var written_against: Int
            var passed: Bool
            var explanation: String
        }

        var meeting: MeetingSummaryDTO
        var place, host, recorder, agenda, minutes, decisions, lecturer, theme_items: String?
        var attendance: [Attendee]
        var votes: [Vote]

        init(_ m: MeetingRecord) {
            meeting = MeetingSummaryDTO(m)
            place = m.place; host = m.host; recorder = m.recorder; agenda = m.agenda; minutes = m.minutes; decisions = m.decisions
            lecturer = m.lecturer; theme_items = m.themeItems
            attendance = m.attendance.map {
                Attendee(
                    member_id: $0.memberID, name: $0.name, status: $0.status.rawValue, reason: $0.reason, checked_in_at: $0.checkedInAt?.utcTimestamp)
            }
            votes = m.votes.map {
                Vote(
                    motion: $0.motion, entitled: $0.vote.entitled, present: $0.vote.present, for: $0.vote.inFavour, against: $0.vote.against,
                    abstain: $0.vote.abstaining, written_for: $0.vote.writtenInFavour, written_against: $0.vote.writtenAgainst, passed: $0.passed,
                    explanation: $0.explanation)
            }
        }
    }

    /// `POST /api/v1/organisations/{id}/meetings`: what the meeting form posts, as JSON. Roster members left out of
    /// `attendance` are absent, as on the form.
    struct MeetingBody: Decodable {
        struct Attendance: Decodable {
            var member_id: Int64
            var status: String
            var reason: String?
        }

        struct Vote: Decodable {
            var motion: String
            var entitled: Int?
            /// Left out: the full members marked present (LIFE-02).
            var present: Int?
            var `for`: Int?
            var against: Int?
            var abstain: Int?
            var written_for: Int?
            var written_against: Int?
        }

        var kind: String
        var held_on: String
        var topic: String?
        var place, host, recorder, agenda, minutes, decisions, lecturer, theme_items: String?
        var await_checkin: Bool?
        var attendance: [Attendance]?
        var votes: [Vote]?

        /// The form's fields, so that the API is checked exactly as the page is; a member not on the roster, an
        /// unknown status or more than three motions are refused naming the entry.
        func form(roster: Set<Int64>) throws -> FormData {
            var fields: [String: [String]] = [
                "kind": [MeetingKind(text: kind)?.rawValue ?? kind], "held_on": [held_on], "topic": [topic ?? ""], "place": [place ?? ""],
                "host": [host ?? ""], "recorder": [recorder ?? ""], "agenda": [agenda ?? ""], "minutes": [minutes ?? ""],
                "decisions": [decisions ?? ""], "lecturer": [lecturer ?? ""], "theme_items": [theme_items ?? ""],
                "await_checkin": [await_checkin == true ? "1" : ""],
            ]
            guard MeetingKind(text: kind) != nil else { throw ValidationFailure(field: "kind", message: "会议类型无效：\(kind)") }
            var problems: [ValidationFailure] = []
            for (i, a) in (attendance ?? []).enumerated() {
                guard roster.contains(a.member_id) else {
                    problems.append(ValidationFailure(field: "attendance[\(i)].member_id", message: "第 \(i + 1) 项：党员 \(a.member_id) 不在本组织名册中"))
                    continue
                }
                guard let status = AttendanceStatus(rawValue: a.status) ?? AttendanceStatus.allCases.first(where: { $0.displayName == a.status })
                else {
                    problems.append(
                        ValidationFailure(field: "attendance[\(i)].status", message: "第 \(i + 1) 项：出席情况应为 出席/请假/缺席（present/leave/absent）"))
                    continue
                }
                fields["att_\(a.member_id)"] = [status.rawValue]
                fields["reason_\(a.member_id)"] = [a.reason ?? ""]
            }
            let votes = votes ?? []
            if votes.count > 3 { problems.append(ValidationFailure(field: "votes", message: "一次会议记录最多 3 项表决")) }
            for (i, v) in votes.prefix(3).enumerated() {
                let n = i + 1
                fields["vote_motion_\(n)"] = [v.motion]
                let figures: [(String, Int?)] = [
                    ("entitled", v.entitled), ("present", v.present), ("for", v.for), ("against", v.against), ("abstain", v.abstain),
                    ("written_for", v.written_for), ("written_against", v.written_against),
                ]
                for (name, figure) in figures { fields["vote_\(name)_\(n)"] = [figure.map(String.init) ?? ""] }
            }
            if !problems.isEmpty { throw ValidationProblems(problems: problems) }
            return FormData(fields: fields)
        }
    }

    struct RollUpDTO: Encodable {
        struct Finding: Encodable {
            var rule_id: String
            var kind: String
            var period: String
            var period_start: String
            var period_end: String
            var held: Int
            var minimum: Int
            var state: String
            var message: String
        }

        struct Duty: Encodable {
            var title: String
            var period: String
            var period_end: String
            var done: Int
            var minimum: Int
            var state: String
        }

        struct Line: Encodable {
            var organisation_id: Int64
            var name: String
            var state: String?
            var state_name: String?
            var findings: [Finding]
            var duties: [Duty]
        }

        var today: String
        var rules: String
        var counts: [String: Int]
        /// What the states mean (`Standing.legend`).
        var legend: String
        var items: [Line]
    }

    static func stateCode(_ s: ComplianceState) -> String {
        switch s {
        case .met: "met"
        case .pending: "pending"
        case .dueSoon: "due_soon"
        case .overdue: "overdue"
        }
    }

    func addRoutes(to site: Site) {
        site.add(.get, "/api/v1/organisations/{id}/meetings", access: .permission(.membersRead), target: .organisation) { request, context in
            let access = try JSONAPI.identity(context).principal.access(for: .membersRead)
            let id = try context.parameters.require("id", as: Int64.self)
            let today = CivilDate(date: services.clock.now())
            let year = try FormData.query(request).number("year", CalendarYear.self) ?? CalendarYear(of: today)
            let meetings = try await services.meetings.list(organisationID: id, year: year.value, access: access)
            return try JSONAPI.encode(JSONAPI.Page(total: meetings.count, items: meetings.map(MeetingSummaryDTO.init)))
        }
        site.add(.post, "/api/v1/organisations/{id}/meetings", access: .permission(.membersWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: MeetingBody.self, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
            let roster = try await services.meetings.roster(of: id, access: access).map(\.id)
            let form = try MeetingForm(try body.form(roster: Set(roster)), roster: roster)
            let record = try await services.meetings.record(form.draft, organisationID: id, access: access, actor: context.actor)
            return try JSONAPI.encode(MeetingDTO(record), status: .created)
        }
        site.add(.get, "/api/v1/meetings/{id}", access: .permission(.membersRead), target: .meeting) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let record = try await services.meetings.find(id, access: try JSONAPI.identity(context).principal.access(for: .membersRead)),
                record.deletion == nil
            else {
                throw RecordNotFound(objectType: "meeting", objectID: String(id))
            }
            return try JSONAPI.encode(MeetingDTO(record))
        }
        site.add(.get, "/api/v1/compliance", access: .permission(.organisationsRead), target: .organisation) { request, context in
            let form = FormData.query(request)
            let access = try JSONAPI.identity(context).principal.access(for: .organisationsRead)
            let anchor = try await services.anchorID(form.int64("org"), access)
            let scope = OrganisationScope(rawValue: form.text("scope")) ?? .subtree
            let rollUp = try await services.compliance.rollUp(anchorID: anchor, scope: scope, access: access)
            var counts: [String: Int] = [:]
            for s in ComplianceState.allCases { counts[Self.stateCode(s)] = rollUp.counts[s] ?? 0 }
            return try JSONAPI.encode(
                RollUpDTO(
                    today: rollUp.today.description, rules: rollUp.rules, counts: counts, legend: Standing.legend,
                    items: rollUp.organisations.map { o in
                        RollUpDTO.Line(
                            organisation_id: o.organisation.id, name: o.organisation.name, state: o.worst.map(Self.stateCode),
                            state_name: o.worst?.displayName,
                            findings: o.findings.map { f in
                                RollUpDTO.Finding(
                                    rule_id: f.requirement.ruleID, kind: f.requirement.kind.rawValue, period: f.period.description,
                                    period_start: f.period.start.description, period_end: f.period.end.description, held: f.held,
                                    minimum: f.requirement.minimum, state: Self.stateCode(f.state), message: f.message)
                            },
                            duties: o.duties.map { d in
                                RollUpDTO.Duty(
                                    title: d.item.title, period: d.period.description, period_end: d.period.end.description, done: d.done,
                                    minimum: d.item.minimum, state: Self.stateCode(d.state))
                            })
                    }))
        }
    }
}
