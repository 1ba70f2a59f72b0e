import Hummingbird
import HTTPTypes
import Foundation
import NIOCore
import Crypto
import DangjianDomain
import DangjianStore
import DangjianOffice

/// A member's page (facts, rule notes, certificates) and the add/edit form.
extension MemberController {
    /// GET /members/{id}: the member's record (sensitive fields masked unless just revealed), the rule notes that
    /// apply, the 流动党员活动证 register and the link to the development case.
    func detailPage(_ request: Request, _ context: AppRequestContext, revealed: (SensitiveField, String)?) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersRead)
        guard let m = try await services.members.find(id, access: access) else { throw RecordNotFound(objectType: "member", objectID: String(id)) }
        let org = try await services.organisations.find(m.organisationID, access: .maintenance)
        let today = CivilDate(date: services.clock.now())
        let principal = context.identity?.principal
        let canReveal =
            principal?.access(for: .personalDataReveal).covers(path: org?.path ?? MaterialisedPath.root(id: 0), parentID: org?.parentID) ?? false
        var facts = Self.facts(of: m, organisation: org, canReveal: canReveal, revealed: revealed, today: today)
        let certificates = try await services.floating.certificates(
            ofMember: m.id, access: principal?.access(for: .membersRead) ?? OrganisationAccess(permission: .membersRead, reaches: []))
        let notes = try await ruleNotes(of: m, certificates: certificates, today: today)
        // 民主评议 grades fixed in past years (LIFE-08).
        let grades = try await services.evaluations.grades(ofMember: m.id)
        if !grades.isEmpty {
            facts.append(
                Fact(
                    label: "民主评议", value: grades.prefix(5).map { "\($0.year)年 \($0.grade.displayName)" }.joined(separator: "；"), revealField: nil,
                    revealed: false))
        }
        let write = principal?.access(for: .membersWrite)
        let model = DetailModel(
            id: m.id, name: m.name, organisation: org?.name ?? "", facts: facts, notes: notes,
            canEdit: (org.map { write?.covers(path: $0.path, parentID: $0.parentID) ?? false } ?? false), canReveal: canReveal,
            certificates: certificates.map { Self.certificateRow($0, today: today) },
            hasCertificates: !certificates.isEmpty, today: today.description,
            developmentCaseID: try await services.development.caseID(ofMember: m.id))
        return services.renderer.page("members/detail", title: m.name, model: model, context: context, request: request)
    }

    /// The record's facts in the page's order; a sensitive field shows its mask unless it was just revealed.
    static func facts(
        of m: MemberRecord, organisation org: Organisation?, canReveal: Bool, revealed: (SensitiveField, String)?, today: CivilDate
    ) -> [Fact] {
        func shown(_ field: SensitiveField, masked: String) -> (String, Bool) {
            if let revealed, revealed.0 == field { return (revealed.1, true) }
            return (masked, false)
        }
        let idShown = shown(.idNumber, masked: m.idNumberMasked)
        let phoneShown = shown(.phone, masked: m.phoneMasked ?? "（未登记）")
        let addressShown = shown(.address, masked: m.hasAddress ? "已登记（隐藏）" : "（未登记）")
        var facts: [Fact] = [
            Fact(label: "所在组织", value: org?.name ?? "", revealField: nil, revealed: false),
            Fact(label: "性别", value: m.gender.displayName, revealField: nil, revealed: false),
            // The day of birth only to whom may reveal this member's ID number anyway (issue 15, H5): with it the masked
            // number leaves the sequence digits, not the county, unknown.
            Fact(
                label: canReveal ? "出生日期" : "出生年月",
                value: "\(canReveal ? m.birthDate.description : Masking.birthMonth(m.birthDate))（\(m.age(on: today))岁）",
                revealField: nil, revealed: false),
            Fact(label: "身份证号", value: idShown.0, revealField: idShown.1 ? nil : SensitiveField.idNumber.rawValue, revealed: idShown.1),
            Fact(label: "民族", value: m.ethnicity ?? "—", revealField: nil, revealed: false),
            Fact(label: "籍贯", value: m.nativePlace ?? "—", revealField: nil, revealed: false),
            Fact(label: "学历", value: m.education?.displayName ?? "—", revealField: nil, revealed: false),
            Fact(label: "人员类别", value: m.personnelCategory.displayName, revealField: nil, revealed: false),
            Fact(label: "党员身份", value: m.partyStatus.displayName, revealField: nil, revealed: false),
            Fact(label: "党籍状态", value: m.membershipState.displayName, revealField: nil, revealed: false),
            Fact(label: "入党日期", value: m.joinDate.description, revealField: nil, revealed: false),
            Fact(label: "转正日期", value: m.fullMemberDate?.description ?? "—", revealField: nil, revealed: false),
            Fact(
                label: "党龄", value: m.partyStanding(on: today).map { "\($0) 年（自转正之日起算，\(RuleID.dev32)）" } ?? "预备党员不计党龄（\(RuleID.dev32)）",
                revealField: nil, revealed: false),
            Fact(label: "工作单位", value: m.workUnit ?? "—", revealField: nil, revealed: false),
            Fact(label: "职务", value: m.post ?? "—", revealField: nil, revealed: false),
            Fact(
                label: "手机号", value: phoneShown.0, revealField: (phoneShown.1 || m.phoneMasked == nil) ? nil : SensitiveField.phone.rawValue,
                revealed: phoneShown.1),
            Fact(
                label: "家庭住址", value: addressShown.0, revealField: (addressShown.1 || !m.hasAddress) ? nil : SensitiveField.address.rawValue,
                revealed: addressShown.1),
        ]
        if m.isFloating { facts.append(Fact(label: "流动党员", value: "是，流入地：\(m.floatingDestination ?? "")", revealField: nil, revealed: false)) }
        if let reason = m.lostContactReason {
            facts.append(
                Fact(
                    label: "失联情况", value: "\(reason.displayName)，自 \(m.lostContactSince?.description ?? "?")（\(RuleID.mem07)）", revealField: nil,
                    revealed: false))
        }
        return facts
    }

    /// The notes the rules attach to this member today: probation (DEV-27/28), the 50-year medal (CARE-01), the
    /// political birthday (CARE-04) and the floating certificates (MEM-02/03).
    func ruleNotes(of m: MemberRecord, certificates: [FloatingCertificate], today: CivilDate) async throws -> [String] {
        var notes: [String] = []
        let rules = try await services.rules.inForce()
        if m.partyStatus == .probationary {
            let end = m.joinDate.adding(years: rules.probationYears)
            notes.append(end <= today ? "预备期已于 \(end) 期满，请及时讨论转正（\(RuleID.dev28)）" : "预备期至 \(end) 期满（\(RuleID.dev27)）")
        }
        if m.medalEligible(in: today.year, rules: rules) {
            notes.append("符合“光荣在党50年”纪念章颁发条件（\(RuleID.care01)）")
        } else if m.medalEligible(in: today.year + 1, rules: rules) {
            notes.append("明年 7 月 1 日前党龄满 50 年，可列入“光荣在党50年”纪念章名单（\(RuleID.care01)）")
        }
        let anchor = rules.politicalBirthdayAnchor == .admission ? m.joinDate : m.fullMemberDate
        if let anchor {
            notes.append(
                "政治生日：每年 \(anchor.month) 月 \(anchor.day) 日（按\(rules.politicalBirthdayAnchor == .admission ? "入党" : "转正")日期，\(RuleID.care04)）")
        }
        // MEM-02 reminder when a certificate covers a long absence; MEM-03 when one is overdue.
        for c in certificates where c.returnedOn == nil {
            let rulesThen = try await services.rules.inForce(on: c.issuedOn)
            if c.validUntil >= c.issuedOn.adding(months: rulesThen.floatingTransferMonths) {
                notes.append("流动党员活动证 \(c.certificateNumber) 期限达 \(rulesThen.floatingTransferMonths) 个月以上；外出地点固定的，应转移正式组织关系（\(RuleID.mem02)）")
            }
            if c.status(on: today) == .expired {
                notes.append("流动党员活动证 \(c.certificateNumber) 已于 \(c.validUntil) 到期未收回，请核实去向（\(RuleID.mem03)）")
            }
        }
        return notes
    }

    /// One line of the 流动党员活动证 register (MEM-03).
    static func certificateRow(_ c: FloatingCertificate, today: CivilDate) -> CertificateRow {
        let status = c.status(on: today)
        return CertificateRow(
            id: c.id,
            text:
                "\(c.certificateNumber)：\(c.issuedOn) 发证，\(c.reason)，去向 \(c.destination)，有效期至 \(c.validUntil)，\(status.displayName)\(c.returnedOn.map { "（\($0)）" } ?? "")",
            open: status != .returned, expired: status == .expired)
    }

    func formPage(
        _ request: Request, _ context: AppRequestContext, title: String, action: String, draft d: MemberDraft,
        problems: [ValidationFailure], version: Int64, organisation: Organisation, isEdit: Bool, status: HTTPResponse.Status
    ) -> Response {
        var fields: [FormField] = [
            .text("name", "姓名", d.name, required: true),
            .text("id_number", "身份证号", isEdit ? "" : d.idNumber, required: !isEdit, hint: isEdit ? "不修改请留空（当前号码已加密保存）" : "18 位，旧的 15 位号码会自动升位"),
            .select("gender", "性别", d.gender, Gender.allCases.map { ($0.displayName, $0.displayName) }, hint: "可不填，按身份证号自动确定"),
            .date("birth_date", "出生日期", d.birthDate, hint: "可不填，按身份证号自动确定"),
            .select("ethnicity", "民族", d.ethnicity, Ethnicity.all.map { ($0, $0) }),
            .text("native_place", "籍贯", d.nativePlace),
            .select("education", "学历", d.education, Education.allCases.map { ($0.displayName, $0.displayName) }),
            .select(
                "personnel_category", "人员类别", d.personnelCategory, PersonnelCategory.allCases.map { ($0.displayName, $0.displayName) }, required: true
            ),
            .select("party_status", "党员身份", d.partyStatus, PartyStatus.allCases.reversed().map { ($0.displayName, $0.displayName) }, required: true),
            .select("membership_state", "党籍状态", d.membershipState, MembershipState.allCases.map { ($0.displayName, $0.displayName) }, required: true),
            .date("join_date", "入党日期", d.joinDate, required: true, hint: "支部大会通过接收为预备党员之日"),
            .date("full_member_date", "转正日期", d.fullMemberDate, hint: "正式党员必填；党龄从此日起算（\(RuleID.dev32)）"),
            .text("work_unit", "工作单位", d.workUnit),
            .text("post", "职务", d.post),
            .text("phone", "手机号", isEdit ? "" : d.phone, hint: isEdit ? "不修改请留空" : nil),
            .text("address", "家庭住址", isEdit ? "" : d.address, hint: isEdit ? "不修改请留空" : nil),
            .select("is_floating", "流动党员", d.isFloating, [("是", "是"), ("否", "否")]),
            .text("floating_destination", "流入地（外出去向）", d.floatingDestination),
            .select(
                "lost_contact_reason", "失联原因", d.lostContactReason, LostContactReason.allCases.map { ($0.rawValue, $0.displayName) },
                hint: "党籍状态为“失联”时必填（\(RuleID.mem07)）"),
            .date("lost_contact_since", "失联日期", d.lostContactSince),
        ]
        let unplaced = fields.attach(problems)
        let model = FormModel(
            title: title, action: action, fields: fields, errors: problems.isEmpty ? [] : ["有 \(problems.count) 处需要修改，请看标红的栏目。"] + unplaced,
            hasErrors: !problems.isEmpty, version: version, organisationName: organisation.name,
            isEdit: isEdit, cancel: isEdit ? action : MembersPaths.members + "?org=\(organisation.id)")
        return services.renderer.page("members/form", title: title, model: model, context: context, request: request, status: status)
    }

    // MARK: export and statistics

    enum ExportFormat { case csv, xlsx }
}
