public import Foundation
public import DangjianDomain
import SQLKit

/// What an attendee sees after scanning: the round and the reporters they may ballot on now.
public struct ReviewBallotPaper: Sendable, Equatable {
    public var round: ReviewRoundRecord
    /// Open reporters, the attendee themself left out (REVIEW-05).
    public var reporters: [(id: Int64, name: String, organisation: String, mode: ReviewMode)]
    public var alreadyVoted: Bool

    public static func == (a: Self, b: Self) -> Bool {
        a.round == b.round && a.alreadyVoted == b.alreadyVoted && a.reporters.map(\.id) == b.reporters.map(\.id)
    }
}

/// A ballot token: the round's session QR (an attendee signs in; `r<round>-<mac>`) or a one-time code printed for
/// an attendee without an account (`k<code>-<mac>`).
enum ReviewBallotToken: Equatable {
    case session(roundID: Int64)
    case code(codeID: Int64, roundID: Int64)
}

/// The anonymous phone ballot (REVIEW-05): the session QR for attendees who sign in, one-time codes for those
/// without an account, one ballot paper per attendee per round, a reporter never on their own paper.
extension ReviewRepository {
    /// How long a ballot session stays open.
    public static let ballotHours = 4

    // MARK: Phone ballots

    func sessionToken(roundID: Int64, nonce: String) -> String {
        "r\(roundID)-" + keyring.mac("review|\(roundID)|\(nonce)", purpose: "review-ballot-v1").prefix(32)
    }

    func codeToken(codeID: Int64, nonce: String) -> String {
        "k\(codeID)-" + keyring.mac("code|\(codeID)|\(nonce)", purpose: "review-ballot-v1").prefix(32)
    }

