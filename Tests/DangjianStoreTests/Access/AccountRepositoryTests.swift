import Testing
import Foundation
import SQLKit
import DangjianDomain
@testable import DangjianStore
import DangjianTestSupport

@Suite("Accounts, sign-in, lockout, grants and sessions")
struct AccountRepositoryTests {
    static let policy = PasswordPolicy.mlps
    static func actor(_ ip: String = "10.0.0.1") -> Actor { Actor(userID: nil, name: "匿名", ip: ip, requestID: "t") }

    /// Runs `attempt(0..<n)` all at once and returns every result (the H2 races).
    static func atOnce<T: Sendable>(_ n: Int, _ attempt: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            for i in 0..<n { group.addTask { try await attempt(i) } }
            return try await group.reduce(into: [T]()) { $0.append($1) }
        }
    }

    @Test("login names are unique after case and width folding", arguments: TestBackend.enabled)
    func uniqueUsernames(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            _ = try await kit.accounts.create(username: "Wang.Li", displayName: "王力", organisationID: nil, policy: Self.policy, actor: Self.actor())
            await #expect(throws: ValidationFailure.self) {
                try await kit.accounts.create(username: "ｗａｎｇ.ｌｉ", displayName: "王力二", organisationID: nil, policy: Self.policy, actor: Self.actor())
            }
            await #expect(throws: ValidationFailure.self) {
                try await kit.accounts.create(username: "a", displayName: "短", organisationID: nil, policy: Self.policy, actor: Self.actor())
            }
            let hashes = try await scratch.database.read { db in
                try await db.raw("SELECT password_hash FROM users").all().map { try $0.decode(column: "password_hash", as: String.self) }
            }
            #expect(hashes.allSatisfy { $0.hasPrefix("$2") && $0.count == 60 })
        }
    }

    @Test("five wrong passwords lock the account; the right one then fails too; it unlocks after 30 minutes", arguments: TestBackend.enabled)
    func lockout(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let created = try await kit.accounts.create(
                username: "zhangsan", displayName: "张三", organisationID: nil, policy: Self.policy, actor: Self.actor())
            #expect(
                try await kit.accounts.signIn(username: "zhangsan", password: created.oneTimePassword, policy: Self.policy, actor: Self.actor())
                    == .success(try #require(try await kit.accounts.find(created.user.id))))
            for _ in 0..<5 {
                #expect(
                    try await kit.accounts.signIn(username: "zhangsan", password: "wrong-Password1", policy: Self.policy, actor: Self.actor())
                        == .failure)
            }
            #expect(
                try await kit.accounts.signIn(username: "zhangsan", password: created.oneTimePassword, policy: Self.policy, actor: Self.actor())
                    == .failure)
            let locked = try await kit.audit.search(AuditQuery(action: AuditAction.accountLocked.rawValue), database: scratch.database)
            #expect(locked.total == 1)
            kit.clock.advance(seconds: 29 * 60)
            #expect(
                try await kit.accounts.signIn(username: "zhangsan", password: created.oneTimePassword, policy: Self.policy, actor: Self.actor())
                    == .failure)
            kit.clock.advance(seconds: 2 * 60)
            guard
                case .success = try await kit.accounts.signIn(
                    username: "zhangsan", password: created.oneTimePassword, policy: Self.policy, actor: Self.actor())
            else {
                Issue.record("expected the lock to expire after 30 minutes")
                return
            }
        }
    }

    @Test("an administrator unlock lifts a lock that has no expiry", arguments: TestBackend.enabled)
    func adminUnlock(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            var strict = Self.policy
            strict.lockoutThreshold = 3
            strict.lockoutMinutes = nil
            let created = try await kit.accounts.create(username: "lisi", displayName: "李四", organisationID: nil, policy: strict, actor: Self.actor())
            for _ in 0..<3 { _ = try await kit.accounts.signIn(username: "lisi", password: "nope", policy: strict, actor: Self.actor()) }
            kit.clock.advance(seconds: 10 * 3600)
            #expect(
                try await kit.accounts.signIn(username: "lisi", password: created.oneTimePassword, policy: strict, actor: Self.actor()) == .failure)
            try await kit.accounts.unlock(userID: created.user.id, actor: .console("test"))
            // The one-time password expired after 24 hours… so reset instead, which also unlocks.
            let fresh = try await kit.accounts.resetPassword(userID: created.user.id, policy: strict, actor: .console("test"))
            guard case .success = try await kit.accounts.signIn(username: "lisi", password: fresh, policy: strict, actor: Self.actor()) else {
                Issue.record("expected sign-in after unlock and reset")
                return
            }
        }
    }

    @Test("unknown and known names fail the same way; one-time passwords expire after 24 hours", arguments: TestBackend.enabled)
    func unknownUsersAndExpiry(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let created = try await kit.accounts.create(
                username: "wangwu", displayName: "王五", organisationID: nil, policy: Self.policy, actor: Self.actor())
            #expect(try await kit.accounts.signIn(username: "nobody", password: "x", policy: Self.policy, actor: Self.actor()) == .failure)
            kit.clock.advance(seconds: 24 * 3600 + 1)
            #expect(
                try await kit.accounts.signIn(username: "wangwu", password: created.oneTimePassword, policy: Self.policy, actor: Self.actor())
                    == .failure)
        }
    }

    @Test("too many failures from one address are throttled across user names", arguments: TestBackend.enabled)
    func ipThrottle(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            var accounts = kit.accounts
            accounts.throttleLimit = 10
            var outcomes: [SignInOutcome] = []
            for i in 0..<10 {
                outcomes.append(try await accounts.signIn(username: "user\(i)", password: "x", policy: Self.policy, actor: Self.actor("10.9.9.9")))
            }
            #expect(outcomes == Array(repeating: .failure, count: 10))
            let throttled = try await accounts.signIn(username: "user99", password: "x", policy: Self.policy, actor: Self.actor("10.9.9.9"))
            #expect(throttled == .throttled)
            let otherAddress = try await accounts.signIn(username: "user99", password: "x", policy: Self.policy, actor: Self.actor("10.1.1.1"))
            #expect(otherAddress == .failure)
            kit.clock.advance(seconds: 16 * 60)
            let later = try await accounts.signIn(username: "user99", password: "x", policy: Self.policy, actor: Self.actor("10.9.9.9"))
            #expect(later == .failure)
        }
    }

    @Test("H2: 50 concurrent wrong passwords lock the account and the right one is then refused", arguments: TestBackend.enabled)
    func concurrentLockout(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let created = try await kit.accounts.create(
                username: "racer", displayName: "竞速", organisationID: nil, policy: Self.policy, actor: Self.actor())
            let accounts = kit.accounts
            // From 50 addresses, so the per-address throttle does not hide the account's own count.
            let outcomes = try await Self.atOnce(50) { i in
                try await accounts.signIn(username: "racer", password: "wrong-Password\(i)", policy: Self.policy, actor: Self.actor("10.7.0.\(i)"))
            }
            #expect(outcomes.allSatisfy { $0 == .failure })
            let user = try #require(try await kit.accounts.find(created.user.id))
            #expect(user.isLocked(at: kit.clock.now()), "50 concurrent failures did not lock the account")
            // Every failure that reached the password check was counted: none was lost to a read-modify-write race.
            let wrongPasswordAudits = try await kit.audit.search(
                AuditQuery(action: AuditAction.loginFailed.rawValue, limit: 500), database: scratch.database
            )
            .records.filter { $0.summary.contains("密码错误") }.count
            #expect(user.failedCount == wrongPasswordAudits)
            #expect(user.failedCount >= Self.policy.lockoutThreshold)
            let locks = try await kit.audit.search(AuditQuery(action: AuditAction.accountLocked.rawValue), database: scratch.database).total
            #expect(locks == 1, "the lock was set \(locks) times")
            #expect(
                try await kit.accounts.signIn(
                    username: "racer", password: created.oneTimePassword, policy: Self.policy, actor: Self.actor("10.7.1.1")) == .failure)
        }
    }

    @Test("H2: the right password racing 49 wrong ones never gets through once the account is locked", arguments: TestBackend.enabled)
    func rightPasswordRacingWrongOnes(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let created = try await kit.accounts.create(
                username: "racer2", displayName: "竞速二", organisationID: nil, policy: Self.policy, actor: Self.actor())
            let accounts = kit.accounts
            let outcomes = try await Self.atOnce(50) { i in
                (
                    i == 25,
                    try await accounts.signIn(
                        username: "racer2", password: i == 25 ? created.oneTimePassword : "wrong-Password\(i)",
                        policy: Self.policy, actor: Self.actor("10.8.0.\(i)"))
                )
            }
            // Whatever the order, the account ends locked, and a success is only possible before the lock was set:
            // a success resets the count, so it must be followed by at least `threshold` more failures to lock.
            let user = try #require(try await kit.accounts.find(created.user.id))
            #expect(user.isLocked(at: kit.clock.now()))
            let succeeded = outcomes.contains { $0.0 && $0.1 != .failure }
            let events = try await kit.audit.search(AuditQuery(limit: 500), database: scratch.database).records
                .filter { [AuditAction.loginSucceeded.rawValue, AuditAction.accountLocked.rawValue].contains($0.action) }
                .sorted { $0.id < $1.id }
            if succeeded {
                #expect(events.first?.action == AuditAction.loginSucceeded.rawValue, "a correct password was accepted after the lock")
            } else {
                #expect(events.allSatisfy { $0.action == AuditAction.accountLocked.rawValue })
            }
        }
    }

    @Test("H2: 50 concurrent attempts from one address: exactly the limit get checked, the rest are throttled", arguments: TestBackend.enabled)
    func concurrentThrottle(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            var accounts = kit.accounts
            accounts.throttleLimit = 20
            let repository = accounts
            let outcomes = try await Self.atOnce(50) { i in
                try await repository.signIn(username: "nobody\(i)", password: "x", policy: Self.policy, actor: Self.actor("10.6.6.6"))
            }
            #expect(outcomes.filter { $0 == .failure }.count == 20)
            #expect(outcomes.filter { $0 == .throttled }.count == 30)
        }
    }

    @Test("L3: the failure count decays: a wrong password long after a lock does not lock the account again", arguments: TestBackend.enabled)
    func failureCountDecays(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let created = try await kit.accounts.create(
                username: "decay", displayName: "衰减", organisationID: nil, policy: Self.policy, actor: Self.actor())
            for i in 0..<5 {
                _ = try await kit.accounts.signIn(username: "decay", password: "wrong-\(i)", policy: Self.policy, actor: Self.actor("10.5.0.\(i)"))
            }
            #expect(try #require(try await kit.accounts.find(created.user.id)).isLocked(at: kit.clock.now()))
            // One wrong password every 31 minutes (the attack of L3) no longer keeps the account locked.
            for round in 0..<3 {
                kit.clock.advance(seconds: 31 * 60)
                _ = try await kit.accounts.signIn(
                    username: "decay", password: "wrong-again", policy: Self.policy, actor: Self.actor("10.5.1.\(round)"))
                let user = try #require(try await kit.accounts.find(created.user.id))
                #expect(!user.isLocked(at: kit.clock.now()), "round \(round): locked again by one failure")
                #expect(user.failedCount == 1)
            }
            guard
                case .success = try await kit.accounts.signIn(
                    username: "decay", password: created.oneTimePassword, policy: Self.policy, actor: Self.actor("10.5.2.1"))
            else {
                Issue.record("the right password was refused after the lock ended")
                return
            }
        }
    }

    @Test("info: a name typed on a failed sign-in is not stored as typed")
    func typedNameNotStored() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let kit = StoreKit(database: scratch.database)
            _ = try await kit.accounts.signIn(username: "MySecret#Passw0rd", password: "x", policy: Self.policy, actor: Self.actor())
            let records = try await kit.audit.search(AuditQuery(limit: 50), database: scratch.database).records
            #expect(!records.contains { $0.objectID.lowercased().contains("mysecret") || $0.summary.lowercased().contains("mysecret") })
            let stored = try await scratch.database.read { db in
                try await db.raw("SELECT username_key FROM login_failures").all().map { try $0.decode(column: "username_key", as: String.self) }
            }
            #expect(!stored.isEmpty && stored.allSatisfy { !$0.lowercased().contains("mysecret") })
        }
    }

    @Test("password changes follow the policy and the history", arguments: TestBackend.enabled)
    func changePassword(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let created = try await kit.accounts.create(
                username: "zhaoliu", displayName: "赵六", organisationID: nil, policy: Self.policy, actor: Self.actor())
            let id = created.user.id
            await #expect(throws: ValidationFailure.self) {
                try await kit.accounts.changePassword(userID: id, current: "wrong", new: "Str0ng#Pass", policy: Self.policy, actor: Self.actor())
            }
            await #expect(throws: ValidationFailure.self) {
                try await kit.accounts.changePassword(
                    userID: id, current: created.oneTimePassword, new: "short", policy: Self.policy, actor: Self.actor())
            }
            await #expect(throws: ValidationFailure.self) {
                try await kit.accounts.changePassword(
                    userID: id, current: created.oneTimePassword, new: "Zhaoliu#2026", policy: Self.policy, actor: Self.actor())
            }
            try await kit.accounts.changePassword(
                userID: id, current: created.oneTimePassword, new: "Str0ng#Pass", policy: Self.policy, actor: Self.actor())
            #expect(try await kit.accounts.find(id)?.mustChangePassword == false)
            try await kit.accounts.changePassword(userID: id, current: "Str0ng#Pass", new: "An0ther#Pass", policy: Self.policy, actor: Self.actor())
            // Going back to a recent password is refused.
            let error = await #expect(throws: ValidationFailure.self) {
                try await kit.accounts.changePassword(
                    userID: id, current: "An0ther#Pass", new: "Str0ng#Pass", policy: Self.policy, actor: Self.actor())
            }
            #expect(error?.message.contains("最近") == true)
            kit.clock.advance(seconds: 91 * 86_400)
            #expect(kit.accounts.passwordExpired(try #require(try await kit.accounts.find(id)), policy: Self.policy))
            #expect(!kit.accounts.passwordExpired(try #require(try await kit.accounts.find(id)), policy: .asvs))
        }
    }

    @Test("nobody can grant or revoke their own roles; grants resolve to tree access", arguments: TestBackend.enabled)
    func grants(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let tree = try await FixtureTree.create(kit.organisations)
            let admin = try await kit.accounts.create(
                username: "secadmin", displayName: "安全员", organisationID: nil, policy: Self.policy, actor: Self.actor())
            let grant = try await kit.accounts.grant(role: .securityAdmin, to: admin.user.id, organisationID: nil, scope: nil, actor: .console("t"))
            let selfActor = Actor(userID: admin.user.id, name: "secadmin", ip: "1.1.1.1", requestID: "r")
            await #expect(throws: AccessDenied.self) {
                try await kit.accounts.grant(role: .orgAdmin, to: admin.user.id, organisationID: tree["A"], scope: .subtree, actor: selfActor)
            }
            await #expect(throws: AccessDenied.self) { try await kit.accounts.revoke(assignmentID: grant.id, actor: selfActor) }
            let worker = try await kit.accounts.create(
                username: "worker", displayName: "党务", organisationID: tree["A1a1"], policy: Self.policy, actor: Self.actor())
            await #expect(throws: ValidationFailure.self) {
                try await kit.accounts.grant(role: .partyWorker, to: worker.user.id, organisationID: nil, scope: nil, actor: selfActor)
            }
            _ = try await kit.accounts.grant(role: .partyWorker, to: worker.user.id, organisationID: tree["A1a1"], scope: nil, actor: selfActor)
            let principal = try await kit.accounts.principal(for: worker.user)
            let access = principal.access(for: .membersWrite)
            #expect(access.reaches.count == 1 && access.reaches[0].scope == .own)
            #expect(principal.access(for: .organisationsWrite).isEmpty)
            #expect(!principal.has(.auditRead))
        }
    }

    @Test("sessions store only a hash of the token and end on logout", arguments: TestBackend.enabled)
    func sessions(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let user = try await kit.accounts.create(
                username: "sess", displayName: "会话", organisationID: nil, policy: Self.policy, actor: Self.actor()
            ).user
            let session = try await kit.sessions.start(userID: user.id, ip: "1.2.3.4", userAgent: "test")
            #expect(session.token.count >= 43)  // 32 random bytes
            let stored = try await scratch.database.read { db in
                try await db.raw("SELECT token_hash FROM sessions").all().map { try $0.decode(column: "token_hash", as: String.self) }
            }
            #expect(stored == [RandomToken.hash(session.token)])
            #expect(try await kit.sessions.find(token: session.token)?.userID == user.id)
            try await kit.sessions.end(token: session.token)
            #expect(try await kit.sessions.find(token: session.token) == nil)
            let tokens = Set((0..<10_000).map { _ in RandomToken.make() })
            #expect(tokens.count == 10_000)
        }
    }
}

