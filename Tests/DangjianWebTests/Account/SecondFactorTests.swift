import Testing
import Foundation
import HTTPTypes
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 15, H6: a second factor for the administrators (TOTP, RFC 6238), recovery codes, step-up before sensitive
/// actions, and the 安全管理员's reset — through the real router, as a browser would.
@Suite("Second factor (issue 15, H6)")
struct SecondFactorTests {
    /// The secret shown on the enrolment page.
    static func secret(_ page: TestResponse) throws -> [UInt8] {
        let match = try #require(page.body.firstMatch(of: /id="totp-secret">([A-Z2-7 ]+)</))
        return try #require(Base32.decode(String(match.1)))
    }

    static func code(_ secret: [UInt8], _ harness: WebHarness) -> String {
        OneTimePassword.code(secret: secret, step: OneTimePassword.step(at: harness.clock.now()))
    }

    /// A new 组织管理员 with a known password (no forced change), not enrolled.
    static func newAdmin(_ harness: WebHarness, _ name: String = "zzb2") async throws -> Int64 {
        let user = try await harness.services.accounts.create(
            username: name, displayName: "组织部干部", organisationID: harness.fixture.tree["A1"],
            policy: .mlps, actor: .console("t")
        ).user
        _ = try await harness.services.accounts.grant(
            role: .orgAdmin, to: user.id, organisationID: harness.fixture.tree["A1"], scope: nil, actor: .console("t"))
        try await harness.services.accounts.setDemoPassword(userID: user.id, password: WebFixture.password, actor: .console("t"))
        return user.id
    }

    /// Enrols `userID` directly through the repository (the pages are tested in `enrolAndSignIn`).
    static func enrol(_ harness: WebHarness, _ userID: Int64) async throws {
        let secret = try await harness.services.secondFactors.pendingSecret(userID: userID)
        let bytes = try #require(Base32.decode(secret))
        _ = try await harness.services.secondFactors.confirm(userID: userID, code: Self.code(bytes, harness), actor: .console("t"))
    }

