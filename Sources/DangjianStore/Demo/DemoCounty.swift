public import Foundation
public import DangjianDomain

/// The demo county (示范县): a small but realistic tree and one account per role, for trying the product and for
/// end-to-end tests. Generated, never shipped as a file.
public struct DemoCounty: Sendable {
    /// A demo account and the password printed for it.
    public struct Account: Sendable {
        public var username: String
        public var displayName: String
        public var role: Role
        public var organisation: String?
        public var password: String
        /// The TOTP secret enrolled for a role that needs a second factor (issue 15, H6), printed with the password.
        public var secondFactorSecret: String? = nil
    }

    let store: StoreServices
    let organisations: OrganisationRepository
    let accounts: AccountRepository
    /// Nil for a tree without rosters (and so without records).
    let members: MemberRepository?
    let actor = Actor.console("demo")

    /// The demo county over `store`; `withRosters: false` creates the tree and accounts only.
    public init(store: StoreServices, withRosters: Bool = true) {
        self.store = store
        organisations = store.organisations
        accounts = store.accounts
        members = withRosters ? store.members : nil
    }

    /// The tree: (type, name, short name, children).
    struct Node {
        var type: OrganisationType
        var name: String
        var short: String?
        var children: [Node] = []
    }

    static let tree = Node(
        type: .partyCommittee, name: "中共示范县委员会", short: "示范县委",
        children: [
            Node(
                type: .workingCommittee, name: "中共示范县直属机关工作委员会", short: "县直机关工委",
                children: [
                    Node(
                        type: .organCommittee, name: "中共示范县人民政府办公室机关委员会", short: "县政府办机关党委",
                        children: [
                            Node(type: .branch, name: "中共示范县人民政府办公室第一支部委员会", short: "政府办第一支部"),
                            Node(type: .branch, name: "中共示范县人民政府办公室第二支部委员会", short: "政府办第二支部"),
                        ]),
                    Node(
                        type: .generalBranch, name: "中共示范县财政局总支部委员会", short: "财政局党总支",
                        children: [
                            Node(
                                type: .branch, name: "中共示范县财政局机关支部委员会", short: "财政局机关支部",
                                children: [
                                    Node(type: .partyGroup, name: "财政局机关支部第一党小组", short: "第一党小组")
                                ]),
                            Node(type: .branch, name: "中共示范县财政局离退休干部支部委员会", short: "财政局离退休支部"),
                        ]),
                    Node(type: .branch, name: "中共示范县教育局机关支部委员会", short: "教育局机关支部"),
                    Node(type: .jointBranch, name: "中共示范县档案馆地方志办联合支部委员会", short: "档案方志联合支部"),
                ]),
            Node(
                type: .partyCommittee, name: "中共示范县城关镇委员会", short: "城关镇党委",
                children: [
                    Node(type: .branch, name: "中共示范县城关镇东街村支部委员会", short: "东街村支部"),
                    Node(type: .branch, name: "中共示范县城关镇西街社区支部委员会", short: "西街社区支部"),
                    Node(type: .temporaryBranch, name: "城关镇老旧小区改造项目临时党支部", short: "改造项目临时支部"),
                ]),
        ])

    /// When the demo county's organisations were set up.
    static let established = CivilDate(year: 2019, month: 7, day: 1) ?? .earliest

