import DangjianDomain

/// The form of one step of a 发展党员 case file (第 N 步): the facts the step's rules check (people, the vote and its
/// exclusions, training, the review, dates), parsed from the posted fields. Problems name the field in Chinese; the
/// rules themselves are checked by the Domain when the step is recorded (`DevelopmentCase.record`).
struct StepForm {
    private(set) var facts = StepFacts()
    private(set) var problems: [String] = []

    /// - Parameter negativeList: the case rule book's 政治审查负面清单 (DEV-12): only its items count.
    init(_ form: FormData, step: DevelopmentStep, negativeList: [String]) {
        var facts = StepFacts()
        var problems: [String] = []
        func int(_ field: String, _ label: String) -> Int? {
            let t = form.text(field)
            if t.isEmpty { return nil }
            if let n = try? Quantity.parse(t, field: field) { return n.value }
            problems.append("“\(label)”应填 0–\(Quantity.bounds.upperBound) 之间的整数")
            return nil
        }
        facts.people = [("person_1", "full_1"), ("person_2", "full_2")].compactMap { name, full in
            form.text(name).isEmpty ? nil : (form.text(name), form.text(full) == "1")
        }
        let handler = form.text("handler").trimmed
        if handler.count > 40 { problems.append("“经办人”不超过 40 个字") } else if !handler.isEmpty { facts.handler = handler }
        if step == .activistDesignation {
            facts.recommendations = ActivistRecommendation.allCases.filter { form.all("recommendation").contains($0.rawValue) }
        }
        if step == .politicalReview {
            facts.reviewPassed = form.text("review_passed") == "1"
            // DEV-12: only items of the case's own negative list count.
            let listed = Set(negativeList)
            facts.negativeFindings = form.all("negative").filter { listed.contains($0) }
        }
        facts.trainingDays = int("training_days", "培训天数") ?? 0
        facts.trainingHours = int("training_hours", "培训学时") ?? 0
        if step == .admissionMeeting || step == .conversionMeeting {
            facts.vote = ResolutionVote(
                entitled: int("entitled", "应到有表决权党员") ?? 0, present: int("present", "实到有表决权党员") ?? 0,
                inFavour: int("in_favour", "赞成") ?? 0, against: int("against", "反对") ?? 0, abstaining: int("abstaining", "弃权") ?? 0,
                writtenInFavour: int("written_in_favour", "书面赞成") ?? 0, writtenAgainst: int("written_against", "书面反对") ?? 0)
            facts.branchFullMembers = int("branch_full_members", "支部正式党员人数")
            facts.extensionMonths = step == .conversionMeeting ? int("extension_months", "延长预备期月数") : nil
            facts.cancelProbation = step == .conversionMeeting && form.text("cancel_probation") == "1"
            // DEV-20: one entry per excluded member, by reason.
            for reason in VoteExclusion.allCases {
                let n = int("excluded_\(reason.rawValue)", "不计入应到人数（\(reason.displayName)）") ?? 0
                if n < 0 || n > 500 {
                    problems.append("“不计入应到人数（\(reason.displayName)）”应在 0–500 之间")
                } else {
                    facts.excluded += Array(repeating: reason, count: n)
                }
            }
            facts.exclusionsApproved = form.text("exclusions_approved") == "1"
        }
        if step == .approvalTalk {
            let talker = form.text("talker").trimmed
            facts.people = talker.isEmpty ? [] : [(talker, true)]
            facts.talkerRole = ApprovalTalker(rawValue: form.text("talker_role"))
        }
        if !form.text("leaving_on").isEmpty {
            facts.leavingOn = CivilDate.parseLenient(form.text("leaving_on"))
            if facts.leavingOn == nil { problems.append("“预计离开工作、学习单位日期”无法识别，请写成 2026-03-28") }
        }
        if !form.text("form_number").isEmpty { facts.formNumber = form.text("form_number") }
        if !form.text("publicity_start").isEmpty {
            facts.publicityStart = CivilDate.parseLenient(form.text("publicity_start"))
            if facts.publicityStart == nil { problems.append("“公示开始日期”无法识别，请写成 2026-03-28") }
        }
        self.facts = facts
        self.problems = problems
    }
}
