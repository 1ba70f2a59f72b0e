public import Foundation
public import Hummingbird
public import DangjianDomain
public import DangjianStore
import NIOCore

/// Who is making the request, once the session cookie or API token has been checked.
public struct Identity: Sendable {
    public var user: User
    public var principal: Principal
    /// The session token when signed in by cookie; nil for API-token requests.
    public var sessionToken: String?
    /// The session's CSRF token, put into every form.
    public var csrfToken: String?
    /// Whether the user must change the password before anything else (first sign-in or expiry).
    public var mustChangePassword: Bool
    /// Set when the request is authenticated by a personal access token: what the token may do.
    public var tokenScope: APITokenScope? = nil
    /// Where the session stands with the second factor (issue 15, H6).
    public var secondFactor: SecondFactorGate = .passed
    /// When the user last proved who they are (sign-in, second factor, step-up); nil for API tokens.
    public var provedAt: Date? = nil
    /// Show what administrators did to the account since this time (issue 15, M1).
    public var noticesSince: Date? = nil
    /// Seconds until the session ends if the user does nothing more (the idle timeout, or the absolute one when
    /// sooner): the page warns before then and offers to continue (issue 17, item 6). Nil for API tokens.
    public var sessionSecondsLeft: Int? = nil
}

/// Where a session stands with the second factor (双因素认证, issue 15, H6).
public enum SecondFactorGate: Sendable, Equatable {
    /// Passed, or not asked of this user.
    case passed
    /// The user has a second factor and this session has not yet passed it.
    case pending
    /// The user's role requires a second factor and they have none yet: enrol before anything else.
    case enrolmentRequired
}

/// The request context: Hummingbird's core storage plus the caller's address and identity.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer address as seen on the socket.
    public var peerAddress: String
    /// Set by `SessionMiddleware`.
    public var identity: Identity?
    /// The client address used for throttling and audit (the proxy's `X-Forwarded-For` when trusted).
    public var clientIP: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        clientIP = peerAddress
        identity = nil
    }

    /// Uploads bigger than this are refused before decoding (imports set their own, larger limit later).
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The audit actor for this request.
    public var actor: Actor {
        Actor(userID: identity?.user.id, name: identity?.user.username ?? "匿名", ip: clientIP, requestID: requestID)
    }

    /// The request id, also sent back as `X-Request-Id` and shown on error pages.
    public var requestID: String { id }
}

extension AppRequestContext {
    /// The organisations the signed-in caller may act on with `permission` (a page without a signed-in caller asks
    /// for sign-in). Every controller takes its access from here.
    func access(for permission: Permission) throws -> OrganisationAccess {
        guard let identity else { throw NeedsSignIn(isAPI: false) }
        return identity.principal.access(for: permission)
    }
}