    /// Creates the tree and accounts when the database has no organisations, then each capability's part (`parts`,
    /// in the order given: the web layer passes its `Features.all`'s); returns the accounts with fresh random
    /// passwords either way (each start prints new ones).
    public func seed(parts: [DemoPart]) async throws -> [Account] {
        var freshTree = false
        var byShort: [String: Organisation] = [:]
        if try await organisations.count() == 0 {
            func create(_ node: Node, parent: Int64?) async throws {
                // The county's organisations have existed for years (组织沿革 and the compliance history need a past).
                let org = try await organisations.create(
                    type: node.type, name: node.name, shortName: node.short, parentID: parent, access: .maintenance, actor: actor,
                    effectiveDate: Self.established)
                byShort[node.short ?? node.name] = org
                for child in node.children { try await create(child, parent: org.id) }
            }
            try await create(Self.tree, parent: nil)
            freshTree = true
        } else {
            for org in try await organisations.visible(access: .maintenance) { byShort[org.label] = org }
        }
        let plan: [(String, String, Role, String?)] = [
            ("sysadmin", "系统管理员（演示）", .systemAdmin, nil),
            ("secadmin", "安全管理员（演示）", .securityAdmin, nil),
            ("auditor", "审计管理员（演示）", .auditAdmin, nil),
            ("zzb", "县委组织部 李组织", .orgAdmin, "示范县委"),
            ("jggw", "县直机关工委 王工委", .orgAdmin, "县直机关工委"),
            ("czj", "财政局党总支 赵书记", .orgAdmin, "财政局党总支"),
            ("zhibu1", "政府办第一支部 陈书记", .partyWorker, "政府办第一支部"),
            ("dongjie", "东街村支部 刘书记", .partyWorker, "东街村支部"),
        ]
        var result: [Account] = []
        for (username, name, role, orgLabel) in plan {
            result.append(try await account(username: username, displayName: name, role: role, organisation: orgLabel.flatMap { byShort[$0] }))
        }
        // A part's records need rosters; each part seeds once (it checks what is already there).
        if members != nil {
            for part in parts { try await part.seed(self, DemoPart.Context(byShort: byShort, freshTree: freshTree)) }
        }
        // The demo 党员 is the first member of the branch's roster (own record, QR sign-in); the account carries that
        // member's name, so linking it needs no confirmation of a name difference (issue 17 item 9).
        if let members, let branch = byShort["政府办第一支部"],
            let first = try await store.meetings.roster(of: branch.id, access: .maintenance).first
        {
            result.append(try await account(username: "dangyuan", displayName: "政府办第一支部 \(first.name)", role: .member, organisation: branch))
            if try await members.linkedMember(userID: try await accounts.find(username: "dangyuan")?.id ?? 0) == nil {
                try await members.linkAccount(username: "dangyuan", toMember: first.id, access: .maintenance, actor: actor)
            }
        }
        return result
    }

    /// What one capability adds to the demo county. Its `Feature` names it (`static var demo`), so the demo grows
    /// with `Features.all` and no list here changes when a capability is added (docs/adding-a-capability.md).
    public struct DemoPart: Sendable {
        /// What a part is given: the county's organisations by short name, and whether the tree was just created.
        public struct Context: Sendable {
            public var byShort: [String: Organisation]
            public var freshTree: Bool
        }
        public let name: String
        let seed: @Sendable (DemoCounty, Context) async throws -> Void

        public init(_ name: String, seed: @escaping @Sendable (DemoCounty, Context) async throws -> Void) {
            self.name = name
            self.seed = seed
        }
    }

    /// A demo account holding `role` on `organisation`, created on first use, with a fresh random password.
    public func account(username: String, displayName: String, role: Role, organisation org: Organisation?) async throws -> Account {
        let user: User
        if let existing = try await accounts.find(username: username) {
            user = existing
        } else {
            user = try await accounts.create(
                username: username, displayName: displayName, organisationID: org?.id, policy: .mlps, actor: actor
            ).user
            // Grants are made by the console, never by the user themself.
            _ = try await accounts.grant(role: role, to: user.id, organisationID: org?.id, scope: nil, actor: actor)
        }
        // Random for every start, printed once to the operator; never a fixed credential (decision 0005).
        let generated = "Demo-" + RandomToken.make(bytes: 6)
        try await accounts.setDemoPassword(userID: user.id, password: generated, actor: actor)
        return Account(username: username, displayName: displayName, role: role, organisation: org?.name, password: generated)
    }
}