@Suite("Scheduled maintenance")
struct MaintenanceJobTests {
    @Test("expired sessions and day-old failure records are purged, by one server at a time", arguments: TestBackend.enabled)
    func purge(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database)
            let user = try await kit.accounts.create(username: "old", displayName: "旧会话", organisationID: nil, policy: .mlps, actor: .console("t"))
                .user
            let stale = try await kit.sessions.start(userID: user.id, ip: "1.1.1.1", userAgent: "t")
            _ = try await kit.accounts.signIn(
                username: "old", password: "wrong", policy: .mlps, actor: Actor(userID: nil, name: "x", ip: "9.9.9.9", requestID: "r"))
            kit.clock.advance(seconds: 2 * 86_400)
            let fresh = try await kit.sessions.start(userID: user.id, ip: "1.1.1.1", userAgent: "t")
            let first = kit.store.maintenanceJob(holder: "server-a")
            let second = kit.store.maintenanceJob(holder: "server-b")
            #expect(try await first.runOnce(policy: .mlps))
            #expect(try await !second.runOnce(policy: .mlps))
            #expect(try await kit.sessions.find(token: stale.token) == nil)
            #expect(try await kit.sessions.find(token: fresh.token) != nil)
            let failures = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM login_failures").first()?.decode(column: "n", as: Int.self)
            }
            #expect(failures == 0)
            kit.clock.advance(seconds: 601)
            #expect(try await second.runOnce(policy: .mlps))
        }
    }
}

