import Foundation

/// The category of a unit (单位类别). It decides which rules apply: village and community organisations serve 5-year
/// terms at every level (ORG-T1), organs follow the organs regulations (ORG-04/05).
public enum UnitCategory: String, CaseIterable, Sendable, Codable {
    case organ = "organ"  // 机关
    case institution = "institution"  // 事业单位
    case enterprise = "enterprise"  // 企业（国有）
    case village = "village"  // 村
    case community = "community"  // 社区
    case newOrganisation = "new_org"  // 两新组织（非公有制经济组织和社会组织）
    case school = "school"  // 学校

    public var displayName: String {
        switch self {
        case .organ: "机关"
        case .institution: "事业单位"
        case .enterprise: "企业"
        case .village: "村"
        case .community: "社区"
        case .newOrganisation: "两新组织"
        case .school: "学校"
        }
    }

    /// Accepts the code or the Chinese name (for imports and forms).
    public init?(text: String) {
        let t = text.trimmed
        if let c = UnitCategory(rawValue: t) { self = c; return }
        guard let c = UnitCategory.allCases.first(where: { $0.displayName == t }) else { return nil }
        self = c
    }

    /// ORG-T1: village and community Party organisations serve 5-year terms at every level.
    public var isVillageOrCommunity: Bool { self == .village || self == .community }
}

/// A unit (单位: an organ, institution, enterprise, village …) and the Party organisation set up in it. A joint branch
/// (联合党支部) covers several units (ORG-02).
public struct WorkUnit: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var organisationID: Int64
    public var name: String
    public var category: UnitCategory
    /// 考核类别, one of the deployment's configured categories (RuleBook.assessmentCategories), or nil.
    public var assessmentCategory: String?
    public var version: Int64

    public init(id: Int64, organisationID: Int64, name: String, category: UnitCategory, assessmentCategory: String?, version: Int64) {
        self.id = id
        self.organisationID = organisationID
        self.name = name
        self.category = category
        self.assessmentCategory = assessmentCategory
        self.version = version
    }

    /// Checks a unit's fields against the rule book in force; every problem at once.
    public static func validate(
        name: String, category: String, assessmentCategory: String, rules: RuleBook
    ) -> Result<(String, UnitCategory, String?), ValidationProblems> {
        var problems: [ValidationFailure] = []
        let name = name.trimmed
        if name.isEmpty {
            problems.append(ValidationFailure(field: "name", message: "请填写单位名称"))
        } else if name.count > 100 {
            problems.append(ValidationFailure(field: "name", message: "单位名称不能超过 100 个字"))
        } else if name.contains(where: { $0.isNewline }) {
            problems.append(ValidationFailure(field: "name", message: "单位名称不能包含换行"))
        }
        let parsedCategory = UnitCategory(text: category)
        if parsedCategory == nil {
            problems.append(
                ValidationFailure(field: "category", message: "单位类别应为：\(UnitCategory.allCases.map(\.displayName).joined(separator: "、"))"))
        }
        let assessment = assessmentCategory.trimmed
        if !assessment.isEmpty && !rules.assessmentCategories.contains(assessment) {
            problems.append(
                ValidationFailure(
                    field: "assessment_category", message: "考核类别“\(assessment)”不在本地设置的类别中（\(rules.assessmentCategories.joined(separator: "、"))）",
                    ruleID: "RULES"))
        }
        guard problems.isEmpty, let parsedCategory else { return .failure(ValidationProblems(problems: problems)) }
        return .success((name, parsedCategory, assessment.isEmpty ? nil : assessment))
    }
}
