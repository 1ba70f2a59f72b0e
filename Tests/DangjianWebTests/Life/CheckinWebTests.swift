import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("扫码签到")
struct CheckinWebTests {
    @Test(
        "a secretary records today's theme day for sign-in by QR; a member scans, signs in and is present; strangers, forged and closed codes are refused"
    )
    func scanToSignIn() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let member = try #require(harness.fixture.actors[.member])
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let org = harness.fixture.tree["A1a1"]
        let memberID = harness.fixture.memberIDs["A1a1"]!
        let memberName = try #require(try await harness.services.members.find(memberID, access: .maintenance)).name
        let memberUsername = try #require(try await harness.services.accounts.find(member.userID)).username
        try await harness.services.members.linkAccount(
            username: memberUsername, toMember: memberID, confirmingNameDifference: true, access: .maintenance, actor: .console("t"))
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            let saved = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: [
                    "kind": "theme_day", "held_on": today.description, "topic": "扫码签到的主题党日", "att_\(memberID)": "present", "await_checkin": "1",
                ])
            let checkinPage = try #require(saved.location)
            #expect(saved.status == .seeOther && checkinPage.hasSuffix("/checkin"))
            let meetingID = try #require(Int64(checkinPage.split(separator: "/")[1]))
            let page = try await client.send(.get, checkinPage, as: worker)
            #expect(page.status == .ok && page.body.contains("<svg") && page.body.contains("签到情况（0/"))
            let url = try #require(page.body.range(of: "<code id=\"checkin-url\">").map { String(page.body[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(url.hasPrefix("http://") && url.contains("/checkin/"))
            let token = String(url[url.range(of: "/checkin/")!.upperBound...])
            let png = try await client.send(.get, "/meetings/\(meetingID)/checkin.png", as: worker)
            #expect(png.headers[.contentType] == "image/png" && png.bodyBytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            // The member scans: a confirmation page, then present.
            let confirm = try await client.send(.get, "/checkin/\(token)", as: member)
            #expect(confirm.status == .ok && confirm.body.contains("扫码签到的主题党日") && confirm.body.contains("确认签到"))
            let done = try await client.send(.post, "/checkin/\(token)", as: member, form: [:])
            #expect(done.status == .ok && done.body.contains("\(memberName)，您已签到"))
            let twice = try await client.send(.post, "/checkin/\(token)", as: member, form: [:])
            #expect(twice.body.contains("此前已签到"))
            let record = try #require(try await harness.services.meetings.find(meetingID, access: .maintenance))
            #expect(record.present == 1 && record.attendance.first { $0.memberID == memberID }?.checkedInAt != nil)
            // An account without a member record, and a forged token.
            let stranger = try await client.send(.post, "/checkin/\(token)", as: orgadmin, form: [:])
            #expect(stranger.status == .badRequest && stranger.body.contains("尚未关联党员信息"))
            let forged = try await client.send(
                .post, "/checkin/\(token.prefix { $0 != "-" })-00000000000000000000000000000000", as: member, form: [:])
            #expect(forged.status == .badRequest && forged.body.contains("无效或已过期"))
            // Closed: the code no longer works.
            _ = try await client.send(.post, "/meetings/\(meetingID)/checkin/close", as: worker, form: [:])
            let closed = try await client.send(.get, "/checkin/\(token)", as: member)
            #expect(closed.status == .notFound && closed.body.contains("无效或已过期"))
            // A past meeting cannot open a sign-in.
            let opened = try await client.send(.post, "/meetings/\(harness.fixture.evaluationMeeting)/checkin", as: worker, form: [:])
            #expect(opened.status == .seeOther, "the fixture's meetings are today")
        }
        await harness.close()
    }

    @Test("a member on leave cannot also sign in by QR: their written opinion would count twice (issue 17 item 4, DEV-19)")
    func leaveStands() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let member = try #require(harness.fixture.actors[.member])
        let org = harness.fixture.tree["A1a1"]
        let memberID = harness.fixture.memberIDs["A1a1"]!
        let memberUsername = try #require(try await harness.services.accounts.find(member.userID)).username
        try await harness.services.members.linkAccount(
            username: memberUsername, toMember: memberID, confirmingNameDifference: true, access: .maintenance, actor: .console("t"))
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            let saved = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker,
                form: [
                    "kind": "theme_day", "held_on": today.description, "topic": "请假党员签到", "att_\(memberID)": "leave",
                    "reason_\(memberID)": "出差", "await_checkin": "1",
                ])
            let checkinPage = try #require(saved.location)
            let page = try await client.send(.get, checkinPage, as: worker)
            let url = try #require(page.body.range(of: "<code id=\"checkin-url\">").map { String(page.body[$0.upperBound...].prefix { $0 != "<" }) })
            let token = String(url[url.range(of: "/checkin/")!.upperBound...])
            let refused = try await client.send(.post, "/checkin/\(token)", as: member, form: [:])
            #expect(refused.status == .badRequest && refused.body.contains("您已请假"))
            let meetingID = try #require(Int64(checkinPage.split(separator: "/")[1]))
            let record = try #require(try await harness.services.meetings.find(meetingID, access: .maintenance))
            #expect(record.attendance.first { $0.memberID == memberID }?.status == .leave)
        }
        await harness.close()
    }

    @Test("L8: the QR code's address never comes from the request's Host (authority)")
    func qrAddressIgnoresHost() async throws {
        let harness = try await WebHarness.make()
        let forged = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "evil.example", path: "/meetings/1/checkin"),
            body: .init(buffer: ByteBuffer()))
        let url = CheckinController(services: harness.services).url(forged, token: "1-abc")
        #expect(!url.contains("evil.example"), "\(url)")
        #expect(url == "http://127.0.0.1:8080/checkin/1-abc")
        await harness.close()
    }
}
