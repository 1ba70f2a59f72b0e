/// 发展党员's vocabulary (rules.md §1): the five stages, the twenty-five steps, what a recorded step carries and why a
/// step is refused. The case file and its checks are in MemberDevelopment.swift.

/// The five stages (五个阶段).
public enum DevelopmentStage: Int, CaseIterable, Sendable, Comparable {
    case application = 1, activist, target, admission, probation

    public var displayName: String {
        switch self {
        case .application: "申请入党"
        case .activist: "入党积极分子的确定和培养教育"
        case .target: "发展对象的确定和考察"
        case .admission: "预备党员的接收"
        case .probation: "预备党员的教育考察和转正"
        }
    }

    public static func < (a: DevelopmentStage, b: DevelopmentStage) -> Bool { a.rawValue < b.rawValue }
}

/// The twenty-five steps (二十五个步骤), in order.
public enum DevelopmentStep: Int, CaseIterable, Sendable, Comparable, Codable {
    case application = 1, applicationTalk, activistDesignation, activistFiling, contactsAssigned, cultivation
    case targetDesignation, targetFiling, sponsors, politicalReview, training
    case committeeReview, preReview, applicationForm, admissionMeeting, approvalTalk, approval, approvalFiling
    case assignedToBranch, oath, continuedEducation, conversionApplication, conversionMeeting, conversionApproval, archive

    public static func < (a: DevelopmentStep, b: DevelopmentStep) -> Bool { a.rawValue < b.rawValue }

    /// Steps an organisation may record for several applicants at once with one date (批量办理): filings, the end
    /// of a training class, pre-review, the committee's approval at one meeting, placement, the oath and the archive.
    /// Steps with a person's own vote, talk, sponsors, review conclusion or form number are recorded one by one.
    public var batchable: Bool {
        [.activistFiling, .targetFiling, .training, .preReview, .approval, .approvalFiling, .assignedToBranch, .oath, .archive].contains(self)
    }

    public var stage: DevelopmentStage {
        switch rawValue {
        case 1...2: .application
        case 3...6: .activist
        case 7...11: .target
        case 12...18: .admission
        default: .probation
        }
    }

    public var displayName: String {
        switch self {
        case .application: "递交入党申请书"
        case .applicationTalk: "党组织派人谈话"
        case .activistDesignation: "推荐和确定入党积极分子"
        case .activistFiling: "上级党委备案（入党积极分子）"
        case .contactsAssigned: "指定培养联系人"
        case .cultivation: "培养教育考察"
        case .targetDesignation: "确定发展对象"
        case .targetFiling: "报上级党委备案（发展对象）"
        case .sponsors: "确定入党介绍人"
        case .politicalReview: "进行政治审查"
        case .training: "开展集中培训"
        case .committeeReview: "支部委员会审查"
        case .preReview: "上级党委预审"
        case .applicationForm: "填写入党志愿书"
        case .admissionMeeting: "支部大会讨论（接收预备党员）"
        case .approvalTalk: "上级党委派人谈话"
        case .approval: "上级党委审批"
        case .approvalFiling: "再上一级党委组织部门备案"
        case .assignedToBranch: "编入党支部和党小组"
        case .oath: "入党宣誓"
        case .continuedEducation: "继续教育考察"
        case .conversionApplication: "提出转正申请"
        case .conversionMeeting: "支部大会讨论（转正）"
        case .conversionApproval: "上级党委审批（转正）"
        case .archive: "材料归档"
        }
    }

    /// Who is responsible for the step (责任主体).
    public var responsible: String {
        switch self {
        case .application, .applicationForm, .conversionApplication: "申请人"
        case .activistFiling, .targetFiling, .preReview, .approvalTalk, .approval, .conversionApproval: "上级党委"
        case .approvalFiling: "再上一级党委组织部门"
        case .training: "基层党委或县级党委组织部门"
        default: "党支部"
        }
    }

