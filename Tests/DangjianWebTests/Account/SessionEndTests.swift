import Testing
import Foundation
import HummingbirdTesting
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 17, item 6: the page says how long the session lasts without activity (app.js warns before the end and
/// "继续使用" keeps it), and a form sent after the session ended leads through sign-in back to the page that showed it.
@Suite("the end of a session")
struct SessionEndTests {
    @Test("every page carries the seconds left; asking keeps the session; the absolute limit shortens it")
    func secondsLeft() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let admin = try #require(harness.fixture.actors[.sysadmin])
        try await harness.withClient { client in
            let page = try await client.send(.get, "/", as: worker)
            #expect(page.body.contains("<body data-session-left=\"1800\" data-session-ping=\"/account/session-left\">"))
            let adminPage = try await client.send(.get, "/", as: admin)
            #expect(adminPage.body.contains("data-session-left=\"900\""), "administrators: 15 minutes")
            harness.clock.advance(seconds: 25 * 60)
            // "继续使用" 25 minutes later: the session is kept, 30 minutes from now.
            let ping = try await client.send(.get, "/account/session-left", as: worker)
            #expect(ping.status == .ok && ping.body == "{\"seconds\":1800}" && ping.headers[.cacheControl] == "no-store")
            harness.clock.advance(seconds: 25 * 60)
            #expect(try await client.send(.get, "/", as: worker).status == .ok, "kept by the ping 25 minutes ago")
            // Near the 8-hour limit the absolute end comes first.
            for _ in 0..<17 {
                harness.clock.advance(seconds: 25 * 60)
                _ = try await client.send(.get, "/account/session-left", as: worker)
            }
            let late = try await client.send(.get, "/account/session-left", as: worker)
            let seconds = try #require(late.body.split(separator: ":").last.flatMap { Int($0.dropLast()) })
            #expect(seconds < 1800 && seconds > 0, "\(late.body)")
            // Anonymous: no session, no count-down.
            #expect(try await client.send(.get, "/login", as: nil).body.contains("<body>"))
        }
        await harness.close()
    }

    @Test("a form sent after the idle timeout leads to sign-in with the form's page as the next page")
    func formAfterTimeout() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        try await harness.withClient { client in
            harness.clock.advance(seconds: 31 * 60)
            var headers = HTTPFields()
            headers[.referer] = "http://127.0.0.1:8080/orgs/\(org)/meetings/new?kind=party_lecture"
            let sent = try await client.send(
                .post, "/orgs/\(org)/meetings", as: worker, form: ["kind": "party_lecture", "topic": "超时后提交"], headers: headers)
            let expected = "/login?expired=1&next=" + ErrorPages.queryEscaped("/orgs/\(org)/meetings/new?kind=party_lecture")
            #expect(sent.status == .seeOther && sent.location == expected, "\(sent.location ?? "")")
            let login = try await client.send(.get, sent.location ?? "/", as: nil)
            #expect(login.hiddenField("next") == "/orgs/\(org)/meetings/new?kind=party_lecture")
            // Without a session at all (cookie gone), the same.
            let anonymous = try await client.send(.post, "/orgs/\(org)/meetings", as: nil, form: ["topic": "x"], headers: headers)
            #expect(anonymous.isSignInRedirect && anonymous.location?.contains("next=%2Forgs%2F\(org)%2Fmeetings%2Fnew") == true)
        }
        #expect(try await harness.services.meetings.list(organisationID: org, year: 2026, access: .maintenance).allSatisfy { $0.topic != "超时后提交" })
        await harness.close()
    }
}