    /// Opens (or renews) the round's ballot session and returns its token for the QR code.
    public func openBallotSession(roundID: Int64, access: OrganisationAccess, actor: Actor) async throws -> String {
        let now = clock.now()
        return try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.confirmed(round) }
            let nonce = RandomToken.make(bytes: 16)
            try await db.raw(
                """
                UPDATE review_rounds SET ballot_nonce = \(bind: nonce),
                    ballot_expires_at = \(bind: now.addingTimeInterval(TimeInterval(Self.ballotHours * 3600)).epochSeconds), version = version + 1
                WHERE id = \(bind: roundID)
                """
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "review_round", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "开启扫码测评：\(round.name)，\(Self.ballotHours) 小时内有效"),
                by: actor, in: db, dialect: database.dialect)
            return sessionToken(roundID: roundID, nonce: nonce)
        }
    }

    public func closeBallotSession(roundID: Int64, access: OrganisationAccess, actor: Actor) async throws {
        try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            try await db.raw(
                "UPDATE review_rounds SET ballot_nonce = NULL, ballot_expires_at = NULL, version = version + 1 WHERE id = \(bind: roundID)"
            ).run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "review_round", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "关闭扫码测评：\(round.name)"),
                by: actor, in: db, dialect: database.dialect)
        }
    }

    /// The session token while the session is open and not expired (for the organiser's QR page).
    public func sessionToken(roundID: Int64, access: OrganisationAccess) async throws -> String? {
        let now = clock.now().epochSeconds
        return try await database.read { db in
            _ = try await Self.organisedRound(roundID, access: access, db: db)
            guard let r = try await db.raw("SELECT ballot_nonce, ballot_expires_at FROM review_rounds WHERE id = \(bind: roundID)").first(),
                let nonce = try r.optional("ballot_nonce", String.self), (try r.optional("ballot_expires_at", Int64.self) ?? 0) > now
            else { return nil }
            return sessionToken(roundID: roundID, nonce: nonce)
        }
    }

    /// Issues `count` one-time ballot codes (1…200) for attendees without an account; returns every unused code's token.
    public func issueCodes(roundID: Int64, count: Int, access: OrganisationAccess, actor: Actor) async throws -> [String] {
        guard (1...200).contains(count) else {
            throw ValidationFailure(field: "count", message: "一次可生成 1–200 张一次性测评码", ruleID: RuleID.review05.code)
        }
        let now = clock.now().epochSeconds
        try await database.write { db in
            let round = try await Self.organisedRound(roundID, access: access, db: db)
            guard round.state == .open else { throw Self.confirmed(round) }
            for _ in 0..<count {
                try await db.raw(
                    "INSERT INTO review_codes (round_id, nonce, created_at) VALUES (\(bind: roundID), \(bind: RandomToken.make(bytes: 16)), \(bind: now))"
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "review_code", objectID: String(roundID), organisationID: round.organiserID,
                    summary: "生成一次性测评码 \(count) 张：\(round.name)"),
                by: actor, in: db, dialect: database.dialect)
        }
        return try await unusedCodes(roundID: roundID, access: access)
    }

    public func unusedCodes(roundID: Int64, access: OrganisationAccess) async throws -> [String] {
        try await database.read { db in
            _ = try await Self.organisedRound(roundID, access: access, db: db)
            return try await db.raw("SELECT id, nonce FROM review_codes WHERE round_id = \(bind: roundID) AND used_at IS NULL ORDER BY id").all().map
            {
                codeToken(codeID: try $0.value("id"), nonce: try $0.value("nonce"))
            }
        }
    }

    /// The round a token opens, or nil when it is wrong, closed, expired or (a code) used.
    func resolve(_ token: String, db: any SQLDatabase, now: Int64) async throws -> ReviewBallotToken? {
        // "<kind><id>-<mac>": the id is read from what follows the kind letter, so "-…", "r-…" or "r" alone are
        // simply not tokens (never a range with its bounds reversed).
        let rest = token.dropFirst()
        guard token.count <= 64, let first = token.first, let dash = rest.firstIndex(of: "-"), let id = Int64(rest[..<dash]) else { return nil }
        let expected: String
        let found: ReviewBallotToken
        switch first {
        case "r":
            guard let r = try await db.raw("SELECT ballot_nonce, ballot_expires_at, state FROM review_rounds WHERE id = \(bind: id)").first(),
                let nonce = try r.optional("ballot_nonce", String.self), (try r.optional("ballot_expires_at", Int64.self) ?? 0) > now,
                try r.value("state", String.self) == ReviewRoundState.open.rawValue
            else { return nil }
            expected = sessionToken(roundID: id, nonce: nonce)
            found = .session(roundID: id)
        case "k":
            guard let r = try await db.raw("SELECT round_id, nonce, used_at FROM review_codes WHERE id = \(bind: id)").first(),
                try r.optional("used_at", Int64.self) == nil
            else { return nil }
            expected = codeToken(codeID: id, nonce: try r.value("nonce"))
            found = .code(codeID: id, roundID: try r.value("round_id"))
        default: return nil
        }
        guard expected.utf8.count == token.utf8.count, zip(expected.utf8, token.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return found
    }

    /// Whether the token is a session token (the attendee must sign in) — nil when it opens nothing.
    public func tokenNeedsSignIn(_ token: String) async throws -> Bool? {
        try await database.read { db in
            switch try await resolve(token, db: db, now: clock.now().epochSeconds) {
            case .session: true
            case .code: false
            case nil: nil
            }
        }
    }

    /// The ballot paper a token opens for `userID` (nil for a one-time code): the open reporters but the attendee's
    /// own line (REVIEW-05); nil when the token opens nothing.
    public func ballotPaper(token: String, userID: Int64?) async throws -> ReviewBallotPaper? {
        try await database.read { db in
            guard let resolved = try await resolve(token, db: db, now: clock.now().epochSeconds) else { return nil }
            return try await paper(resolved, userID: userID, db: db)
        }
    }

    func paper(_ resolved: ReviewBallotToken, userID: Int64?, db: any SQLDatabase) async throws -> ReviewBallotPaper? {
        let roundID: Int64
        let voterKey: String
        switch resolved {
        case .session(let id):
            guard let userID else { return nil }
            roundID = id
            voterKey = "u\(userID)"
        case .code(let codeID, let id):
            roundID = id
            voterKey = "k\(codeID)"
        }
        guard let round = try await Self.round(roundID, db: db) else { return nil }
        var selfMember: Int64?
        if let userID {
            selfMember = try await db.raw("SELECT member_id FROM users WHERE id = \(bind: userID)").first()?.optional("member_id", Int64.self)
        }
        let lines = try await db.raw(
            """
            SELECT p.id, p.name, p.mode, p.member_id, o.name AS organisation_name FROM review_reporters p JOIN organisations o ON o.id = p.organisation_id
            WHERE p.round_id = \(bind: roundID) AND p.closed_at IS NULL ORDER BY o.sort_order, o.id
            """
        ).all()
        var reporters: [(id: Int64, name: String, organisation: String, mode: ReviewMode)] = []
        for r in lines {
            if let selfMember, try r.optional("member_id", Int64.self) == selfMember { continue }
            reporters.append(
                (try r.value("id"), try r.value("name"), try r.value("organisation_name"), ReviewMode(rawValue: try r.value("mode")) ?? .onSite))
        }
        let voted =
            try await db.raw("SELECT 1 AS x FROM review_voters WHERE round_id = \(bind: roundID) AND voter_key = \(bind: voterKey)").first() != nil
        return ReviewBallotPaper(round: round, reporters: reporters, alreadyVoted: voted)
    }

    /// Casts one ballot paper (REVIEW-05): `choices` maps each reporter on the paper to a grade index, or nil/absent
    /// for a blank (invalid) line. Once per attendee (session: per account; code: the code is spent); a reporter not
    /// on the attendee's paper — their own line, a closed ballot, another round — refuses the whole paper. Who voted
    /// and the counts of votes are stored apart, so no vote can be traced to its voter.
    public func cast(token: String, userID: Int64?, choices: [Int64: Int], actor: Actor) async throws -> Int {
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let resolved = try await resolve(token, db: db, now: now) else {
                throw ValidationFailure(field: "token", message: "测评二维码无效、已使用或已过期，请向会议组织者索取", ruleID: RuleID.review05.code)
            }
            guard let paper = try await paper(resolved, userID: userID, db: db) else {
                throw ValidationFailure(field: "token", message: "请先登录后再测评", ruleID: RuleID.review05.code)
            }
            let onPaper = Set(paper.reporters.map(\.id))
            if let stray = choices.keys.first(where: { !onPaper.contains($0) }) {
                throw ValidationFailure(
                    field: "reporter_\(stray)", message: "测评票中有不在您票面上的述职人（本人不能为自己投票，已结束的测评不能再投）", ruleID: RuleID.review05.code)
            }
            let grades = paper.round.gradeSet.gradeSet.grades.count
            if let bad = choices.first(where: { !(0..<grades).contains($0.value) }) {
                throw ValidationFailure(field: "reporter_\(bad.key)", message: "测评等次无效", ruleID: RuleID.review05.code)
            }
            guard !paper.reporters.isEmpty else {
                throw ValidationFailure(field: "token", message: "当前没有可以测评的述职人", ruleID: RuleID.review05.code)
            }
            let voterKey: String
            switch resolved {
            case .session: voterKey = "u\(userID ?? 0)"
            case .code(let codeID, _):
                voterKey = "k\(codeID)"
                try await db.raw("UPDATE review_codes SET used_at = \(bind: now) WHERE id = \(bind: codeID)").run()
            }
            let inserted = try await db.raw(
                """
                INSERT INTO review_voters (round_id, voter_key) VALUES (\(bind: paper.round.id), \(bind: voterKey))
                ON CONFLICT (round_id, voter_key) DO NOTHING RETURNING round_id
                """
            ).first()
            guard inserted != nil else {
                throw ValidationFailure(field: "token", message: "您已在本次述职评议中投过票，每人只能投一次", ruleID: RuleID.review05.code)
            }
            // Only counts are kept (one row per reporter and grade), so no vote can be traced to a voter or a time.
            for reporter in paper.reporters {
                try await db.raw(
                    """
                    INSERT INTO review_votes (reporter_id, grade_index, votes) VALUES (\(bind: reporter.id), \(bind: choices[reporter.id] ?? -1), 1)
                    ON CONFLICT (reporter_id, grade_index) DO UPDATE SET votes = review_votes.votes + 1
                    """
                ).run()
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "review_ballot", objectID: String(paper.round.id), organisationID: paper.round.organiserID,
                    summary: "提交测评票 1 张（\(paper.reporters.count) 名述职人；匿名）"),
                by: actor, in: db, dialect: database.dialect)
            return paper.reporters.count
        }
    }
}
