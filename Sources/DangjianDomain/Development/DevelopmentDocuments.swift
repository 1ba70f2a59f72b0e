/// The filing and notice documents of 发展党员 (rules.md §1.1), generated from the case file so that nobody retypes
/// a name or a date: the 备案报告 of activists (step 4) and development targets (step 8), the 公示 before designating a
/// development target (DEV-17), the branch general meeting's resolution (决议, DEV-18/19), the committee's approval
/// with the start and end of probation (DEV-25/27) and the approval of conversion with the date 党龄 counts from
/// (DEV-32). The text is plain data here; DangjianOffice lays it out as .docx.
public enum DevelopmentDocumentKind: String, CaseIterable, Sendable {
    case activistFiling = "activist-filing"
    case targetPublicity = "target-publicity"
    case targetFiling = "target-filing"
    case admissionResolution = "admission-resolution"
    case approvalNotice = "approval-notice"
    case conversionNotice = "conversion-notice"

    public var displayName: String {
        switch self {
        case .activistFiling: "入党积极分子备案报告"
        case .targetPublicity: "发展对象公示"
        case .targetFiling: "发展对象备案报告"
        case .admissionResolution: "接收预备党员的支部大会决议"
        case .approvalNotice: "接收预备党员的审批意见（批复）"
        case .conversionNotice: "预备党员转正的审批意见（批复）"
        }
    }

    /// The step whose record the document reports (the 公示 is made before step 7 is recorded).
    public var step: DevelopmentStep {
        switch self {
        case .activistFiling: .activistDesignation
        case .targetPublicity, .targetFiling: .targetDesignation
        case .admissionResolution: .admissionMeeting
        case .approvalNotice: .approval
        case .conversionNotice: .conversionApproval
        }
    }
}

/// One generated document: title, addressee, body paragraphs, an optional table, the issuing organ and the date.
public struct OfficialDocument: Sendable, Equatable {
    public var title: String
    /// 文号, e.g. 提醒函〔2026〕3号.
    public var number: String?
    public var recipient: String?
    public var paragraphs: [String]
    public var tableHeader: [String]
    public var tableRows: [[String]]
    public var issuer: String
    public var date: CivilDate

    public init(
        title: String, number: String? = nil, recipient: String?, paragraphs: [String], tableHeader: [String] = [], tableRows: [[String]] = [],
        issuer: String, date: CivilDate
    ) {
        self.title = title
        self.number = number
        self.recipient = recipient
        self.paragraphs = paragraphs
        self.tableHeader = tableHeader
        self.tableRows = tableRows
        self.issuer = issuer
        self.date = date
    }
}

/// Who the documents name: the applicant, the branch that develops them and the committee above it.
public struct DevelopmentParties: Sendable, Equatable {
    public var applicant: String
    public var gender: Gender
    public var birthDate: CivilDate
    public var branch: String
    public var committee: String

    public init(applicant: String, gender: Gender, birthDate: CivilDate, branch: String, committee: String) {
        self.applicant = applicant
        self.gender = gender
        self.birthDate = birthDate
        self.branch = branch
        self.committee = committee
    }
}

/// Why a document cannot be produced yet.
public struct DocumentNotReady: Error, Sendable, Equatable {
    public var message: String
}

extension DevelopmentCase {
    /// The documents this case can produce now (the 公示 once its only remaining input is the start date).
    public var availableDocuments: [DevelopmentDocumentKind] {
        DevelopmentDocumentKind.allCases.filter { kind in
            kind == .targetPublicity ? date(of: .cultivation) != nil : date(of: kind.step) != nil
        }
    }

