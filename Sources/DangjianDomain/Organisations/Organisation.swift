public import Foundation

/// A Party organisation (党组织) in the tree.
public struct Organisation: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var parentID: Int64?
    public var type: OrganisationType
    /// 全称, e.g. 中共某某县委组织部机关支部委员会.
    public var name: String
    /// 简称, shown in narrow lists; falls back to the name.
    public var shortName: String?
    public var path: MaterialisedPath
    public var depth: Int
    /// 撤销 date: a dissolved organisation keeps its history but takes no new records.
    public var dissolvedAt: Date?
    public var dissolvedReason: String?
    /// Optimistic-locking version.
    public var version: Int64

    public init(
        id: Int64, parentID: Int64?, type: OrganisationType, name: String, shortName: String?,
        path: MaterialisedPath, depth: Int, dissolvedAt: Date?, dissolvedReason: String?, version: Int64
    ) {
        self.id = id
        self.parentID = parentID
        self.type = type
        self.name = name
        self.shortName = shortName
        self.path = path
        self.depth = depth
        self.dissolvedAt = dissolvedAt
        self.dissolvedReason = dissolvedReason
        self.version = version
    }

    /// The short name when set, else the full name.
    public var label: String { (shortName?.isEmpty == false ? shortName : nil) ?? name }

    public var isDissolved: Bool { dissolvedAt != nil }

    /// Checks a proposed name; returns the problem or nil.
    public static func validateName(_ name: String, field: String = "name") -> ValidationFailure? {
        let trimmed = name.trimmed
        if trimmed.isEmpty { return ValidationFailure(field: field, message: "请填写组织名称") }
        if trimmed.count > 100 { return ValidationFailure(field: field, message: "组织名称不能超过 100 个字") }
        if trimmed.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) }) {
            return ValidationFailure(field: field, message: "组织名称不能包含换行或控制字符")
        }
        return nil
    }
}
