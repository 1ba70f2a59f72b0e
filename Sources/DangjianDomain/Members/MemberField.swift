/// The member's fields, written once (issue 16, item 4): the name forms, the API and validation problems use (`key`),
/// the name users see (`title`), the headers real rosters use (`synonyms`), where the value goes in a `MemberDraft`
/// (`draft`) and what the audit trail keeps of a change (`audited`). The page form, the roster import and its
/// template, the import's merge, the API and the audit's field changes all read this table.
public enum MemberField: String, CaseIterable, Sendable {
    // The order of the roster export's columns (姓名、性别、身份证号 …), which the import template and forms follow.
    case name, gender, idNumber, birthDate, ethnicity, nativePlace, education, personnelCategory, partyStatus,
        membershipState, joinDate, fullMemberDate, organisation, workUnit, post, phone, address, isFloating,
        floatingDestination, lostContactReason, lostContactSince

    /// The field's name in forms, the API, problems and the audit trail (`native_place`).
    public var key: String {
        switch self {
        case .organisation: "organisation_id"
        default: rawValue.reduce(into: "") { out, c in out += c.isUppercase ? "_" + c.lowercased() : String(c) }
        }
    }

    /// The field whose `key` is `key`.
    public init?(key: String) {
        guard let field = Self.allCases.first(where: { $0.key == key }) else { return nil }
        self = field
    }

    /// The name used on the form's label, in the import template and the export.
    public var title: String {
        switch self {
        case .name: "姓名"
        case .idNumber: "身份证号"
        case .gender: "性别"
        case .birthDate: "出生日期"
        case .ethnicity: "民族"
        case .nativePlace: "籍贯"
        case .education: "学历"
        case .personnelCategory: "人员类别"
        case .partyStatus: "党员身份"
        case .membershipState: "党籍状态"
        case .joinDate: "入党日期"
        case .fullMemberDate: "转正日期"
        case .organisation: "所在党组织"
        case .workUnit: "工作单位"
        case .post: "职务"
        case .phone: "手机号"
        case .address: "家庭住址"
        case .isFloating: "流动党员"
        case .floatingDestination: "流入地"
        case .lostContactReason: "失联原因"
        case .lostContactSince: "失联日期"
        }
    }

    /// Other headers seen in real rosters (the title first).
    public var synonyms: [String] {
        switch self {
        case .name: ["姓名", "党员姓名", "名字"]
        case .idNumber: ["身份证号", "公民身份号码", "身份证号码", "身份证", "证件号码", "身份证件号码"]
        case .gender: ["性别"]
        case .birthDate: ["出生日期", "出生年月", "出生年月日", "生日"]
        case .ethnicity: ["民族"]
        case .nativePlace: ["籍贯"]
        case .education: ["学历", "文化程度", "最高学历", "全日制学历"]
        case .personnelCategory: ["人员类别", "人员身份", "党员类别"]
        case .partyStatus: ["党员身份", "党员类型", "政治面貌", "正式/预备", "党员状态"]
        case .membershipState: ["党籍状态"]
        case .joinDate: ["入党日期", "入党时间", "加入党组织日期", "入党年月"]
        case .fullMemberDate: ["转正日期", "转正时间", "转为正式党员日期", "转正年月"]
        case .organisation: ["所在党组织", "所在党支部", "党支部", "所属支部", "所属党支部", "所在支部", "党组织名称", "所属党组织"]
        case .workUnit: ["工作单位", "单位", "工作单位及职务", "现工作单位"]
        case .post: ["职务", "岗位", "职务职级"]
        case .phone: ["手机号", "手机号码", "联系电话", "手机", "电话", "联系方式"]
        case .address: ["家庭住址", "现居住地", "住址", "家庭地址", "现住址"]
        case .isFloating: ["流动党员", "是否流动党员"]
        case .floatingDestination: ["流入地", "外出流向", "流动去向", "外出地点"]
        case .lostContactReason: ["失联原因", "失去联系原因"]
        case .lostContactSince: ["失联日期", "失去联系日期", "失联时间"]
        }
    }

    /// Where the field's text goes in a draft; nil for the organisation, which is not part of the profile.
    public var draft: WritableKeyPath<MemberDraft, String>? {
        switch self {
        case .name: \.name
        case .idNumber: \.idNumber
        case .gender: \.gender
        case .birthDate: \.birthDate
        case .ethnicity: \.ethnicity
        case .nativePlace: \.nativePlace
        case .education: \.education
        case .personnelCategory: \.personnelCategory
        case .partyStatus: \.partyStatus
        case .membershipState: \.membershipState
        case .joinDate: \.joinDate
        case .fullMemberDate: \.fullMemberDate
        case .organisation: nil
        case .workUnit: \.workUnit
        case .post: \.post
        case .phone: \.phone
        case .address: \.address
        case .isFloating: \.isFloating
        case .floatingDestination: \.floatingDestination
        case .lostContactReason: \.lostContactReason
        case .lostContactSince: \.lostContactSince
        }
    }

    /// What the audit trail keeps of the field's value in `profile`: personal numbers and contact details masked
    /// (the ID number's change of a hidden digit is told by `MemberProfile.changes`), nil for the organisation.
    public func audited(_ p: MemberProfile) -> String? {
        switch self {
        case .name: p.name
        case .idNumber: p.idNumber.masked
        case .gender: p.gender.displayName
        case .birthDate: p.birthDate.description
        case .ethnicity: p.ethnicity
        case .nativePlace: p.nativePlace
        case .education: p.education?.displayName
        case .personnelCategory: p.personnelCategory.displayName
        case .partyStatus: p.partyStatus.displayName
        case .membershipState: p.membershipState.displayName
        case .joinDate: p.joinDate.description
        case .fullMemberDate: p.fullMemberDate?.description
        case .organisation: nil
        case .workUnit: p.workUnit
        case .post: p.post
        case .phone: p.phone.map(Masking.phone)
        case .address: p.address == nil ? nil : "******"
        case .isFloating: p.isFloating ? "是" : "否"
        case .floatingDestination: p.floatingDestination
        case .lostContactReason: p.lostContactReason?.displayName
        case .lostContactSince: p.lostContactSince?.description
        }
    }
}

extension MemberProfile {
    /// Field-level changes from `old` (nil: a new record) to `new`, in the table's order, with personal values masked.
    public static func changes(from old: MemberProfile?, to new: MemberProfile) -> [FieldChange] {
        var changes: [FieldChange] = []
        for field in MemberField.allCases {
            let (before, after) = (old.flatMap(field.audited), field.audited(new))
            // The sensitive fields compare the values themselves: a changed phone may mask the same.
            let changed: Bool =
                switch field {
                case .phone: old?.phone != new.phone
                case .address: old?.address != new.address
                default: before != after
                }
            if changed { changes.append(FieldChange(field: field.key, old: before, new: after)) }
            if field == .idNumber, old != nil, old?.idNumber != new.idNumber, before == after {
                changes.append(FieldChange(field: field.key, old: "（已修改）", new: after))
            }
        }
        return changes
    }
}
