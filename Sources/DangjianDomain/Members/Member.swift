import Foundation

/// 学历 (highest education), coded; the Chinese names are what rosters use.
public enum Education: String, Sendable, Codable, CaseIterable {
    case doctorate, master, bachelor, college, vocational, highSchool = "high_school", juniorOrBelow = "junior_or_below"

    public var displayName: String {
        switch self {
        case .doctorate: "博士研究生"
        case .master: "硕士研究生"
        case .bachelor: "大学本科"
        case .college: "大学专科"
        case .vocational: "中等专科"
        case .highSchool: "高中"
        case .juniorOrBelow: "初中及以下"
        }
    }

    /// Reads the names offices use (研究生/博士/本科/大专/中专/职高/初中/小学 …).
    public init?(text: String) {
        let t = text.trimmed
        if let e = Education(rawValue: t) ?? Education.allCases.first(where: { $0.displayName == t }) { self = e; return }
        switch t {
        case "博士", "博士研究生", "研究生（博士）", "研究生(博士)": self = .doctorate
        case "硕士", "研究生", "硕士研究生", "研究生（硕士）", "研究生(硕士)": self = .master
        case "本科", "大学", "大学本科": self = .bachelor
        case "专科", "大专", "大学专科", "高职": self = .college
        case "中专", "中技", "技校", "职高", "中等专科", "中等职业": self = .vocational
        case "高中", "普高": self = .highSchool
        case "初中", "小学", "初中及以下", "文盲", "半文盲": self = .juniorOrBelow
        default: return nil
        }
    }
}

/// 人员类别: what the member does, which drives the dues rules (DUES-02…06).
public enum PersonnelCategory: String, Sendable, Codable, CaseIterable {
    case employed, retired, student, farmer, unemployed, other

    public var displayName: String {
        switch self {
        case .employed: "在职"
        case .retired: "离退休"
        case .student: "学生"
        case .farmer: "农牧渔民"
        case .unemployed: "下岗失业"
        case .other: "其他"
        }
    }

    public init?(text: String) {
        let t = text.trimmed
        if let c = PersonnelCategory(rawValue: t) ?? PersonnelCategory.allCases.first(where: { $0.displayName == t }) { self = c; return }
        switch t {
        case "在岗", "在职职工", "机关干部", "公务员", "事业单位人员", "企业职工", "工人": self = .employed
        case "离休", "退休", "离退休人员", "离退休干部": self = .retired
        case "在校学生", "学生党员": self = .student
        case "农民", "牧民", "渔民", "农牧民": self = .farmer
        case "下岗", "失业", "下岗职工", "失业人员": self = .unemployed
        default: return nil
        }
    }
}

/// 党员身份: probationary or full.
public enum PartyStatus: String, Sendable, Codable, CaseIterable {
    case probationary, full

    public var displayName: String { self == .full ? "正式党员" : "预备党员" }

    public init?(text: String) {
        let t = text.trimmed
        if let s = PartyStatus(rawValue: t) { self = s; return }
        switch t {
        case "正式党员", "正式": self = .full
        case "预备党员", "预备": self = .probationary
        default: return nil
        }
    }
}

/// 党籍状态.
public enum MembershipState: String, Sendable, Codable, CaseIterable {
    case normal, suspended, lostContact = "lost_contact", left, deceased

    public var displayName: String {
        switch self {
        case .normal: "正常"
        case .suspended: "停止党籍"
        case .lostContact: "失联"
        case .left: "出党"
        case .deceased: "死亡"
        }
    }

    /// Members in these states stay on the roster (counted, expected at meetings).
    public var isOnRoster: Bool { self == .normal || self == .lostContact }
    /// The stored values of the states on the roster, for a query's `IN (…)`.
    public static let onRosterValues: [String] = allCases.filter(\.isOnRoster).map(\.rawValue)

    public init?(text: String) {
        let t = text.trimmed
        if let s = MembershipState(rawValue: t) ?? MembershipState.allCases.first(where: { $0.displayName == t }) { self = s; return }
        switch t {
        case "", "在册": self = .normal
        case "失联党员": self = .lostContact
        default: return nil
        }
    }
}

/// MEM-07: why a member is out of contact.
public enum LostContactReason: String, Sendable, Codable, CaseIterable {
    case migrantWork = "migrant_work", restructuring, graduated, jobChange = "job_change", abroad, moved, other

