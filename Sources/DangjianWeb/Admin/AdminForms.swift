import DangjianDomain
import DangjianStore

// The forms of the administration pages (accounts, roles, the security policy, the rule book, the holiday calendar),
// parsed by `FormReader`.

/// POST /admin/users: a new account (the one-time password is generated).
struct NewUserForm {
    var username: String
    var displayName: String
    var organisationID: Int64?

    init(_ form: FormData) {
        let reader = FormReader(form)
        username = reader.text("username")
        displayName = reader.text("display_name")
        organisationID = reader.id("organisation_id")
    }
}

/// POST /admin/users/{id}/roles: a role on an organisation, with its reach.
struct RoleGrantForm {
    var role: Role
    var organisationID: Int64?
    var scope: OrganisationScope?

    init(_ form: FormData) throws(ValidationFailure) {
        let reader = FormReader(form)
        guard let role = reader.choice("role", Role.self) else { throw ValidationFailure(field: "role", message: "请选择角色") }
        self.role = role
        organisationID = reader.id("organisation_id")
        scope = reader.choice("scope", OrganisationScope.self)
    }
}

/// POST /admin/policy: the password, lockout and session policy. A field left out keeps the value in force; the
/// two that may be switched off (password age, lockout duration) are off when empty.
struct PasswordPolicyForm {
    var policy: PasswordPolicy

    init(_ form: FormData, previous: PasswordPolicy) throws(ValidationFailure) {
        var reader = FormReader(form)
        func int(_ key: String) -> Int? { reader.number(key, SettingValue.self)?.value }
        var policy = previous
        // Values are stored as typed: out-of-range ones are refused (PasswordPolicy.outOfBounds), not clamped.
        policy.minLength = int("min_length") ?? previous.minLength
        policy.minCharacterClasses = int("min_character_classes") ?? previous.minCharacterClasses
        policy.maxAgeDays = int("max_age_days")
        policy.historyCount = int("history_count") ?? previous.historyCount
        policy.lockoutThreshold = int("lockout_threshold") ?? previous.lockoutThreshold
        policy.lockoutMinutes = int("lockout_minutes")
        policy.idleTimeoutMinutes = int("idle_timeout_minutes") ?? previous.idleTimeoutMinutes
        policy.adminIdleTimeoutMinutes = int("admin_idle_timeout_minutes") ?? previous.adminIdleTimeoutMinutes
        policy.absoluteTimeoutHours = int("absolute_timeout_hours") ?? previous.absoluteTimeoutHours
        policy.secondFactorForEveryone = reader.text("second_factor_everyone") == "1"
        try reader.finish()
        self.policy = policy
    }
}

/// POST /admin/holidays: a year's 法定节假日/调休 calendar, one line per range (DEV-17's working days).
struct HolidayCalendarForm {
    var year: Int?
    var text: String

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        year = reader.number("year", CalendarYear.self)?.value
        text = reader.raw("calendar")
        try reader.finish()
    }
}

/// POST /admin/rules: a new dated version of the rule book over the one in force; a parameter not sent keeps its
/// value. The draft is kept with its problems so the page shows what was typed.
struct RuleBookForm {
    var book: RuleBook
    var problems: [ValidationFailure] = []

    init(_ form: FormData, current: RuleBook) {
        let reader = FormReader(form)
        var book = current
        book.version = reader.text("version")
        if let date = CivilDate.parseLenient(reader.text("effective_from")) {
            book.effectiveFrom = date
        } else {
            problems.append(ValidationFailure(field: "effective_from", message: "请填写生效日期，如 2027-01-01", ruleID: "RULES"))
        }
        for p in RuleBookController.integerParameters where form[p.field] != nil {
            if let v = try? SettingValue.parse(reader.text(p.field), field: p.field) {
                book[keyPath: p.path] = v.value
            } else {
                problems.append(
                    ValidationFailure(
                        field: p.field, message: "“\(p.label)”应填 \(SettingValue.bounds.lowerBound)–\(SettingValue.bounds.upperBound) 之间的整数",
                        ruleID: p.rule))
            }
        }
        book.committeeHalfRuleWarns = reader.text("committee_half_rule_warns") == "1"
        book.gradeProbationaryMembers = reader.text("grade_probationary_members") == "1"
        book.politicalBirthdayAnchor =
            reader.choice("political_birthday_anchor", RuleBook.PoliticalBirthdayAnchor.self) ?? book.politicalBirthdayAnchor
        if form["leading_cadre_posts"] != nil {
            book.leadingCadrePosts = reader.text("leading_cadre_posts").split(whereSeparator: { $0.isNewline || $0 == "、" || $0 == "，" || $0 == "," })
                .map { String($0).trimmed }.filter { !$0.isEmpty }
        }
        if form["political_review_negative_list"] != nil {
            book.politicalReviewNegativeList = reader.text("political_review_negative_list").split(whereSeparator: \.isNewline)
                .map { String($0).trimmed }.filter { !$0.isEmpty }
        }
        for p in RuleBookController.pointParameters where form[p.field] != nil {
            if let v = Points.parse(reader.text(p.field)), v.tenths >= 0 {
                book[keyPath: p.path] = v.tenths
            } else {
                problems.append(ValidationFailure(field: p.field, message: "“\(p.label)”应填不小于 0 的分数，最多一位小数，如 0.5", ruleID: p.rule))
            }
        }
        for p in EvaluationParameters.fields where form[p.field] != nil {
            let text = reader.text(p.field)
            switch p.unit {
            case .count:
                if let v = Int(text.trimmed), (0...1_000_000).contains(v) {
                    book.evaluation[keyPath: p.path] = v
                } else {
                    problems.append(ValidationFailure(field: p.field, message: "“\(p.label)”应填整数", ruleID: p.rule.code))
                }
            case .points:
                if let v = Score.parse(text), v >= .zero {
                    book.evaluation[keyPath: p.path] = Int(v.hundredths)
                } else {
                    problems.append(ValidationFailure(field: p.field, message: "“\(p.label)”应填不小于 0 的分数，最多两位小数", ruleID: p.rule.code))
                }
            }
        }
        if form["eval_base_total"] != nil { book.evaluation.voidUniformSheets = reader.text("eval_void_uniform_sheets") == "1" }
        book.duesMidyearChanges = reader.text("dues_midyear_changes") == "1"
        book.duesRounding = reader.choice("dues_rounding", DuesRounding.self) ?? book.duesRounding
        book.duesBranchRemitPeriod = reader.choice("dues_branch_remit_period", DuesRemitPeriod.self) ?? book.duesBranchRemitPeriod
        book.duesCommitteeRemitPeriod = reader.choice("dues_committee_remit_period", DuesRemitPeriod.self) ?? book.duesCommitteeRemitPeriod
        if form["dues_base_exclusions"] != nil {
            book.duesBaseExclusions = reader.text("dues_base_exclusions").split(whereSeparator: {
                $0.isNewline || $0 == "、" || $0 == "，" || $0 == ","
            })
            .map { String($0).trimmed }.filter { !$0.isEmpty }
        }
        book.assessmentCategories = reader.text("assessment_categories")
            .split(whereSeparator: { $0 == "、" || $0 == "," || $0 == "，" || $0.isNewline }).map { String($0).trimmed }
        self.book = book
    }
}
