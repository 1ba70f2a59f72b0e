public import Foundation

/// A sign-in account (用户账户). One person, one account: no shared or default accounts.
public struct User: Sendable, Equatable, Identifiable {
    public var id: Int64
    /// Login name, stored normalised (NFKC, lower case).
    public var username: String
    public var displayName: String
    /// The organisation the person belongs to (for 党员 and 党务工作者), if any.
    public var organisationID: Int64?
    public var mustChangePassword: Bool
    public var passwordChangedAt: Date
    public var initialPasswordExpiresAt: Date?
    public var failedCount: Int
    public var lockedUntil: Date?
    public var lockedPermanently: Bool
    public var disabledAt: Date?
    public var lastLoginAt: Date?
    /// The sign-in before the last one and its address: what "上次登录" shows after signing in.
    public var previousLoginAt: Date? = nil
    public var previousLoginIP: String? = nil
    public var version: Int64

    public init(
        id: Int64, username: String, displayName: String, organisationID: Int64?, mustChangePassword: Bool,
        passwordChangedAt: Date, initialPasswordExpiresAt: Date?, failedCount: Int, lockedUntil: Date?,
        lockedPermanently: Bool, disabledAt: Date?, lastLoginAt: Date?, version: Int64
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.organisationID = organisationID
        self.mustChangePassword = mustChangePassword
        self.passwordChangedAt = passwordChangedAt
        self.initialPasswordExpiresAt = initialPasswordExpiresAt
        self.failedCount = failedCount
        self.lockedUntil = lockedUntil
        self.lockedPermanently = lockedPermanently
        self.disabledAt = disabledAt
        self.lastLoginAt = lastLoginAt
        self.version = version
    }

    /// Whether the account is locked at `now`.
    public func isLocked(at now: Date) -> Bool {
        lockedPermanently || (lockedUntil.map { $0 > now } ?? false)
    }

    /// Normalises a typed login name: full-width to half-width (NFKC), trimmed, lower case.
    public static func normaliseUsername(_ raw: String) -> String {
        raw.precomposedStringWithCompatibilityMapping.trimmed.lowercased()
    }

    /// Checks a login name: 3–32 characters of letters, digits, `.`, `_` or `-`.
    public static func validateUsername(_ normalised: String) -> ValidationFailure? {
        let allowed = normalised.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "._-".contains($0) }
        if normalised.count < 3 || normalised.count > 32 || !allowed {
            return ValidationFailure(field: "username", message: "登录名需为 3–32 位字母、数字或 . _ -")
        }
        return nil
    }

    /// Checks a display name.
    public static func validateDisplayName(_ name: String) -> ValidationFailure? {
        let trimmed = name.trimmed
        if trimmed.isEmpty { return ValidationFailure(field: "display_name", message: "请填写姓名") }
        if trimmed.count > 50 { return ValidationFailure(field: "display_name", message: "姓名不能超过 50 个字") }
        return nil
    }
}
