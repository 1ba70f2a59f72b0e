import DangjianDomain
import DangjianStore

// The forms of 党员名册 (slug `members`) beyond the member's own fields (`MemberField`, read by
// `MemberForm`, below): 流动党员活动证 and 组织关系转接, parsed by `FormReader`.

/// POST /members/{id}/floating: a floating-member certificate (流动党员活动证, MEM-03).
struct FloatingCertificateForm {
    var number: String
    var issuedOn: CivilDate
    var validUntil: CivilDate
    var reason: String
    var destination: String

    init(_ form: FormData) throws(ValidationFailure) {
        let reader = FormReader(form)
        guard let issued = CivilDate.parseLenient(reader.text("issued_on")) else {
            throw ValidationFailure(field: "issued_on", message: "请填写发证日期，如 2026-03-01", ruleID: RuleID.mem03.code)
        }
        guard let until = CivilDate.parseLenient(reader.text("valid_until")) else {
            throw ValidationFailure(field: "valid_until", message: "请填写有效期至，如 2026-08-31", ruleID: RuleID.mem03.code)
        }
        (issuedOn, validUntil) = (issued, until)
        number = reader.text("certificate_no")
        reason = reader.text("reason")
        destination = reader.text("destination")
    }
}

/// POST /floating/{id}/return: the day a certificate was taken back; today when not given.
struct CertificateReturnForm {
    var returnedOn: CivilDate?

    init(_ form: FormData) throws(ValidationFailure) {
        let text = FormReader(form).text("returned_on")
        if text.isEmpty { returnedOn = nil; return }
        guard let date = CivilDate.parseLenient(text) else {
            throw ValidationFailure(field: "returned_on", message: "收回日期无法识别，请写成 2026-03-01")
        }
        returnedOn = date
    }
}

/// POST /members/{id}/transfer: a transfer letter (组织关系介绍信) inside the system (to an organisation named by
/// its name or short name, looked up by the handler) or out of it (to a name), with the month dues are paid to.
struct TransferForm {
    var internalOrganisationName: String?
    var externalName: String?
    var validDays: Int
    /// (year, month); zeros when not given (the Domain refuses it with MEM-05).
    var duesPaidUntil: (Int, Int)
    /// 跨省转出 (MEM-05/06).
    var crossProvince: Bool

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        crossProvince = reader.text("cross_province") == "1"
        if reader.text("kind") == "internal" {
            internalOrganisationName = reader.text("to_org_name")
        } else {
            externalName = reader.text("to_name")
        }
        validDays = reader.number("valid_days", DayCount.self)?.value ?? 90
        try reader.finish()
        let parts = reader.text("dues_paid_until").split(whereSeparator: { $0 == "-" || $0 == "." || $0 == "年" || $0 == "月" })
        let year = try CalendarYear.parse(parts.first.map(String.init) ?? "", field: "dues_paid_until")?.value
        let month = try MonthOfYear.parse(parts.dropFirst().first.map(String.init) ?? "", field: "dues_paid_until")?.value
        duesPaidUntil = (year ?? 0, year == nil ? 0 : month ?? 0)
    }
}

/// POST /members and /members/{id}: the member's fields (the `MemberField` table), the record's version and, for a
/// new member, the organisation.
struct MemberForm {
    var draft: MemberDraft
    /// Nil when not posted (an edit then fails as stale).
    var version: Int64?
    var organisationID: Int64?

    init(_ form: FormData) {
        let reader = FormReader(form)
        var draft = MemberDraft()
        for field in MemberField.allCases { if let path = field.draft { draft[keyPath: path] = reader.text(field.key) } }
        self.draft = draft
        version = reader.id("version")
        organisationID = reader.id(MemberField.organisation.key)
    }
}

/// Small single-purpose forms of the roster: a lookup by ID or phone number, linking an account by its login name,
/// revealing one sensitive field, deciding an unmasked-export request.
struct MemberLookupForm {
    var number: String
    init(_ form: FormData) { number = FormReader(form).text("number") }
}

struct AccountLinkForm {
    var username: String
    /// 姓名不一致，已核实是本人 (issue 17 item 9).
    var confirmsNameDifference: Bool
    init(_ form: FormData) {
        let reader = FormReader(form)
        username = reader.text("username")
        confirmsNameDifference = reader.text("confirm_name") == "1"
    }
}

struct RevealForm {
    var field: SensitiveField
    init(_ form: FormData) throws(ValidationFailure) {
        guard let field = FormReader(form).choice("field", SensitiveField.self) else {
            throw ValidationFailure(field: "field", message: "要查看的字段无效")
        }
        self.field = field
    }
}

struct ExportDecisionForm {
    var note: String
    init(_ form: FormData) { note = FormReader(form).text("note") }
}
