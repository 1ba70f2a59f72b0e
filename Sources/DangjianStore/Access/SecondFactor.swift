public import Foundation
public import DangjianDomain
import Crypto
import SQLKit

/// RFC 4648 base32 without padding: how authenticator apps take a TOTP secret (`otpauth://…?secret=`).
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes, ignoring spaces, dashes and case; nil for any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for scalar in text.uppercased().utf8 where scalar != 0x20 && scalar != 0x2D && scalar != 0x3D {
            guard let value = alphabet.firstIndex(of: scalar) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}

/// Compares two strings in time independent of where they differ (tokens, codes).
public func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<x.count { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, six digits — what common
/// authenticator apps (微信/支付宝小程序、Google/Microsoft Authenticator、FreeOTP) generate.
public enum OneTimePassword {
    public static let stepSeconds: Int64 = 30
    public static let digits = 6

    /// The time step containing `date`.
    public static func step(at date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) / stepSeconds }

    /// The code for `secret` at time step `step`.
    public static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let text = String(value % 1_000_000)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step among `step-1…step+1` (clock drift of one step either way) whose code is `typed`, or nil.
    public static func matchingStep(secret: [UInt8], typed: String, around step: Int64) -> Int64? {
        let digitsOnly = typed.filter { !$0.isWhitespace }
        guard digitsOnly.count == digits, digitsOnly.allSatisfy(\.isASCII), digitsOnly.allSatisfy(\.isNumber) else { return nil }
        for candidate in [step, step - 1, step + 1] where constantTimeEquals(code(secret: secret, step: candidate), digitsOnly) {
            return candidate
        }
        return nil
    }

    /// The enrolment URI an authenticator app reads from the QR code (Key Uri Format). SHA-1, six digits and 30
    /// seconds are the format's defaults and are left out, so the URI fits the project's QR encoder (≤ 213 bytes).
    public static func enrolmentURI(secret: String, account: String, issuer: String) -> String {
        func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        return "otpauth://totp/\(escape(issuer)):\(escape(account))?secret=\(secret)&issuer=\(escape(issuer))"
    }
}

/// Whether and how a user has a second factor.
public struct SecondFactorStatus: Sendable, Equatable {
    /// A confirmed TOTP secret.
    public var enrolled: Bool
    /// When it was confirmed.
    public var enrolledAt: Date?
    /// Unused recovery codes left.
    public var recoveryCodesLeft: Int
}

/// What was accepted as the second factor.
public enum SecondFactorProof: Sendable, Equatable {
    case oneTimePassword
    case recoveryCode(left: Int)
}

/// The second factor of each account (双因素认证, issue 15, H6; 等保 8.1.4.1 d: two or more authentication
/// techniques for administrators): TOTP secrets sealed by the keyring, single-use recovery codes kept as SHA-256.
public struct SecondFactorRepository: Sendable {
    let database: Database
    let audit: AuditTrail
    let keyring: Keyring
    let clock: any WallClock
    /// Recovery codes issued at a time.
    public static let recoveryCodeCount = 10

    public init(database: Database, audit: AuditTrail, keyring: Keyring, clock: any WallClock) {
        self.database = database
        self.audit = audit
        self.keyring = keyring
        self.clock = clock
    }

    public func status(userID: Int64) async throws -> SecondFactorStatus {
        try await database.read { db in
            let row = try await db.raw("SELECT confirmed_at FROM second_factors WHERE user_id = \(bind: userID)").first()
            let confirmed = try row?.optional("confirmed_at", Int64.self)
            let left =
                try await db.raw("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = \(bind: userID) AND used_at IS NULL")
                .first()?.value("n", Int.self) ?? 0
            return SecondFactorStatus(enrolled: confirmed != nil, enrolledAt: confirmed.map { Date(epochSeconds: $0) }, recoveryCodesLeft: left)
        }
    }