    public var displayName: String {
        switch self {
        case .migrantWork: "外出务工"
        case .restructuring: "企业改制"
        case .graduated: "毕业去向不明"
        case .jobChange: "工作变动"
        case .abroad: "出国出境"
        case .moved: "搬迁"
        case .other: "其他"
        }
    }
}

/// A member's record as entered or imported: every field as the person typed it. `validate` turns it into a
/// `MemberProfile` or the list of problems, each naming the field and the rule.
public struct MemberDraft: Sendable, Equatable {
    public var name = ""
    public var idNumber = ""
    public var gender = ""
    public var birthDate = ""
    public var ethnicity = ""
    public var nativePlace = ""
    public var education = ""
    public var personnelCategory = ""
    public var partyStatus = ""
    public var membershipState = ""
    public var joinDate = ""
    public var fullMemberDate = ""
    public var workUnit = ""
    public var post = ""
    public var phone = ""
    public var address = ""
    public var isFloating = ""
    public var floatingDestination = ""
    public var lostContactReason = ""
    public var lostContactSince = ""

    public init() {}

    /// Checks every field; returns the profile or all problems at once (never only the first).
    public func validate(rules: RuleBook = .national2014, today: CivilDate) -> Result<MemberProfile, ValidationProblems> {
        var problems: [ValidationFailure] = []
        func fail(_ field: String, _ message: String, _ rule: String? = nil) {
            problems.append(ValidationFailure(field: field, message: message, ruleID: rule))
        }
        let name = self.name.trimmed.replacingOccurrences(of: " ", with: "")
        if name.isEmpty { fail("name", "请填写姓名") } else if name.count > 30 { fail("name", "姓名不能超过 30 个字") }

        var id: IDNumber?
        switch IDNumber.parse(idNumber, today: Date()) {
        case .success(let parsed): id = parsed
        case .failure(let problem): fail("id_number", problem.message, "GB 11643")
        }
        var gender: Gender? = id?.gender
        if !self.gender.trimmed.isEmpty {
            if let typed = Gender(displayName: self.gender) {
                if let id, typed != id.gender {
                    fail("gender", "性别“\(typed.displayName)”与身份证号不符（第 17 位为\(id.gender == .male ? "奇数，应为男" : "偶数，应为女")）", "GB 11643")
                }
                gender = gender ?? typed
            } else {
                fail("gender", "性别只能填“男”或“女”")
            }
        }
        var birth: CivilDate? = id?.birthDate
        if !birthDate.trimmed.isEmpty {
            if let typed = CivilDate.parseLenient(birthDate) {
                if let id, typed != id.birthDate {
                    fail("birth_date", "出生日期 \(typed) 与身份证号中的 \(id.birthDate) 不一致", "GB 11643")
                }
                birth = birth ?? typed
            } else {
                fail("birth_date", "出生日期“\(birthDate)”无法识别，请写成 1980-01-01")
            }
        }
        let ethnicity = self.ethnicity.trimmed
        var ethnicityValue: String?
        if !ethnicity.isEmpty {
            if let e = Ethnicity.normalise(ethnicity) { ethnicityValue = e } else { fail("ethnicity", "民族“\(ethnicity)”不在 56 个民族之列") }
        }
        var educationValue: Education?
        if !education.trimmed.isEmpty {
            if let e = Education(text: education) { educationValue = e } else { fail("education", "学历“\(education)”无法识别") }
        }
        var category: PersonnelCategory = .other
        if !personnelCategory.trimmed.isEmpty {
            if let c = PersonnelCategory(text: personnelCategory) {
                category = c
            } else {
                fail("personnel_category", "人员类别“\(personnelCategory)”无法识别")
            }
        }
        var status: PartyStatus?
        if let s = PartyStatus(text: partyStatus) { status = s } else { fail("party_status", "请填写党员身份：正式党员或预备党员") }
        var state: MembershipState = .normal
        if let s = MembershipState(text: membershipState) { state = s } else { fail("membership_state", "党籍状态“\(membershipState)”无法识别") }

        let join = parseDate(joinDate, field: "join_date", label: "入党日期", required: true, today: today, problems: &problems)
        let full = parseDate(fullMemberDate, field: "full_member_date", label: "转正日期", required: false, today: today, problems: &problems)
        if let join, let birth, join < birth.adding(years: rules.minimumAge) {
            fail("join_date", "入党日期 \(join) 时未满 \(rules.minimumAge) 周岁（出生于 \(birth)）", RuleID.dev01.code)
        }
        if status == .full {
            if full == nil && fullMemberDate.trimmed.isEmpty {
                fail("full_member_date", "正式党员须填写转正日期（党龄从转正之日起算）", RuleID.dev32.code)
            }
            if let join, let full {
                let earliest = join.adding(years: rules.probationYears)
                let latest = earliest.adding(months: rules.maximumProbationExtensionMonths)
                if full < earliest {
                    fail("full_member_date", "转正日期 \(full) 早于预备期满之日 \(earliest)（预备期一年，自支部大会通过之日算起）", RuleID.dev27.code)
                } else if full > latest.adding(months: 6) {
                    // Conversion may be discussed late, but more than the longest extension plus 6 months is almost surely a typo.
                    fail("full_member_date", "转正日期 \(full) 距入党日期超过预备期及最长延长期（最迟约 \(latest)），请核对", RuleID.dev28.code)
                }
            }
        } else if status == .probationary, full != nil {
            fail("full_member_date", "预备党员不应有转正日期；如已转正，请把党员身份改为正式党员", RuleID.dev27.code)
        }

        let phone = self.phone.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace && $0 != "-" }
        if !phone.isEmpty
            && !(phone.count == 11 && phone.first == "1" && phone.allSatisfy { $0.isASCII && $0.isNumber } && "3456789".contains(Array(phone)[1]))
        {
            fail("phone", "手机号应为 11 位、以 1 开头的号码")
        }
        let floating = ["是", "true", "1", "yes", "on", "流动党员"].contains(isFloating.trimmed.lowercased())
        let destination = floatingDestination.trimmed
        if floating && destination.isEmpty { fail("floating_destination", "流动党员须填写流入地（外出去向）", RuleID.mem03.code) }
        var reason: LostContactReason?
        var lostSince: CivilDate?
        if state == .lostContact {
            reason =
                LostContactReason(rawValue: lostContactReason) ?? LostContactReason.allCases.first { $0.displayName == lostContactReason.trimmed }
            if reason == nil { fail("lost_contact_reason", "失联党员须选择失联原因", RuleID.mem07.code) }
            lostSince = parseDate(lostContactSince, field: "lost_contact_since", label: "失联日期", required: true, today: today, problems: &problems)
        }
        for (field, value, limit) in [
            ("native_place", nativePlace, 50), ("work_unit", workUnit, 100), ("post", post, 50), ("address", address, 200),
            ("floating_destination", destination, 100),
        ] where value.count > limit {
            fail(field, "内容过长（不超过 \(limit) 字）")
        }
        guard problems.isEmpty, let id, let status, let join, let gender, let birth else {
            return .failure(ValidationProblems(problems: problems))
        }
        return .success(
            MemberProfile(
                name: name, idNumber: id, gender: gender, birthDate: birth, ethnicity: ethnicityValue,
                nativePlace: nativePlace.trimmed.nilIfEmpty, education: educationValue, personnelCategory: category,
                partyStatus: status, membershipState: state, joinDate: join, fullMemberDate: status == .full ? full : nil,
                workUnit: workUnit.trimmed.nilIfEmpty, post: post.trimmed.nilIfEmpty, phone: phone.nilIfEmpty,
                address: address.trimmed.nilIfEmpty, isFloating: floating, floatingDestination: floating ? destination : nil,
                lostContactReason: reason, lostContactSince: lostSince))
    }

    private func parseDate(
        _ raw: String, field: String, label: String, required: Bool, today: CivilDate, problems: inout [ValidationFailure]
    ) -> CivilDate? {
        let text = raw.trimmed
        if text.isEmpty {
            if required { problems.append(ValidationFailure(field: field, message: "请填写\(label)")) }
            return nil
        }
        guard let date = CivilDate.parseLenient(text) else {
            problems.append(ValidationFailure(field: field, message: "\(label)“\(text)”无法识别，请写成 2019-07-01"))
            return nil
        }
        if date > today { problems.append(ValidationFailure(field: field, message: "\(label) \(date) 晚于今天")); return nil }
        return date
    }
}

