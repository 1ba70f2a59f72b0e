import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import SQLKit
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Sign-in, sessions and password flows through the real router.
@Suite("Sign-in and sessions")
struct SignInTests {
    /// Signs in through the form; returns the response of POST /login and the cookie it set.
    static func signIn(
        _ client: any TestClientProtocol, username: String, password: String, ip: String = "10.0.0.5"
    ) async throws -> (TestResponse, String?) {
        let page = try await client.send(.get, "/login", as: nil)
        let loginCookie = try #require(page.cookie("dj_login"))
        #expect(page.hiddenField("_csrf") == loginCookie)
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Forwarded-For")!] = ip
        let response = try await client.send(
            .post, "/login", as: nil, form: ["username": username, "password": password, "_csrf": loginCookie],
            headers: headers, cookies: ["dj_login": loginCookie])
        return (response, response.cookie("dj_session"))
    }

    static func actor(_ token: String, csrf: String = "") -> FixtureActor {
        FixtureActor(userID: 0, username: "", sessionToken: token, csrf: csrf, apiToken: "", apiTokenID: 0)
    }

    @Test("a new account must change its one-time password before anything else, then works", arguments: TestBackend.enabled)
    func forcedPasswordChange(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let created = try await harness.services.accounts.create(
            username: "newbie", displayName: "新同志", organisationID: harness.fixture.tree["A1"], policy: .mlps, actor: .console("t"))
        // A 党务工作者: no second factor asked (an administrator enrols first, SecondFactorTests).
        _ = try await harness.services.accounts.grant(
            role: .partyWorker, to: created.user.id, organisationID: harness.fixture.tree["A1"], scope: nil, actor: .console("t"))
        try await harness.withClient { client in
            let (login, token) = try await Self.signIn(client, username: "newbie", password: created.oneTimePassword)
            #expect(login.status == .seeOther && login.location == "/account/password")
            let session = try #require(token)
            for path in ["/", "/orgs", "/account/tokens", "/orgs/\(harness.fixture.tree["A1"])"] {
                let r = try await client.send(.get, path, as: Self.actor(session))
                #expect(r.status == .seeOther && r.location == "/account/password", "\(path)")
            }
            let api = try await client.send(.get, "/api/v1/me", as: Self.actor(session))
            #expect(api.status == .forbidden)
            let page = try await client.send(.get, "/account/password", as: Self.actor(session))
            #expect(page.body.contains("forced-change"))
            let csrf = try #require(page.hiddenField("_csrf"))
            let weak = try await client.send(
                .post, "/account/password", as: Self.actor(session, csrf: csrf),
                form: ["current_password": created.oneTimePassword, "new_password": "12345678", "confirm_password": "12345678"])
            #expect(weak.status == .badRequest)
            #expect(weak.body.contains("至少 3 类") || weak.body.contains("常见"))
            let ok = try await client.send(
                .post, "/account/password", as: Self.actor(session, csrf: csrf),
                form: ["current_password": created.oneTimePassword, "new_password": "Hongqi#2026", "confirm_password": "Hongqi#2026"])
            #expect(ok.status == .seeOther && ok.location == "/account/password?done=1")
            let orgs = try await client.send(.get, "/orgs", as: Self.actor(session))
            #expect(orgs.status == .ok && orgs.body.contains("甲县直机关工委"))
        }
        await harness.close()
    }

