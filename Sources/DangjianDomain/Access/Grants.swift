/// A role held by a user for an organisation scope (角色授权): (user, role, organisation, scope).
public struct RoleAssignment: Sendable, Equatable {
    public var id: Int64
    public var userID: Int64
    public var role: Role
    /// The organisation the grant is anchored at; nil for the system-wide administrator roles.
    public var organisationID: Int64?
    /// The anchor organisation's materialised path (filled when loaded).
    public var organisationPath: MaterialisedPath?
    /// How far below the anchor the grant reaches.
    public var scope: OrganisationScope

    public init(
        id: Int64, userID: Int64, role: Role, organisationID: Int64?, organisationPath: MaterialisedPath?,
        scope: OrganisationScope
    ) {
        self.id = id
        self.userID = userID
        self.role = role
        self.organisationID = organisationID
        self.organisationPath = organisationPath
        self.scope = scope
    }
}

/// One reachable part of the tree: an anchor organisation and how far below it a permission reaches.
public struct OrganisationReach: Sendable, Hashable {
    public var organisationID: Int64
    public var path: MaterialisedPath
    public var scope: OrganisationScope

    public init(organisationID: Int64, path: MaterialisedPath, scope: OrganisationScope) {
        self.organisationID = organisationID
        self.path = path
        self.scope = scope
    }

    /// Whether an organisation with `path` and `parentID` lies inside this reach.
    public func covers(path other: MaterialisedPath, parentID: Int64?) -> Bool {
        switch scope {
        case .own: other == path
        case .ownAndChildren: other == path || parentID == organisationID
        case .subtree: path.contains(other)
        }
    }
}

/// Who is acting and what they may do: the user's grants resolved into permissions and reaches.
///
/// Repositories take an `OrganisationAccess` for a permission, never a bare organisation id, so a query that
/// forgets the caller's scope cannot be written.
public struct Principal: Sendable {
    public var userID: Int64
    public var username: String
    public var displayName: String
    public var assignments: [RoleAssignment]

    public init(userID: Int64, username: String, displayName: String, assignments: [RoleAssignment]) {
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.assignments = assignments
    }

    /// Every role the user holds.
    public var roles: Set<Role> { Set(assignments.map(\.role)) }

    /// Whether any grant gives `permission`.
    public func has(_ permission: Permission) -> Bool {
        assignments.contains { $0.role.permissions.contains(permission) }
    }

    /// Whether the user holds an administrator role (for the shorter idle timeout).
    public var isAdministrator: Bool { assignments.contains { $0.role.isAdministrator } }

    /// The parts of the tree where `permission` applies. System-wide roles that hold an organisational
    /// permission (for example 系统管理员 reading organisation names) reach the whole tree.
    public func access(for permission: Permission) -> OrganisationAccess {
        var reaches: [OrganisationReach] = []
        var everywhere = false
        for grant in assignments where grant.role.permissions.contains(permission) {
            if let id = grant.organisationID, let path = grant.organisationPath {
                reaches.append(OrganisationReach(organisationID: id, path: path, scope: grant.scope))
            } else if !grant.role.isOrganisational {
                everywhere = true
            }
        }
        return everywhere ? .everywhere(permission: permission) : OrganisationAccess(permission: permission, reaches: reaches)
    }
}

/// The organisations a caller may touch for one permission. Built from a `Principal` (or, for command-line
/// maintenance, `maintenance`), then handed to every repository query that reads or writes organisation records.
public struct OrganisationAccess: Sendable, Equatable {
    public let permission: Permission?
    public let reaches: [OrganisationReach]
    public let isUnrestricted: Bool

    public init(permission: Permission?, reaches: [OrganisationReach]) {
        self.permission = permission
        self.reaches = reaches
        self.isUnrestricted = false
    }

    private init(unrestrictedFor permission: Permission?) {
        self.permission = permission
        self.reaches = []
        self.isUnrestricted = true
    }

    /// Everything, for a system-wide role holding `permission`.
    public static func everywhere(permission: Permission) -> OrganisationAccess {
        OrganisationAccess(unrestrictedFor: permission)
    }

    /// Everything, for the command-line tools run by the operator on the server (`dangjian demo`, `migrate`).
    public static let maintenance = OrganisationAccess(unrestrictedFor: nil)

    /// No access at all.
    public var isEmpty: Bool { !isUnrestricted && reaches.isEmpty }

    /// Whether an organisation with `path` and `parentID` is inside the access.
    public func covers(path: MaterialisedPath, parentID: Int64?) -> Bool {
        isUnrestricted || reaches.contains { $0.covers(path: path, parentID: parentID) }
    }
}