    /// What the step produces or needs (a checklist; attachments are optional).
    public var documents: [String] {
        switch self {
        case .application: ["入党申请书"]
        case .applicationTalk: ["谈话记录"]
        case .activistDesignation: ["党员推荐、群团组织推优材料", "支委会会议记录"]
        case .activistFiling, .targetFiling: ["备案报告"]
        case .contactsAssigned: ["培养联系人名单"]
        case .cultivation: ["培养教育考察登记表"]
        case .targetDesignation: ["党小组、培养联系人、党员和群众意见", "支委会会议记录", "公示材料"]
        case .sponsors: ["入党介绍人名单"]
        case .politicalReview: ["政治审查报告"]
        case .training: ["培训结业证书"]
        case .committeeReview: ["支委会审查意见"]
        case .preReview: ["预审请示", "预审意见书面通知"]
        case .applicationForm: ["入党志愿书（编号）"]
        case .admissionMeeting: ["支部大会会议记录", "表决票及书面意见"]
        case .approvalTalk: ["谈话意见（记入入党志愿书）"]
        case .approval: ["审批意见（写明预备期起止日期）"]
        case .approvalFiling: ["备案报告"]
        case .assignedToBranch, .continuedEducation: ["预备党员考察登记表"]
        case .oath: ["入党宣誓记录"]
        case .conversionApplication: ["转正申请书"]
        case .conversionMeeting: ["支部大会会议记录", "表决票"]
        case .conversionApproval: ["转正审批意见"]
        case .archive: ["归档材料清单"]
        }
    }
}

/// What a recorded step carries besides its date (only the facts the checks need; the rest is the remark).
public struct StepFacts: Sendable, Equatable {
    /// 培养联系人 / 入党介绍人: names and whether each is a full member (DEV-06, DEV-09).
    public var people: [(name: String, full: Bool)] = []
    /// 政治审查 conclusion: passed (DEV-10).
    public var reviewPassed: Bool?
    /// The person who handled the step for the responsible organ (经办人 / 负责人), optional.
    public var handler: String?
    /// How an activist was put forward (DEV-04: 党员推荐, 群团组织推优); at least one.
    public var recommendations: [ActivistRecommendation] = []
    /// Items of the rule book's negative list found in the political review (DEV-12).
    public var negativeFindings: [String] = []
    /// 集中培训: days and class hours (DEV-13).
    public var trainingDays: Int = 0
    public var trainingHours: Int = 0
    /// The vote of a general meeting (DEV-18/19).
    public var vote: ResolutionVote?
    /// Full members of the branch at the meeting (DEV-21).
    public var branchFullMembers: Int?
    /// The expected date of leaving the unit, if known (DEV-15).
    public var leavingOn: CivilDate?
    /// The approving organisation's type (DEV-23).
    public var approverType: OrganisationType?
    /// The approving committee in the tree (DEV-23), set by the store from the branch's ancestors.
    public var approverOrganisationID: Int64?
    /// Probation extended at the conversion meeting, in months (DEV-28); nil when converted.
    public var extensionMonths: Int?
    /// The first day of the 公示 before designation as development target (DEV-17).
    public var publicityStart: CivilDate?
    /// 入党志愿书编号 of the form filled in at step 14 (DEV-34).
    public var formNumber: String?
    /// Full members not counted among those who should attend the meeting, one entry per person (DEV-20).
    public var excluded: [VoteExclusion] = []
    /// The exclusions were agreed by the higher organisation and passed by the general meeting (DEV-20).
    public var exclusionsApproved = false
    /// Who talked with the candidate before approval: the name is `people[0]` (DEV-22).
    public var talkerRole: ApprovalTalker?
    /// The conversion meeting decided to cancel probationary status (取消预备党员资格, DEV-28 c).
    public var cancelProbation = false

    public init() {}

