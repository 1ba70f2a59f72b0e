import Foundation

/// The kinds of Party organisation (党组织类型) the tree can hold.
///
/// Raw values are stable identifiers stored in the database; `displayName` is what users read.
public enum OrganisationType: String, CaseIterable, Sendable, Codable {
    /// 党委 — a Party committee (e.g. a county committee's organisation department tree root).
    case partyCommittee = "party_committee"
    /// 党工委 — a Party working committee (e.g. 机关工委).
    case workingCommittee = "working_committee"
    /// 机关党委 — an organ's Party committee.
    case organCommittee = "organ_committee"
    /// 党总支 — a general Party branch.
    case generalBranch = "general_branch"
    /// 党支部 — a Party branch.
    case branch = "branch"
    /// 联合党支部 — a joint branch covering several small units (ORG-02).
    case jointBranch = "joint_branch"
    /// 临时党支部 — a temporary branch (LIFE-12).
    case temporaryBranch = "temporary_branch"
    /// 党小组 — a Party group inside a branch (ORG-08).
    case partyGroup = "party_group"

    /// The Chinese name shown in the UI.
    public var displayName: String {
        switch self {
        case .partyCommittee: "党委"
        case .workingCommittee: "党工委"
        case .organCommittee: "机关党委"
        case .generalBranch: "党总支"
        case .branch: "党支部"
        case .jointBranch: "联合党支部"
        case .temporaryBranch: "临时党支部"
        case .partyGroup: "党小组"
        }
    }

    /// The rank used to tell 升格 from 降格: Party group 0, branches 1, general branch 2, committees 3.
    public var level: Int {
        switch self {
        case .partyGroup: 0
        case .branch, .jointBranch, .temporaryBranch: 1
        case .generalBranch: 2
        case .partyCommittee, .workingCommittee, .organCommittee: 3
        }
    }

    /// Whether an organisation of this type may have child organisations of `child` type.
    ///
    /// Committees may hold anything below them; general branches hold branches; branches hold only Party groups;
    /// a Party group is a leaf.
    public func mayContain(_ child: OrganisationType) -> Bool {
        switch self {
        case .partyCommittee, .workingCommittee, .organCommittee:
            return true
        case .generalBranch:
            return [.branch, .jointBranch, .temporaryBranch, .partyGroup].contains(child)
        case .branch, .jointBranch, .temporaryBranch:
            return child == .partyGroup
        case .partyGroup:
            return false
        }
    }

    /// Parses either the stable identifier or the Chinese name.
    public init?(identifierOrName value: String) {
        let trimmed = value.trimmed
        if let t = OrganisationType(rawValue: trimmed) { self = t; return }
        if let t = OrganisationType.allCases.first(where: { $0.displayName == trimmed }) { self = t; return }
        return nil
    }
}

/// How far below an organisation a list reaches (查询范围).
public enum OrganisationScope: String, CaseIterable, Sendable, Codable {
    /// 本级 — the organisation itself only.
    case own = "own"
    /// 本级及直属下级 — the organisation and its direct children.
    case ownAndChildren = "children"
    /// 全部下级 — the organisation and everything below it.
    case subtree = "subtree"

    /// The Chinese name shown in filters.
    public var displayName: String {
        switch self {
        case .own: "本级"
        case .ownAndChildren: "本级及直属下级"
        case .subtree: "全部下级"
        }
    }
}