    @Test("sign-in issues a fresh session id, and logout ends it on the server", arguments: TestBackend.enabled)
    func rotationAndLogout(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let worker = try #require(harness.fixture.actors[.worker])
        try await harness.withClient { client in
            // The fixture session exists; signing in again (as happens from a shared computer) replaces it.
            let page = try await client.send(.get, "/login", as: nil)
            let loginCookie = try #require(page.cookie("dj_login"))
            let login = try await client.send(
                .post, "/login", as: worker,
                form: ["username": "worker", "password": WebFixture.password, "_csrf": worker.csrf], cookies: ["dj_login": loginCookie])
            let fresh = try #require(login.cookie("dj_session"))
            #expect(fresh != worker.sessionToken)
            let old = try await client.send(.get, "/", as: worker)
            #expect(old.isSignInRedirect, "the pre-login session id must be dead")
            let new = Self.actor(fresh)
            #expect(try await client.send(.get, "/", as: new).status == .ok)
            let home = try await client.send(.get, "/", as: new)
            let csrf = try #require(home.hiddenField("_csrf"))
            let logout = try await client.send(.post, "/logout", as: Self.actor(fresh, csrf: csrf), form: [:])
            #expect(logout.status == .seeOther && logout.location == "/login?bye=1")
            #expect(logout.headers[values: .setCookie].contains { $0.hasPrefix("dj_session=;") && $0.contains("Max-Age=0") })
            let replay = try await client.send(.get, "/", as: new)
            #expect(replay.isSignInRedirect)
            #expect(try await harness.services.sessions.find(token: fresh) == nil)
        }
        await harness.close()
    }