/// All problems of one submission (a member draft, an election, a rule-book version …), each with its field and rule.
public struct ValidationProblems: ProblemList, Equatable {
    public var problems: [ValidationFailure]

    public init(problems: [ValidationFailure]) { self.problems = problems }
}

/// A validated member profile (the roster columns of rules.md §6.2).
public struct MemberProfile: Sendable, Equatable {
    public var name: String
    public var idNumber: IDNumber
    public var gender: Gender
    public var birthDate: CivilDate
    public var ethnicity: String?
    public var nativePlace: String?
    public var education: Education?
    public var personnelCategory: PersonnelCategory
    public var partyStatus: PartyStatus
    public var membershipState: MembershipState
    /// 入党日期: the date the branch general meeting admitted the member.
    public var joinDate: CivilDate
    /// 转正日期: Party standing counts from here (DEV-32).
    public var fullMemberDate: CivilDate?
    public var workUnit: String?
    public var post: String?
    public var phone: String?
    public var address: String?
    public var isFloating: Bool
    public var floatingDestination: String?
    public var lostContactReason: LostContactReason?
    public var lostContactSince: CivilDate?

    public init(
        name: String, idNumber: IDNumber, gender: Gender, birthDate: CivilDate, ethnicity: String?, nativePlace: String?,
        education: Education?, personnelCategory: PersonnelCategory, partyStatus: PartyStatus, membershipState: MembershipState,
        joinDate: CivilDate, fullMemberDate: CivilDate?, workUnit: String?, post: String?, phone: String?, address: String?,
        isFloating: Bool, floatingDestination: String?, lostContactReason: LostContactReason?, lostContactSince: CivilDate?
    ) {
        self.name = name
        self.idNumber = idNumber
        self.gender = gender
        self.birthDate = birthDate
        self.ethnicity = ethnicity
        self.nativePlace = nativePlace
        self.education = education
        self.personnelCategory = personnelCategory
        self.partyStatus = partyStatus
        self.membershipState = membershipState
        self.joinDate = joinDate
        self.fullMemberDate = fullMemberDate
        self.workUnit = workUnit
        self.post = post
        self.phone = phone
        self.address = address
        self.isFloating = isFloating
        self.floatingDestination = floatingDestination
        self.lostContactReason = lostContactReason
        self.lostContactSince = lostContactSince
    }