/// Issue 15, H6: the one-time-password arithmetic against RFC 6238's published vectors (SHA-1, last six digits).
@Suite("One-time passwords (RFC 6238)")
struct OneTimePasswordTests {
    @Test("RFC 6238 Appendix B vectors and base32 (RFC 4648)")
    func vectors() {
        let secret = Array("12345678901234567890".utf8)
        let expected: [(Int64, String)] = [
            (59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"),
            (1_234_567_890, "005924"), (2_000_000_000, "279037"), (20_000_000_000, "353130"),
        ]
        for (time, code) in expected {
            #expect(OneTimePassword.code(secret: secret, step: time / 30) == code, "T=\(time)")
        }
        #expect(Base32.encode(secret) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(Base32.decode("gezd gnbv-gy3t qojq gezd gnbv gy3t qojq") == secret)
        #expect(Base32.decode("GEZ1") == nil)
        // One step of drift either way is accepted; two is not; malformed input is no match.
        let now: Int64 = 1_234_567_890 / 30
        #expect(OneTimePassword.matchingStep(secret: secret, typed: OneTimePassword.code(secret: secret, step: now - 1), around: now) == now - 1)
        #expect(OneTimePassword.matchingStep(secret: secret, typed: OneTimePassword.code(secret: secret, step: now + 2), around: now) == nil)
        #expect(OneTimePassword.matchingStep(secret: secret, typed: "00592４", around: now) == nil)
        #expect(OneTimePassword.enrolmentURI(secret: "ABC", account: "zzb", issuer: "党建平台").hasPrefix("otpauth://totp/%E5%85%9A"))
        // A 32-character secret and a 64-character login name still fit a version-10 QR code (213 bytes).
        #expect(
            OneTimePassword.enrolmentURI(secret: String(repeating: "A", count: 32), account: String(repeating: "u", count: 64), issuer: "党建平台").utf8
                .count <= 213)
    }
}
