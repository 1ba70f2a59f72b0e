import Testing
import Foundation
import HTTPTypes
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 17, item 13: "上次登录" is the sign-in before this one, and from where.
@Suite("上次登录")
struct PreviousSignInTests {
    @Test("the first sign-in says so; the next one shows the first one's time and address, not its own", arguments: TestBackend.enabled)
    func previousSignIn(_ backend: TestBackend) async throws {
        let harness = try await WebHarness.make(backend)
        let worker = try #require(harness.fixture.actors[.worker])
        try await harness.withClient { client in
            let (first, firstToken) = try await SignInTests.signIn(
                client, username: worker.username, password: WebFixture.password, ip: "10.1.2.3")
            #expect(first.status == .seeOther)
            let firstHome = try await client.send(.get, "/", as: SignInTests.actor(try #require(firstToken)))
            #expect(firstHome.body.contains("上次登录：这是您的首次登录"))
            let firstAt = Format.dateTime(harness.clock.now())
            harness.clock.advance(seconds: 3_600)
            let (_, secondToken) = try await SignInTests.signIn(client, username: worker.username, password: WebFixture.password, ip: "10.9.9.9")
            let home = try await client.send(.get, "/", as: SignInTests.actor(try #require(secondToken)))
            #expect(home.body.contains("上次登录：\(firstAt)，来自 10.1.2.3"), "\(home.body)")
            #expect(!home.body.contains(Format.dateTime(harness.clock.now())))
        }
        await harness.close()
    }
}
