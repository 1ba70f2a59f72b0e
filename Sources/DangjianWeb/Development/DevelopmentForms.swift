import DangjianDomain

// The forms of 发展党员 (slug `development`) besides a step's facts (`StepForm`), parsed by `FormReader`; the rules
// (DEV-xx, DEVPLAN-xx, DEVSTEP-xx) are the Domain's.

/// POST /development: opening a case for an applicant (入党申请人).
struct NewCaseForm {
    var applicantName: String
    var idNumber: String
    var organisationID: Int64?

    init(_ form: FormData) {
        let reader = FormReader(form)
        applicantName = reader.text("applicant_name")
        idNumber = reader.text("id_number")
        organisationID = reader.id("org")
    }
}

/// POST /development/forms: a run of 入党志愿书 numbers issued to an organisation (DEV-34).
struct FormNumbersIssueForm {
    var first: String
    /// Zero when not given (the Domain refuses it).
    var count: Int
    var organisationID: Int64?
    /// Today when not given or unreadable, as the page always did.
    var issuedOn: CivilDate?

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        first = reader.text("first")
        count = reader.number("count", Quantity.self)?.value ?? 0
        organisationID = reader.id("org")
        issuedOn = CivilDate.parseLenient(reader.text("issued_on"))
        try reader.finish()
    }
}

/// POST /development/forms/void: voiding one 入党志愿书 number, with the reason (DEV-34).
struct FormNumberVoidForm {
    var number: String
    var reason: String

    init(_ form: FormData) {
        let reader = FormReader(form)
        number = reader.text("number")
        reason = reader.text("reason")
    }
}

/// POST /development/targets: a year's development target of an organisation (DEVPLAN-01).
struct DevelopmentTargetForm {
    var year: Int
    var target: Int
    var organisationID: Int64
    /// The organisation whose annual plan the page shows afterwards.
    var planOrganisationID: Int64
    var note: String

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        year = reader.number("year", CalendarYear.self)?.value ?? 0
        let target = reader.number("target", Quantity.self)?.value
        try reader.finish()
        guard let target else { throw ValidationFailure(field: "target", message: "计划发展人数应填整数", ruleID: RuleID.devplan01.code) }
        self.target = target
        organisationID = reader.id("target_org") ?? 0
        planOrganisationID = reader.id("org") ?? 0
        note = reader.text("note")
    }
}

/// POST /development/batch: one step on one date for several cases (批量办理, all or nothing).
struct BatchStepForm {
    var record: StepRecord
    var caseIDs: [Int64]
    var organisationID: Int64

    /// The message when the step or the date is missing.
    static let missing = "请选择要批量办理的步骤并填写日期（如 2026-03-28）"

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let step = DevelopmentStep(rawValue: reader.number("step", Quantity.self)?.value ?? 0)
        var facts = StepFacts()
        facts.trainingDays = reader.number("training_days", DayCount.self)?.value ?? 0
        facts.trainingHours = reader.number("training_hours", Quantity.self)?.value ?? 0
        try reader.finish()
        guard let step, let date = CivilDate.parseLenient(reader.text("date")) else {
            throw ValidationFailure(field: "date", message: Self.missing)
        }
        record = StepRecord(step: step, date: date, facts: facts)
        caseIDs = reader.ids("case")
        organisationID = reader.id("org") ?? 0
    }
}

/// POST /development/{id}/steps: what is posted around a step's facts — recording the next step or correcting the
/// last (`mode=correct`, with a reason), the date, the remark.
struct StepEntryForm {
    var correcting: Bool
    var date: CivilDate?
    var reason: String
    var remark: String

    init(_ form: FormData) {
        let reader = FormReader(form)
        correcting = reader.text("mode") == "correct"
        date = CivilDate.parseLenient(reader.text("date"))
        reason = reader.text("reason")
        remark = reader.text("remark")
    }
}
