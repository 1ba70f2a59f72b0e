import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 扫码签到: the secretary shows a per-meeting QR code (encoded by our own `QRCode`), members scan it with their
/// phones, sign in and are marked present on the meeting's list.
struct CheckinController {
    let services: AppServices

    struct LineRow {
        var name: String
        var status: String
        var at: String
        var present: Bool
    }

    func addRoutes(to site: Site) {
        site.add(.post, LifePaths.meetingsCheckinPattern, access: .permission(.membersWrite), target: .meeting) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                _ = try await services.checkins.open(meetingID: id, access: try context.access(for: .membersWrite), actor: context.actor)
                return PageRenderer.redirect(LifePaths.meetingsCheckin(id))
            } catch let failure as ValidationFailure {
                return try await page(request, context, meetingID: id, problem: failure.fullMessage, status: .badRequest)
            }
        }
        site.add(.get, LifePaths.meetingsCheckinPattern, access: .permission(.membersWrite), target: .meeting) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            var response = try await page(request, context, meetingID: id, problem: nil, status: .ok)
            response.headers[HTTPField.Name("Refresh")!] = "15"  // the list of who signed in updates itself
            return response
        }
        site.add(.post, LifePaths.meetingsCheckinClosePattern, access: .permission(.membersWrite), target: .meeting) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            try await services.checkins.close(meetingID: id, access: try context.access(for: .membersWrite), actor: context.actor)
            return PageRenderer.redirect(LifePaths.meetings(id), done: .checkinClosed)
        }
        site.add(.get, LifePaths.meetingsCheckinPngPattern, access: .permission(.membersWrite), target: .meeting) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let checkin = try await services.checkins.current(meetingID: id, access: try context.access(for: .membersWrite)) else {
                throw RecordNotFound(objectType: "meeting_checkin", objectID: String(id))
            }
            var headers = HTTPFields()
            headers[.contentType] = "image/png"
            headers[.cacheControl] = "no-store"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try QRCode(text: url(request, token: checkin.token)).png())))
        }
        site.add(.get, LifePaths.checkinPattern, access: .signedIn) { request, context in
            let token = try context.parameters.require("token")
            guard let found = try await services.checkins.meeting(forToken: token) else {
                return services.renderer.page(
                    "life/checkin", title: "扫码签到", model: CheckinPage(problem: "签到二维码无效或已过期，请向会议组织者索取新的二维码"),
                    context: context, request: request, status: .notFound)
            }
            let model = CheckinPage(
                confirm: true, token: token, organisation: found.organisation,
                meeting: "\(found.meeting.kind.displayName) · \(found.meeting.topic)", heldOn: found.meeting.heldOn.description)
            return services.renderer.page("life/checkin", title: "扫码签到", model: model, context: context, request: request)
        }
        site.add(.post, LifePaths.checkinPattern, access: .signedIn) { request, context in
            let token = try context.parameters.require("token")
            guard let userID = context.identity?.user.id else { throw NeedsSignIn(isAPI: false) }
            do {
                let outcome = try await services.checkins.checkIn(token: token, userID: userID, actor: context.actor)
                let message: String
                switch outcome {
                case .signedIn(let name, let meeting): message = "\(name)，您已签到：\(meeting)"
                case .alreadySignedIn(let name, let meeting): message = "\(name)，您此前已签到：\(meeting)"
                }
                return services.renderer.page(
                    "life/checkin", title: "签到成功", model: CheckinPage(done: message), context: context, request: request)
            } catch let failure as ValidationFailure {
                return services.renderer.page(
                    "life/checkin", title: "扫码签到", model: CheckinPage(problem: failure.message),
                    context: context, request: request, status: .badRequest)
            }
        }
    }

    /// The address the QR code carries: `DANGJIAN_PUBLIC_URL`, or the address the server was configured to listen
    /// on — never the request's Host header, which a client chooses (issue 15, L8).
    func url(_ request: Request, token: String) -> String { services.publicAddress("/checkin/\(token)") }

    func page(
        _ request: Request, _ context: AppRequestContext, meetingID: Int64, problem: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let access = try context.access(for: .membersWrite)
        guard let meeting = try await services.meetings.find(meetingID, access: access),
            let org = try await services.organisations.find(meeting.organisationID, access: access)
        else {
            throw RecordNotFound(objectType: "meeting", objectID: String(meetingID))
        }
        let checkin = try await services.checkins.current(meetingID: meetingID, access: access)
        let address = checkin.map { url(request, token: $0.token) }
        let lines = meeting.attendance.map { a in
            LineRow(
                name: a.name, status: a.checkedInAt != nil ? "已扫码签到" : a.status.displayName,
                at: a.checkedInAt.map { Format.dateTime($0).suffix(8).description } ?? "", present: a.status == .present)
        }
        let model = MeetingCheckinPage(
            org: OrganisationRef(org), meetingID: meeting.id, title: "\(meeting.kind.displayName) \(meeting.heldOn)",
            topic: meeting.topic,
            open: checkin != nil, qr: try address.map { try QRCode(text: $0).svg(pixelsPerModule: 8, label: "签到二维码") } ?? "",
            url: address ?? "", expires: checkin.map { Format.dateTime($0.expiresAt) } ?? "",
            today: meeting.heldOn == CivilDate(date: services.clock.now()), problem: problem ?? "", hasProblem: problem != nil,
            lines: lines, present: lines.filter(\.present).count, total: lines.count)
        return services.renderer.page(
            "life/meeting_checkin", title: "扫码签到 · \(meeting.topic)", model: model, context: context, request: request, status: status)
    }
}