    public static func == (a: StepFacts, b: StepFacts) -> Bool {
        a.people.map(\.name) == b.people.map(\.name) && a.people.map(\.full) == b.people.map(\.full) && a.reviewPassed == b.reviewPassed
            && a.trainingDays == b.trainingDays && a.trainingHours == b.trainingHours && a.vote == b.vote
            && a.branchFullMembers == b.branchFullMembers
            && a.leavingOn == b.leavingOn && a.approverType == b.approverType && a.extensionMonths == b.extensionMonths
            && a.publicityStart == b.publicityStart
            && a.formNumber == b.formNumber && a.excluded == b.excluded && a.exclusionsApproved == b.exclusionsApproved
            && a.talkerRole == b.talkerRole && a.cancelProbation == b.cancelProbation && a.negativeFindings == b.negativeFindings
            && a.recommendations == b.recommendations && a.handler == b.handler && a.approverOrganisationID == b.approverOrganisationID
    }
}

/// Why a full member is not counted among those who should attend a general meeting (DEV-20; needs the higher
/// organisation's agreement and the general meeting's decision).
public enum VoteExclusion: String, Sendable, Codable, CaseIterable {
    /// 患有精神病或其他疾病导致不能表达本人意志.
    case illness
    /// 自费出国半年以上.
    case abroad
    /// 受留党察看以上处分之外被羁押或服刑.
    case detained
    /// 年老体弱卧床不起.
    case bedridden
    /// 外出半年以上应转组织关系而未转.
    case away

    public var displayName: String {
        switch self {
        case .illness: "因病不能表达本人意志"
        case .abroad: "自费出国半年以上"
        case .detained: "被羁押或服刑"
        case .bedridden: "年老体弱卧床不起"
        case .away: "外出半年以上、应转未转组织关系"
        }
    }
}

/// Where an activist candidate comes from (DEV-04).
public enum ActivistRecommendation: String, Sendable, Codable, CaseIterable {
    /// 党员推荐.
    case members
    /// 群团组织推优 (e.g. the Youth League's 推优).
    case massOrganisation = "mass_organisation"

    public var displayName: String {
        switch self {
        case .members: "党员推荐"
        case .massOrganisation: "群团组织推优"
        }
    }
}

/// Who the higher Party committee sends to talk with a candidate before approval (DEV-22).
public enum ApprovalTalker: String, Sendable, Codable, CaseIterable {
    /// 党委委员.
    case committeeMember = "committee_member"
    /// 组织员.
    case organiser

    public var displayName: String {
        switch self {
        case .committeeMember: "党委委员"
        case .organiser: "组织员"
        }
    }
}

/// One recorded step.
public struct StepRecord: Sendable, Equatable {
    public var step: DevelopmentStep
    public var date: CivilDate
    public var facts: StepFacts

    public init(step: DevelopmentStep, date: CivilDate, facts: StepFacts = StepFacts()) {
        self.step = step
        self.date = date
        self.facts = facts
    }
}

/// Why a step cannot be recorded: the rule, the words a secretary understands, and the earliest valid date when a
/// date decides.
public struct DevelopmentRefusal: ProblemList, Equatable {
    public var ruleID: String
    public var message: String
    public var earliestValidDate: CivilDate?
    /// The other refusals of the same check, so that a form shows every problem at once.
    public var further: [DevelopmentRefusal] = []

    public init(ruleID: String, message: String, earliestValidDate: CivilDate? = nil) {
        self.ruleID = ruleID
        self.message = message
        self.earliestValidDate = earliestValidDate
    }

    /// This refusal and the further ones.
    public var all: [DevelopmentRefusal] { [self] + further }

    /// Every refusal as a problem of the step form's date field.
    public var problems: [ValidationFailure] {
        all.map { ValidationFailure(field: "date", message: $0.messageWithDate, ruleID: $0.ruleID) }
    }

    /// The message with the earliest valid date, when a date decides.
    var messageWithDate: String { message + (earliestValidDate.map { "；最早可于 \($0) 办理" } ?? "") }

    public var fullMessage: String { messageWithDate + "（\(ruleID)）" }
}
