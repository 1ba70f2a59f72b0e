/// MEM-04 (one person, one membership record; a member changes organisation only by 组织关系转接, and the sending
/// organisation stays responsible until the receiving one has received): the refusals, decided here from facts the
/// Store looks up. The other organisation may be outside the caller's scope, so a refusal says that a record exists,
/// never where (issue 15, L4).
public enum MembershipIdentity {
    /// Registering or correcting a member: `heldByAnotherRecord` — another record on the roster has the ID number.
    public static func registering(heldByAnotherRecord: Bool) -> ValidationFailure? {
        guard heldByAnotherRecord else { return nil }
        return ValidationFailure(
            field: "id_number", message: "该身份证号不能登记：每人只能有一条党员记录；请核实身份证号，如系组织关系转入请办理组织关系转接",
            ruleID: RuleID.mem04.code)
    }

    /// Opening a 发展党员 case: `onAnotherRoster` — someone with the ID number is on another organisation's roster, so
    /// already a Party member there (on the branch's own roster the record is linked instead, DEV-35).
    public static func openingDevelopmentCase(onAnotherRoster: Bool) -> ValidationFailure? {
        guard onAnotherRoster else { return nil }
        return ValidationFailure(
            field: "id_number", message: "该身份证号不能建立发展党员档案：请核实身份证号；如系党员组织关系转入，请办理组织关系转接",
            ruleID: RuleID.mem04.code)
    }

    /// Recording admission for a case whose applicant was found on the roster by ID number: linked only when the
    /// record is the case's own (`linkedBefore`) or on the case's branch (`onCaseBranch`).
    public static func linkingAdmission(
        applicantName: String, maskedIDNumber: String, linkedBefore: Bool, onCaseBranch: Bool
    ) -> ValidationFailure? {
        guard !linkedBefore, !onCaseBranch else { return nil }
        return ValidationFailure(
            field: "id_number", message: "\(applicantName)（\(maskedIDNumber)）已在其他党组织的党员名册中，不在本支部；请先办理组织关系转接或核实身份证号，再记录审批",
            ruleID: RuleID.mem04.code)
    }

    /// A roster-import row naming someone on a roster outside the importer's scope.
    public static let importedElsewhere = ValidationFailure(
        field: "id_number", message: "此人已在其他党组织的名册中，须通过组织关系转接调入", ruleID: RuleID.mem04.code)

    /// A roster-import row that would move an existing member to another organisation.
    public static let importMovesMember = ValidationFailure(
        field: "organisation_id", message: "此人目前在另一个党组织，变更所在组织请办理组织关系转接", ruleID: RuleID.mem04.code)

    /// The transfer letter (介绍信): valid from 1 day up to the rule book's limit — generally 90 days, 180 across
    /// provinces (MEM-05, UNCONFIRMED, configurable) — and it states the month dues are paid up to.
    public static func transferLetter(
        validDays: Int, duesPaidUntil: (year: Int, month: Int), crossProvince: Bool = false, rules: RuleBook = .national2014
    ) -> ValidationFailure? {
        let limit = crossProvince ? rules.transferLetterMaxDaysCrossProvince : rules.transferLetterMaxDays
        guard (1...limit).contains(validDays) else {
            let scope = crossProvince ? "跨省转出" : "省内（不跨省）"
            let hint = crossProvince ? "" : "；跨省转出请勾选“跨省”，上限 \(rules.transferLetterMaxDaysCrossProvince) 天"
            return ValidationFailure(
                field: "valid_days", message: "\(scope)介绍信有效期应在 1–\(limit) 天之间，填写的是 \(validDays) 天\(hint)", ruleID: RuleID.mem05.code)
        }
        guard (1...12).contains(duesPaidUntil.month), duesPaidUntil.year > 1900 else {
            return ValidationFailure(field: "dues_paid_until", message: "请填写党费交至的年月", ruleID: RuleID.mem04.code)
        }
        return nil
    }

    /// MEM-06: a transfer across provinces is made in the sending system **and** with a paper letter the member takes
    /// to the destination, whose county organisation department registers it (非建库党员转入); the receipt is recorded
    /// only once the paper letter has been printed.
    public static func confirmingReceipt(crossProvince: Bool, letterPrinted: Bool) -> ValidationFailure? {
        guard crossProvince, !letterPrinted else { return nil }
        return ValidationFailure(
            field: "letter", message: "跨省转出须同时开具纸质介绍信，由党员带往接收地：请先打印介绍信，收到回执后再登记", ruleID: RuleID.mem06.code)
    }

    /// Inside the system an organisation receives the member itself; a cross-province transfer leaves the system.
    public static func startingInternalMove(crossProvince: Bool) -> ValidationFailure? {
        guard crossProvince else { return nil }
        return ValidationFailure(
            field: "cross_province", message: "系统内转接不跨省；转往外省请选择“转出系统外”并开具纸质介绍信", ruleID: RuleID.mem06.code)
    }

    /// Starting a transfer: one pending transfer per member at a time.
    public static func startingTransfer(pendingTransfer: Bool) -> ValidationFailure? {
        guard pendingTransfer else { return nil }
        return ValidationFailure(field: "to_org_id", message: "该党员已有一笔未完成的组织关系转接", ruleID: RuleID.mem04.code)
    }

    /// Merging an organisation away while transfers from or to it are still pending.
    public static func merging(pendingTransfers: Int) -> ValidationFailure? {
        guard pendingTransfers > 0 else { return nil }
        return ValidationFailure(
            field: "target_id", message: "本组织还有 \(pendingTransfers) 件组织关系转接未办结，请先办结再合并", ruleID: RuleID.mem04.code)
    }
}