    /// Whether the user has a confirmed second factor (read on every request of a session that has not passed it).
    public func isEnrolled(userID: Int64) async throws -> Bool {
        try await database.read { db in
            try await db.raw("SELECT 1 AS one FROM second_factors WHERE user_id = \(bind: userID) AND confirmed_at IS NOT NULL").first() != nil
        }
    }

    /// The secret of an unfinished enrolment, made on first call (base32, 160 bits). A confirmed factor is never
    /// replaced here: changing the device is a reset by the 安全管理员 or by the user after step-up.
    public func pendingSecret(userID: Int64) async throws -> String {
        try await database.write { db in
            if let row = try await db.raw("SELECT secret_enc, confirmed_at FROM second_factors WHERE user_id = \(bind: userID)").first() {
                guard try row.optional("confirmed_at", Int64.self) == nil else {
                    throw ValidationFailure(field: "code", message: "已启用动态口令；更换设备请先停用原动态口令")
                }
                return try keyring.open(try row.value("secret_enc"), context: "user.totp")
            }
            var bytes = [UInt8](repeating: 0, count: 20)
            var generator = SystemRandomNumberGenerator()
            for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
            let secret = Base32.encode(bytes)
            try await db.raw(
                """
                INSERT INTO second_factors (user_id, secret_enc, created_at) VALUES
                (\(bind: userID), \(bind: try keyring.seal(secret, context: "user.totp")), \(bind: clock.now().epochSeconds))
                """
            ).run()
            return secret
        }
    }

    /// Confirms enrolment with a code from the app; returns the recovery codes, shown once.
    public func confirm(userID: Int64, code: String, actor: Actor) async throws -> [String] {
        let now = clock.now()
        return try await database.write { db in
            guard let row = try await db.raw("SELECT secret_enc, confirmed_at FROM second_factors WHERE user_id = \(bind: userID)").first(),
                try row.optional("confirmed_at", Int64.self) == nil
            else {
                throw ValidationFailure(field: "code", message: "没有待确认的动态口令，请刷新页面重新扫码")
            }
            let secret = Base32.decode(try keyring.open(try row.value("secret_enc"), context: "user.totp")) ?? []
            guard let step = OneTimePassword.matchingStep(secret: secret, typed: code, around: OneTimePassword.step(at: now)) else {
                throw ValidationFailure(field: "code", message: "动态口令不正确：请核对手机时间，输入验证器中当前显示的 6 位数字")
            }
            try await db.raw(
                """
                UPDATE second_factors SET confirmed_at = \(bind: now.epochSeconds), last_step = \(bind: step) WHERE user_id = \(bind: userID)
                """
            ).run()
            let codes = try await Self.issueRecoveryCodes(userID: userID, db: db, now: now)
            try await audit.append(
                AuditEvent(
                    action: .secondFactorEnrolled, objectType: "user", objectID: String(userID),
                    summary: "启用动态口令（TOTP），生成 \(codes.count) 个恢复码"), by: actor, in: db, dialect: database.dialect)
            return codes
        }
    }