    @Test("H6: an administrator enrols at first sign-in, then signs in with password and code; codes are single-use", arguments: TestBackend.enabled)
    func enrolAndSignIn(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let userID = try await Self.newAdmin(harness)
        try await harness.withClient { client in
            // Password alone: only enrolment is reachable.
            let (login, token) = try await SignInTests.signIn(client, username: "zzb2", password: WebFixture.password)
            #expect(login.status == .seeOther && login.location == "/account/two-factor")
            let session = try #require(token)
            let pending = SignInTests.actor(session)
            for path in ["/", "/members?org=\(harness.fixture.tree["A1"])", "/account/password", "/admin/users"] {
                let r = try await client.send(.get, path, as: pending)
                #expect(r.status == .seeOther && r.location == "/account/two-factor", "\(path): \(r.status) \(r.location ?? "")")
            }
            let enrol = try await client.send(.get, "/account/two-factor", as: pending)
            #expect(enrol.status == .ok && enrol.body.contains("<svg") && enrol.body.contains("enrol-required"))
            let secret = try Self.secret(enrol)
            let csrf = try #require(enrol.hiddenField("_csrf"))
            let withCSRF = SignInTests.actor(session, csrf: csrf)
            let wrong = try await client.send(.post, "/account/two-factor", as: withCSRF, form: ["code": "000000"])
            #expect(wrong.status == .badRequest && wrong.body.contains("动态口令不正确"))
            let confirmed = try await client.send(.post, "/account/two-factor", as: withCSRF, form: ["code": Self.code(secret, harness)])
            #expect(confirmed.status == .ok && confirmed.headers[.cacheControl] == "no-store")
            let codes = confirmed.body.matches(of: /<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/).map { String($0.1) }
            #expect(codes.count == SecondFactorRepository.recoveryCodeCount)
            #expect(try await client.send(.get, "/", as: withCSRF).status == .ok)

            // Next sign-in: the password leads to the code form; nothing else opens until the code is given.
            harness.clock.advance(seconds: 31)
            let (again, token2) = try await SignInTests.signIn(client, username: "zzb2", password: WebFixture.password)
            #expect(again.status == .seeOther && again.location?.hasPrefix("/login/verify") == true)
            let second = SignInTests.actor(try #require(token2))
            let blocked = try await client.send(.get, "/members?org=\(harness.fixture.tree["A1"])", as: second)
            #expect(blocked.status == .seeOther && blocked.location?.hasPrefix("/login/verify?next=") == true)
            let api = try await client.send(.get, "/api/v1/members?org=\(harness.fixture.tree["A1"])", as: second)
            #expect(api.status == .unauthorized && api.body.contains("second_factor_required"))
            let form = try await client.send(.get, "/login/verify", as: second)
            let csrf2 = try #require(form.hiddenField("_csrf"))
            let verifier = SignInTests.actor(try #require(token2), csrf: csrf2)
            let code = Self.code(secret, harness)
            let ok = try await client.send(.post, "/login/verify", as: verifier, form: ["code": code, "next": "/orgs"])
            #expect(ok.status == .seeOther && ok.location == "/orgs")
            #expect(try await client.send(.get, "/orgs", as: verifier).status == .ok)

            // The same code in another session (replay) is refused; a recovery code works once.
            let (_, token3) = try await SignInTests.signIn(client, username: "zzb2", password: WebFixture.password)
            let third = try await client.send(.get, "/login/verify", as: SignInTests.actor(try #require(token3)))
            let thirdActor = SignInTests.actor(try #require(token3), csrf: try #require(third.hiddenField("_csrf")))
            let replay = try await client.send(.post, "/login/verify", as: thirdActor, form: ["code": code])
            #expect(replay.status == .badRequest && replay.body.contains("已使用过"))
            let recovered = try await client.send(.post, "/login/verify", as: thirdActor, form: ["code": codes[0].uppercased()])
            #expect(recovered.status == .seeOther)
            let (_, token4) = try await SignInTests.signIn(client, username: "zzb2", password: WebFixture.password)
            let fourth = try await client.send(.get, "/login/verify", as: SignInTests.actor(try #require(token4)))
            let fourthActor = SignInTests.actor(try #require(token4), csrf: try #require(fourth.hiddenField("_csrf")))
            let reused = try await client.send(.post, "/login/verify", as: fourthActor, form: ["code": codes[0]])
            #expect(reused.status == .badRequest)
        }
        let status = try await harness.services.secondFactors.status(userID: userID)
        #expect(status.enrolled && status.recoveryCodesLeft == SecondFactorRepository.recoveryCodeCount - 1)
        let actions = try await harness.scratch.database.read { db in
            try await db.raw("SELECT action FROM audit_log WHERE object_type = 'user' AND object_id = \(bind: String(userID))").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
        for action in [AuditAction.secondFactorEnrolled, .secondFactorVerified, .recoveryCodeUsed, .loginFailed] {
            #expect(actions.contains(action.rawValue), "\(action)")
        }
        await harness.close()
    }

    @Test("H6: wrong codes count towards the lock; at the threshold the session ends and the account locks")
    func wrongCodesLock() async throws {
        let harness = try await WebHarness.make()
        let userID = try await Self.newAdmin(harness)
        try await Self.enrol(harness, userID)
        let threshold = try await harness.services.passwordPolicy().lockoutThreshold
        try await harness.withClient { client in
            let (_, token) = try await SignInTests.signIn(client, username: "zzb2", password: WebFixture.password)
            let form = try await client.send(.get, "/login/verify", as: SignInTests.actor(try #require(token)))
            let actor = SignInTests.actor(try #require(token), csrf: try #require(form.hiddenField("_csrf")))
            var last: TestResponse?
            for _ in 0..<threshold {
                last = try await client.send(.post, "/login/verify", as: actor, form: ["code": "123456"])
            }
            #expect(last?.status == .seeOther && last?.location == "/login", "the lock ends the session")
            #expect(try await client.send(.get, "/", as: actor).isSignInRedirect)
        }
        #expect(try await harness.services.accounts.find(userID)?.isLocked(at: harness.clock.now()) == true)
        await harness.close()
    }

    @Test("H6: revealing an ID, an unmasked export and granting a role need a recent step-up")
    func stepUp() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let secadmin = try #require(harness.fixture.actors[.secadmin])
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let member = harness.fixture.member(.own, for: .worker)
        harness.clock.advance(seconds: StepUp.freshness + 1)
        try await harness.withClient { client in
            let reveal = try await client.send(.post, "/members/\(member)/reveal", as: worker, form: ["field": "id_number"])
            #expect(reveal.status == .seeOther && reveal.location == "/account/step-up?next=%2Fmembers%2F\(member)")
            let export = try await client.send(
                .post, "/members/export/unmasked", as: orgadmin,
                form: ["filter": "org=\(harness.fixture.tree["A1"])", "purpose": "年度核对", "format": "csv"])
            #expect(export.status == .seeOther && export.location?.hasPrefix("/account/step-up?next=") == true)
            let download = try await client.send(.get, "/exports/\(harness.fixture.exportRequest)/download", as: orgadmin)
            #expect(download.status == .seeOther && download.location?.hasPrefix("/account/step-up?next=") == true)
            let grant = try await client.send(
                .post, "/admin/users/\(harness.fixture.targetUserID)/roles", as: secadmin,
                form: ["role": "member", "organisation_id": String(harness.fixture.tree["A1a1"])])
            #expect(grant.status == .seeOther && grant.location?.hasPrefix("/account/step-up") == true)

            // The worker has no second factor: step-up asks for the password; a wrong one is refused and counted.
            let page = try await client.send(.get, "/account/step-up?next=/members/\(member)", as: worker)
            #expect(page.status == .ok && page.body.contains("name=\"password\""))
            let wrong = try await client.send(.post, "/account/step-up", as: worker, form: ["password": "nope", "next": "/members/\(member)"])
            #expect(wrong.status == .badRequest)
            let right = try await client.send(
                .post, "/account/step-up", as: worker, form: ["password": WebFixture.password, "next": "/members/\(member)"])
            #expect(right.status == .seeOther && right.location == "/members/\(member)")
            let revealed = try await client.send(.post, "/members/\(member)/reveal", as: worker, form: ["field": "id_number"])
            #expect(revealed.status == .ok && revealed.body.contains("class=\"revealed\""))
        }
        await harness.close()
    }

    @Test("H6: the 安全管理员 resets a lost second factor (not their own); the user's sessions end and they enrol again")
    func resetBySecurityAdmin() async throws {
        let harness = try await WebHarness.make()
        let userID = try await Self.newAdmin(harness)
        try await Self.enrol(harness, userID)
        let session = try await harness.services.sessions.start(userID: userID, ip: "127.0.0.1", userAgent: "t", secondFactorPassed: true)
        let secadmin = try #require(harness.fixture.actors[.secadmin])
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        try await harness.withClient { client in
            let detail = try await client.send(.get, "/admin/users/\(userID)", as: secadmin)
            #expect(detail.body.contains("已启用（剩余恢复码 10 个）"))
            let denied = try await client.send(.post, "/admin/users/\(userID)/second-factor/reset", as: orgadmin, form: ["reason": "x"])
            #expect(denied.status == .forbidden)
            let ownReset = try await client.send(.post, "/admin/users/\(secadmin.userID)/second-factor/reset", as: secadmin, form: ["reason": "x"])
            #expect(ownReset.status == .badRequest)
            let reset = try await client.send(.post, "/admin/users/\(userID)/second-factor/reset", as: secadmin, form: ["reason": "手机丢失，已当面核实"])
            #expect(reset.status == .seeOther)
            #expect(try await client.send(.get, "/", as: SignInTests.actor(session.token)).isSignInRedirect)
            let (login, _) = try await SignInTests.signIn(client, username: "zzb2", password: WebFixture.password)
            #expect(login.location == "/account/two-factor")
        }
        #expect(try await harness.services.secondFactors.status(userID: userID).enrolled == false)
        await harness.close()
    }

    @Test("H6: with the policy's “everyone”, a 党务工作者 enrols too; without it they sign in with the password")
    func everyonePolicy() async throws {
        let harness = try await WebHarness.make()
        try await harness.withClient { client in
            let (plain, _) = try await SignInTests.signIn(client, username: "worker", password: WebFixture.password)
            #expect(plain.location == "/")
            var policy = try await harness.services.passwordPolicy()
            let previous = policy
            policy.secondFactorForEveryone = true
            try await harness.services.settings.savePasswordPolicy(policy, previous: previous, actor: .console("t"))
            let (forced, _) = try await SignInTests.signIn(client, username: "worker", password: WebFixture.password, ip: "10.0.0.6")
            #expect(forced.location == "/account/two-factor")
        }
        await harness.close()
    }
}