    /// Builds a document from the case. The 公示 takes its first day from the recorded step 7, or from
    /// `publicityStart` while the designation is still ahead; its end is counted in working days with `calendar`.
    public func document(
        _ kind: DevelopmentDocumentKind, parties p: DevelopmentParties, publicityStart: CivilDate? = nil,
        calendar: WorkingDayCalendar = .weekdaysOnly
    ) throws -> OfficialDocument {
        func need(_ step: DevelopmentStep) throws -> StepRecord {
            guard let r = record(of: step) else {
                throw DocumentNotReady(message: "尚未记录第 \(step.rawValue) 步“\(step.displayName)”，不能生成\(kind.displayName)")
            }
            return r
        }
        let name = p.applicant
        let born = "\(p.birthDate.year)年\(p.birthDate.month)月出生"
        switch kind {
        case .activistFiling:
            let designated = try need(.activistDesignation)
            let applied = try need(.application)
            // DEV-04: how the person was put forward, as recorded (cases recorded before it was asked name both).
            let ways = designated.facts.recommendations.isEmpty ? ActivistRecommendation.allCases : designated.facts.recommendations
            let recommended = ways.map(\.displayName).joined(separator: "、")
            return OfficialDocument(
                title: "关于确定\(name)同志为入党积极分子的备案报告", recipient: "\(p.committee)：",
                paragraphs: [
                    "\(name)，\(p.gender.displayName)，\(born)，于\(applied.date.chinese)向党组织递交入党申请书。",
                    "经\(recommended)，\(p.branch)支部委员会于\(designated.date.chinese)研究，确定\(name)同志为入党积极分子，现报请备案。",
                ],
                issuer: p.branch, date: date(of: .activistFiling) ?? designated.date)
        case .targetPublicity:
            let activist = try need(.activistDesignation)
            guard let start = record(of: .targetDesignation)?.facts.publicityStart ?? publicityStart else {
                throw DocumentNotReady(message: "请填写公示开始日期（\(RuleID.dev17)）")
            }
            let days = max(rules.publicityWorkingDays, 1)
            let end = calendar.workingDay(days, from: start)
            return OfficialDocument(
                title: "发展对象公示", recipient: nil,
                paragraphs: [
                    "\(name)同志于\(activist.date.chinese)被确定为入党积极分子，经过一年以上的培养教育和考察，\(p.branch)支部委员会拟将其确定为发展对象，现予以公示。",
                    "公示时间：\(start.chinese)至\(end.chinese)（\(days)个工作日）。",
                    "公示期间，党员和群众可通过来信、来电、来访等方式向党支部反映情况和问题。反映问题应实事求是，并提供真实姓名和联系方式。",
                ],
                tableHeader: ["姓名", "性别", "出生年月", "递交入党申请书时间", "确定为入党积极分子时间"],
                tableRows: [
                    [
                        name, p.gender.displayName, "\(p.birthDate.year)年\(p.birthDate.month)月", date(of: .application)?.chinese ?? "",
                        activist.date.chinese,
                    ]
                ],
                issuer: p.branch, date: start)
        case .targetFiling:
            let designated = try need(.targetDesignation)
            var lines = ["\(name)，\(p.gender.displayName)，\(born)，于\(try need(.activistDesignation).date.chinese)被确定为入党积极分子。"]
            var second = "经党小组、培养联系人、党员和群众推荐，\(p.branch)支部委员会于\(designated.date.chinese)研究，确定\(name)同志为发展对象"
            if let start = designated.facts.publicityStart {
                second += "（已于\(start.chinese)至\(calendar.workingDay(max(rules.publicityWorkingDays, 1), from: start).chinese)公示，无异议）"
            }
            lines.append(second + "，现报请备案。")
            return OfficialDocument(
                title: "关于确定\(name)同志为发展对象的备案报告", recipient: "\(p.committee)：", paragraphs: lines,
                issuer: p.branch, date: date(of: .targetFiling) ?? designated.date)
        case .admissionResolution:
            let meeting = try need(.admissionMeeting)
            var text = ["\(meeting.date.chinese)，\(p.branch)召开支部大会，讨论\(name)同志的入党问题。会上，\(name)同志汇报了对党的认识、入党动机和本人履历等情况，入党介绍人介绍了其有关情况，支部委员会报告了审查情况。"]
            if let v = meeting.facts.vote {
                text.append(
                    "支部应到会有表决权的正式党员\(v.entitled)名，实到会\(v.present)名，因故未到会提交书面意见\(v.writtenInFavour + v.writtenAgainst)名。经无记名投票表决，赞成\(v.inFavour + v.writtenInFavour)票（含书面意见\(v.writtenInFavour)票），反对\(v.against + v.writtenAgainst)票，弃权\(v.abstaining)票，赞成票超过应到会有表决权的正式党员的半数。"
                )
            }
            if let sponsors = record(of: .sponsors)?.facts.people.map(\.name), !sponsors.isEmpty {
                text.append("入党介绍人：\(sponsors.joined(separator: "、"))。")
            }
            text.append("支部大会决定，同意接收\(name)同志为中共预备党员，报上级党委审批。")
            return OfficialDocument(
                title: "中共\(p.branch)支部大会关于接收\(name)同志为中共预备党员的决议", recipient: nil, paragraphs: text,
                issuer: "中共\(p.branch)", date: meeting.date)
        case .approvalNotice:
            let approval = try need(.approval)
            let meeting = try need(.admissionMeeting)
            let end = meeting.date.adding(years: rules.probationYears)
            return OfficialDocument(
                title: "关于同意接收\(name)同志为中共预备党员的批复", recipient: "\(p.branch)：",
                paragraphs: [
                    "你支部\(meeting.date.chinese)关于接收\(name)同志为中共预备党员的决议收悉。",
                    "经\(approval.date.chinese)党委会议研究，同意接收\(name)同志为中共预备党员，预备期一年，自\(meeting.date.chinese)起至\(end.chinese)止。",
                    "请及时通知本人并在党员大会上宣布，组织其进行入党宣誓，编入党小组，继续进行教育和考察。",
                ],
                issuer: p.committee, date: approval.date)
        case .conversionNotice:
            let approval = try need(.conversionApproval)
            let meeting = try need(.conversionMeeting)
            if probationCancelled {
                return OfficialDocument(
                    title: "关于取消\(name)同志预备党员资格的批复", recipient: "\(p.branch)：",
                    paragraphs: [
                        "你支部\(meeting.date.chinese)关于取消\(name)同志预备党员资格的决议收悉。",
                        "经\(approval.date.chinese)党委会议研究，同意取消\(name)同志的预备党员资格。",
                        "请及时通知本人，做好思想工作，并将其入党材料归档保存。",
                    ],
                    issuer: p.committee, date: approval.date)
            }
            guard let full = fullMemberDate, let admitted = date(of: .admissionMeeting) else { throw DocumentNotReady(message: "缺少接收预备党员的支部大会日期") }
            let how =
                extensionMonths > 0
                ? "\(name)同志预备期延长\(extensionMonths)个月，现延长期满，同意其转为中共正式党员"
                : "同意\(name)同志按期转为中共正式党员"
            return OfficialDocument(
                title: "关于同意\(name)同志转为中共正式党员的批复", recipient: "\(p.branch)：",
                paragraphs: [
                    "你支部\(meeting.date.chinese)关于\(name)同志转为中共正式党员的决议收悉。",
                    "\(name)同志于\(admitted.chinese)被接收为中共预备党员。经\(approval.date.chinese)党委会议研究，\(how)，党龄自\(full.chinese)算起。",
                ],
                issuer: p.committee, date: approval.date)
        }
    }
}