    /// Checks a code from the app, or a recovery code (used up). A TOTP code is accepted once: the step must be
    /// newer than the last accepted one, decided by a conditional update (two requests with one code: one wins).
    public func verify(userID: Int64, code: String, purpose: String, actor: Actor) async throws -> SecondFactorProof? {
        let now = clock.now()
        let typed = code.trimmed
        return try await database.write { db -> SecondFactorProof? in
            guard let row = try await db.raw("SELECT secret_enc, confirmed_at FROM second_factors WHERE user_id = \(bind: userID)").first(),
                try row.optional("confirmed_at", Int64.self) != nil
            else { return nil }
            let secret = Base32.decode(try keyring.open(try row.value("secret_enc"), context: "user.totp")) ?? []
            if let step = OneTimePassword.matchingStep(secret: secret, typed: typed, around: OneTimePassword.step(at: now)) {
                let accepted =
                    try await db.raw(
                        """
                        UPDATE second_factors SET last_step = \(bind: step) WHERE user_id = \(bind: userID) AND last_step < \(bind: step) RETURNING user_id
                        """
                    ).first() != nil
                guard accepted else { return nil }
                try await audit.append(
                    AuditEvent(
                        action: purpose == "step-up" ? .stepUp : .secondFactorVerified, objectType: "user",
                        objectID: String(userID), summary: "动态口令验证通过（\(purpose == "step-up" ? "敏感操作前二次验证" : "登录")）"),
                    by: actor, in: db, dialect: database.dialect)
                return .oneTimePassword
            }
            let normalised = Self.normaliseRecoveryCode(typed)
            guard normalised.count == 10 else { return nil }
            let used =
                try await db.raw(
                    """
                    UPDATE recovery_codes SET used_at = \(bind: now.epochSeconds)
                    WHERE user_id = \(bind: userID) AND code_hash = \(bind: RandomToken.hash(normalised)) AND used_at IS NULL RETURNING id
                    """
                ).first() != nil
            guard used else { return nil }
            let left =
                try await db.raw("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = \(bind: userID) AND used_at IS NULL")
                .first()?.value("n", Int.self) ?? 0
            try await audit.append(
                AuditEvent(
                    action: .recoveryCodeUsed, objectType: "user", objectID: String(userID),
                    summary: "使用恢复码通过验证（剩余 \(left) 个）"), by: actor, in: db, dialect: database.dialect)
            return .recoveryCode(left: left)
        }
    }

    /// New recovery codes replacing the unused ones.
    public func regenerateRecoveryCodes(userID: Int64, actor: Actor) async throws -> [String] {
        let now = clock.now()
        return try await database.write { db in
            guard try await db.raw("SELECT 1 AS one FROM second_factors WHERE user_id = \(bind: userID) AND confirmed_at IS NOT NULL").first() != nil
            else {
                throw ValidationFailure(field: "code", message: "尚未启用动态口令")
            }
            try await db.raw("DELETE FROM recovery_codes WHERE user_id = \(bind: userID) AND used_at IS NULL").run()
            let codes = try await Self.issueRecoveryCodes(userID: userID, db: db, now: now)
            try await audit.append(
                AuditEvent(
                    action: .recoveryCodesIssued, objectType: "user", objectID: String(userID),
                    summary: "重新生成 \(codes.count) 个恢复码，原未用恢复码作废"), by: actor, in: db, dialect: database.dialect)
            return codes
        }
    }

    /// Removes a user's second factor (lost phone: by the 安全管理员; or by the user, after step-up, to change
    /// device). The user enrols again at the next sign-in if their role requires it.
    public func reset(userID: Int64, reason: String, actor: Actor) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM recovery_codes WHERE user_id = \(bind: userID)").run()
            try await db.raw("DELETE FROM second_factors WHERE user_id = \(bind: userID)").run()
            try await db.raw("UPDATE sessions SET second_factor_at = NULL WHERE user_id = \(bind: userID)").run()
            try await audit.append(
                AuditEvent(
                    action: .secondFactorReset, objectType: "user", objectID: String(userID),
                    summary: "停用动态口令：\(reason)"), by: actor, in: db, dialect: database.dialect)
        }
    }

    static func issueRecoveryCodes(userID: Int64, db: any SQLDatabase, now: Date) async throws -> [String] {
        var codes: [String] = []
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")  // no 0/o, 1/l/i: read off paper
        for _ in 0..<recoveryCodeCount {
            let raw = String((0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            codes.append(String(raw.prefix(5)) + "-" + String(raw.suffix(5)))
            try await db.raw(
                """
                INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (\(bind: userID), \(bind: RandomToken.hash(raw)), \(bind: now.epochSeconds))
                """
            ).run()
        }
        return codes
    }

    /// `ABCDE-fghjk ` → `abcdefghjk`.
    static func normaliseRecoveryCode(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(16))
    }
}