    /// Age in whole years on `date`.
    public func age(on date: CivilDate) -> Int { birthDate.years(until: date) }

    /// 党龄 in whole years on `date`, counted from the full-member date only (DEV-32); nil for probationary members.
    public func partyStanding(on date: CivilDate) -> Int? { fullMemberDate.map { $0.years(until: date) } }

    /// The political birthday (政治生日) in `year`, anchored per CARE-04's configured rule.
    public func politicalBirthday(in year: Int, rules: RuleBook = .national2014) -> CivilDate? {
        let anchor = rules.politicalBirthdayAnchor == .admission ? joinDate : fullMemberDate
        return anchor.flatMap { a in
            let (years, overflow) = year.subtractingReportingOverflow(a.year)
            return overflow ? nil : a.adding(years: years)
        }
    }

    /// CARE-01: eligible for the 光荣在党50年 medal in `year` (standing reaches 50 years by 1 July), living members only.
    public func medalEligible(in year: Int, rules: RuleBook = .national2014) -> Bool {
        guard membershipState != .deceased && membershipState != .left, let full = fullMemberDate else { return false }
        guard let julyFirst = CivilDate(year: year, month: 7, day: 1) else { return false }
        return full.adding(years: rules.medalYears) <= julyFirst
    }
}

extension CivilDate {
    /// The same day `months` later (clamped to the month's end).
    /// Total: a result outside 0001–9999 saturates at that end, never traps.
    public func adding(months: Int) -> CivilDate {
        let (total, overflow) = (year * 12 + (month - 1)).addingReportingOverflow(months)
        guard !overflow else { return months < 0 ? .earliest : .latest }
        let y = total / 12, m = total % 12 + 1
        guard total >= 0, CivilDate.yearRange.contains(y) else { return total < 0 || y < 1 ? .earliest : .latest }
        return CivilDate(checkedYear: y, month: m, day: min(day, CivilDate.daysIn(month: m, year: y)))
    }
}

/// The 56 ethnic groups (民族), as rosters write them.
public enum Ethnicity {
    public static let all = [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族",
        "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族",
        "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
        "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
        "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
    ]

    /// `汉` → `汉族`; nil when not one of the 56.
    public static func normalise(_ text: String) -> String? {
        let t = text.trimmed
        if all.contains(t) { return t }
        if all.contains(t + "族") { return t + "族" }
        return nil
    }
}
