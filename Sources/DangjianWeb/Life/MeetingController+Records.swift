import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// One meeting record: its page, and putting it right (correction with a reason, decision 0031).
extension MeetingController {
    /// GET /meetings/{id}: a record with its attendance, votes, corrections, and what the user may do with it.
    func detailPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersRead)
        guard let m = try await services.meetings.find(id, access: access),
            let org = try await services.organisations.find(m.organisationID, access: .maintenance)
        else {
            throw RecordNotFound(objectType: "meeting", objectID: String(id))
        }
        let writes = try context.access(for: .membersWrite).covers(path: org.path, parentID: org.parentID) && !org.isDissolved
        let today = CivilDate(date: services.clock.now())
        let facts: [(String, String?)] = [
            ("类型", m.kind.displayName), ("日期", m.heldOn.description), ("地点", m.place), ("主持人", m.host), ("记录人", m.recorder),
            ("授课人", m.lecturer), ("主题", m.topic), ("“1+1+X”内容", m.themeItems), ("议程", m.agenda), ("会议记录", m.minutes), ("决定事项", m.decisions),
            ("出席", "应到 \(m.shouldAttend) 人，实到 \(m.present) 人"),
        ]
        let revisions = try await services.meetings.revisions(of: id, access: access)
        let model = MeetingDetailPage(
            org: OrganisationRef(org), title: "\(m.kind.displayName) \(m.heldOn)",
            facts: facts.compactMap { f in f.1.map { MeetingDetailPage.Fact(label: f.0, value: $0) } },
            attendance: m.attendance.map {
                MeetingDetailPage.Attendance(name: $0.name, status: $0.status.displayName, reason: $0.reason ?? "", absent: $0.status != .present)
            },
            votes: m.votes.map { MeetingDetailPage.Vote(motion: $0.motion, passed: $0.passed, explanation: $0.explanation) },
            hasVotes: !m.votes.isEmpty, evaluation: EvaluationRepository.meetingKinds.contains(m.kind) && m.deletion == nil, meetingID: m.id,
            canCheckin: m.heldOn == today && writes && m.deletion == nil, canCorrect: writes && m.deletion == nil,
            correctHref: LifePaths.meetingsCorrect(m.id), deleteHref: LifePaths.meetingsDelete(m.id), deleted: m.deletion != nil,
            deletedNote: m.deletion.map { "这条记录已于 \(CivilDate(date: $0.at)) 作为误录删除，不计入任何统计。原因：\($0.reason)" } ?? "",
            revisions: revisions.map(Self.revisionRow), hasRevisions: !revisions.isEmpty)
        return services.renderer.page(
            "life/meeting_detail", title: "\(m.kind.displayName) \(m.heldOn)", model: model, context: context, request: request)
    }

    /// A replaced version in one line: who corrected it when and why, and what it said.
    static func revisionRow(_ r: MeetingRevision) -> MeetingDetailPage.Revision {
        let s = r.snapshot
        let present = s.attendance.filter { $0.status == AttendanceStatus.present.rawValue }.map(\.name)
        let votes = s.votes.map { "表决“\($0.motion)”\($0.passed ? "通过" : "未通过")（赞成 \($0.inFavour + $0.writtenInFavour)）" }
        return MeetingDetailPage.Revision(
            heading: "第 \(r.version) 版 · \(CivilDate(date: r.revisedAt)) 由\(r.revisedBy ?? "（已删除的账户）")更正",
            reason: r.reason,
            before: (["日期 \(s.heldOn)", "主题“\(s.topic)”", "应到 \(s.shouldAttend) 人、实到 \(s.present) 人（\(present.joined(separator: "、"))）"] + votes)
                .joined(separator: "；"))
    }

    /// The meeting of the route's `id`, which the caller may change (else 404, or the reason it cannot be changed).
    func writableRecord(_ context: AppRequestContext) async throws -> MeetingRecord {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let record = try await services.meetings.find(id, access: try context.access(for: .membersWrite)) else {
            throw RecordNotFound(objectType: "meeting", objectID: String(id))
        }
        if let deletion = record.deletion {
            throw ValidationFailure(field: "id", message: "这条记录已于 \(CivilDate(date: deletion.at)) 删除，不能再更正或删除")
        }
        return record
    }

    /// POST /meetings/{id}/correct: the record's new content with the reason; the replaced version is kept.
    func correctMeeting(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request, limit: 1024 * 1024)
        let record = try await writableRecord(context)
        let show = { (problems: [ValidationFailure]) in
            try await formPage(
                request, context, organisationID: record.organisationID, kind: record.kind, form: form, problems: problems, status: .badRequest,
                correcting: record)
        }
        let meeting: MeetingForm
        do { meeting = try MeetingForm(form, roster: record.attendance.map(\.memberID), kind: record.kind) } catch {
            return try await show(error.problems)
        }
        do {
            let version = form.int64("version") ?? 0
            _ = try await services.meetings.correct(
                record.id, to: meeting.draft, reason: form.text("reason"), version: version,
                access: try context.access(for: .membersWrite), actor: context.actor)
            return PageRenderer.redirect(LifePaths.meetings(record.id), done: .meetingCorrected)
        } catch let errors as ValidationProblems {
            return try await show(errors.problems)
        } catch let failure as ValidationFailure {
            return try await show([failure])
        }
    }
}