    @Test("five failures lock the account; the message is the same as for an unknown name; an administrator unlocks it")
    func lockoutOverHTTP() async throws {
        let harness = try await WebHarness.make()
        try await harness.withClient { client in
            func normalised(_ body: String) -> String {
                body.replacingOccurrences(of: #"value="[A-Za-z0-9_-]{20,}""#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"请求编号 [0-9a-f]+"#, with: "", options: .regularExpression)
            }
            let (unknown, _) = try await Self.signIn(client, username: "no-such-user", password: "Wrong#123", ip: "10.1.0.1")
            var known: TestResponse?
            for attempt in 1...5 {
                let (r, cookie) = try await Self.signIn(client, username: "worker", password: "Wrong#123", ip: "10.1.0.\(attempt + 1)")
                #expect(cookie == nil)
                known = r
            }
            let knownResponse = try #require(known)
            #expect(unknown.status == knownResponse.status)
            #expect(normalised(unknown.body).replacingOccurrences(of: "no-such-user", with: "worker") == normalised(knownResponse.body))
            // Locked: even the right password fails, with the same message.
            let (locked, lockedCookie) = try await Self.signIn(client, username: "worker", password: WebFixture.password, ip: "10.1.0.9")
            #expect(lockedCookie == nil)
            #expect(
                normalised(locked.body).replacingOccurrences(of: "value=\"worker\"", with: "")
                    == normalised(knownResponse.body).replacingOccurrences(of: "value=\"worker\"", with: ""))
            let sysadmin = try #require(harness.fixture.actors[.sysadmin])
            let workerID = try #require(harness.fixture.actors[.worker]).userID
            let listed = try await client.send(.get, "/admin/users/\(workerID)", as: sysadmin)
            #expect(listed.body.contains("已锁定"))
            let unlock = try await client.send(.post, "/admin/users/\(workerID)/unlock", as: sysadmin, form: [:])
            #expect(unlock.status == .seeOther)
            let (ok, okCookie) = try await Self.signIn(client, username: "worker", password: WebFixture.password, ip: "10.1.0.10")
            #expect(ok.status == .seeOther && okCookie != nil)
        }
        let events = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.accountLocked.rawValue), database: harness.scratch.database)
        #expect(events.total == 1)
        await harness.close()
    }

    @Test("one address failing too often is throttled with 429")
    func throttling() async throws {
        var config = WebHarness.configuration()
        config.loginIPLimit = 8
        let harness = try await WebHarness.make(configuration: config)
        try await harness.withClient { client in
            for i in 0..<8 {
                let (r, _) = try await Self.signIn(client, username: "user\(i)", password: "x", ip: "10.7.7.7")
                #expect(r.status == .ok)
            }
            let (throttled, _) = try await Self.signIn(client, username: "worker", password: WebFixture.password, ip: "10.7.7.7")
            #expect(throttled.status == .tooManyRequests)
            let (elsewhere, cookie) = try await Self.signIn(client, username: "worker", password: WebFixture.password, ip: "10.8.8.8")
            #expect(elsewhere.status == .seeOther && cookie != nil)
        }
        await harness.close()
    }

    @Test("idle sessions end after 15 minutes for administrators and 30 for others; any session ends after 8 hours")
    func timeouts() async throws {
        let harness = try await WebHarness.make()
        let admin = try #require(harness.fixture.actors[.sysadmin])
        let member = try #require(harness.fixture.actors[.member])
        let worker = try #require(harness.fixture.actors[.worker])
        try await harness.withClient { client in
            harness.clock.advance(seconds: 14 * 60)
            #expect(try await client.send(.get, "/", as: admin).status == .ok)
            #expect(try await client.send(.get, "/", as: member).status == .ok)
            harness.clock.advance(seconds: 16 * 60)  // admin idle 16 minutes since last request
            let expired = try await client.send(.get, "/", as: admin)
            #expect(expired.status == .seeOther && expired.location == "/login?expired=1")
            #expect(try await client.send(.get, "/", as: member).status == .ok, "member was active 16 minutes ago")
            harness.clock.advance(seconds: 31 * 60)
            #expect(try await client.send(.get, "/", as: member).isSignInRedirect)
            // Absolute limit: keep the worker active every 20 minutes; at 8 hours the session still ends.
            var lastOK = true
            for _ in 0..<30 {
                harness.clock.advance(seconds: 20 * 60)
                lastOK = try await client.send(.get, "/", as: worker).status == .ok
                if !lastOK { break }
            }
            #expect(!lastOK)
        }
        let expiredEvents = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.sessionExpired.rawValue), database: harness.scratch.database)
        #expect(expiredEvents.total == 3)
        await harness.close()
    }

    @Test("cookies carry HttpOnly and SameSite always, Secure and the __Host- prefix over HTTPS, never Domain")
    func cookieFlags() async throws {
        var config = WebHarness.configuration()
        config.https = true
        let harness = try await WebHarness.make(configuration: config)
        try await harness.withClient { client in
            let page = try await client.send(.get, "/login", as: nil)
            let loginCookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("__Host-dj_login=") })
            let token = String(loginCookie.dropFirst("__Host-dj_login=".count).prefix { $0 != ";" })
            let login = try await client.send(
                .post, "/login", as: nil,
                form: ["username": "auditor", "password": WebFixture.password, "_csrf": token], cookies: ["__Host-dj_login": token])
            let session = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("__Host-dj_session=") })
            #expect(
                session.range(of: #"^__Host-dj_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax; Secure$"#, options: .regularExpression)
                    != nil, "\(session)")
            #expect(!session.contains("Domain"))
            #expect(page.headers[HTTPField.Name("Strict-Transport-Security")!]?.contains("max-age=") == true)
        }
        await harness.close()
    }
}

@Suite("Password expiry")
struct PasswordExpiryTests {
    @Test("after 90 days every page sends the user to change the password first")
    func expiry() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        try await harness.withClient { client in
            #expect(try await client.send(.get, "/orgs", as: worker).status == .ok)
            // Keep the session alive in between is impossible over 91 days; sign in again after the jump.
            harness.clock.advance(seconds: 91 * 86_400)
            let (login, cookie) = try await SignInTests.signIn(client, username: "worker", password: WebFixture.password)
            #expect(login.status == .seeOther)
            let session = SignInTests.actor(try #require(cookie))
            let r = try await client.send(.get, "/orgs", as: session)
            #expect(r.status == .seeOther && r.location == "/account/password")
            let page = try await client.send(.get, "/account/password", as: session)
            #expect(page.body.contains("超过有效期"))
        }
        await harness.close()
    }
}
