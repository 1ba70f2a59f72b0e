import DangjianDomain

/// A value and a label, optionally checked (check boxes of a form).
struct CheckChoice: Sendable {
    var value: String
    var label: String
    var checked: Bool
}

/// A link with its text.
struct LinkItem: Sendable {
    var href: String
    var name: String
}

/// 入党志愿书编号台账 (`development/forms`, DEV-34): every number issued, used or voided.
struct ApplicationFormsPage {
    struct Row {
        var number: String
        var organisation: String
        var status: String
        var colour: String
        var issuedOn: String
        /// The applicant and the day the number was used.
        var used: String?
        /// The case that used the number.
        var caseLink: String?
        var reason: String?
    }

    struct Count {
        var label: String
        var count: Int
    }

    var rows: [Row]
    var hasRows: Bool
    var counts: [Count]
    var canIssue: Bool
    var orgs: [SelectOption]
    var today: String
    var error: String?
    var links = DevelopmentLinks()
}

/// 年度发展党员计划 (`development/annual`, DEVPLAN-01/02): per organisation the target, the admissions and the cases
/// at each stage.
struct AnnualPlanPage {
    struct Row {
        var name: String
        var admitted: Int
        var progress: String
        var colour: String
        /// Open cases per stage, in stage order.
        var stages: [String]
        var last: String
        var target: String?
        var note: String?
        var warning: String?
    }

    var org: Int64
    var orgName: String
    var year: Int
    var previousYear: Int
    var nextYear: Int
    var rows: [Row]
    var hasRows: Bool
    var stageNames: [String]
    var totalTarget: Int
    var totalAdmitted: Int
    var warnings: [String]
    var hasWarnings: Bool
    var gapYears: Int
    var canSet: Bool
    var targetOrgs: [SelectOption]
    var error: String?
    var links = DevelopmentLinks()
    var planLink = ""
    var previousLink = ""
    var nextLink = ""
    var sheetLink = ""
}

/// 发展党员 (`development/plan`): the open case files with their next step and time limits, the batch form and the
/// archive.
struct DevelopmentPlanPage {
    struct ArchiveRow {
        var id: Int64
        var link: String
        var name: String
        var organisation: String
        /// The roster record the case became.
        var memberLink: String?
        var completed: String
    }

    var org: Int64
    var orgName: String
    var scope: String
    var canWrite: Bool
    var rows: [DevelopmentController.PlanRow]
    var hasRows: Bool
    var nextMonth: Int
    var now: Int
    var scopes: [SelectOption]
    var problem: String
    var hasProblem: Bool
    var applicantName: String
    var idNumber: String
    var notices: [String]
    var hasNotices: Bool
    var batchDone: String
    var batchSteps: [SelectOption]
    var today: String
    var archive: [ArchiveRow]
    var hasArchive: Bool
    var links = DevelopmentLinks()
    var annualLink = ""
    var exportLink = ""
}

/// One case file (`development/case`): the 25 steps, the entries, the next step's form and the documents.
struct DevelopmentCasePage {
    struct Organisation {
        var id: Int64
        var name: String
    }

    struct Exclusion {
        var field: String
        var label: String
        var value: String
    }

    struct Document {
        var link: String
        var name: String
    }

    struct NegativeItem {
        var value: String
        var checked: Bool
    }

    var id: Int64
    var name: String
    var idNumber: String
    var gender: String
    var org: Organisation
    var stage: String
    var rules: String
    var status: String
    var steps: [DevelopmentController.StepRow]
    var entries: [DevelopmentController.EntryRow]
    var hasEntries: Bool
    var canWrite: Bool
    var canCorrect: Bool
    var nextName: String
    var earliest: String
    var documents: [String]
    var responsible: String
    var needsPeople: Bool
    var needsReview: Bool
    var needsRecommendation: Bool
    var recommendations: [CheckChoice]
    var negativeList: [NegativeItem]
    var hasNegativeList: Bool
    var needsTraining: Bool
    var needsVote: Bool
    var needsExtension: Bool
    var needsTalker: Bool
    var talker: String
    var talkerRoles: [SelectOption]
    var exclusions: [Exclusion]
    var needsLeaving: Bool
    var needsPublicity: Bool
    var publicityDays: Int
    var publicityStart: String
    var needsFormNumber: Bool
    var formNumber: String
    var availableForms: [String]
    var date: String
    var remark: String
    var handler: String
    var person1: String
    var person2: String
    var entitled: String
    var branchFullMembers: String
    var present: String
    var inFavour: String
    var against: String
    var abstaining: String
    var writtenInFavour: String
    var writtenAgainst: String
    var trainingDays: String
    var trainingHours: String
    var problems: [String]
    var hasProblems: Bool
    var warnings: [String]
    var hasWarnings: Bool
    /// Documents generated from the case (the 公示 asks for its first day while the designation is still ahead).
    var docs: [Document] = []
    var publicityNotice = false
    /// The roster record the applicant became (DEV-25/27).
    var memberLink: String?
    var planLink = ""
    var stepsAction = ""
    var materialsAction = ""
    var publicityAction = ""
    var probationEnd: String?
    var fullMemberDate: String?
    var cancelled = false
    /// 补充材料: any recorded step may get a scan later.
    var materialSteps: [SelectOption] = []
    var canAddMaterial = false
    var approver: String?
}
