public import Foundation
public import DangjianDomain
import SQLKit

/// How a payment was made (交纳方式).
public enum DuesPaymentMethod: String, CaseIterable, Sendable {
    case cash, transfer, online

    public var displayName: String {
        switch self {
        case .cash: "现金"
        case .transfer: "银行转账"
        case .online: "网上交纳"
        }
    }
}

/// One stored payment entry (or a reversal of one).
public struct DuesPayment: Sendable, Equatable {
    public var id: Int64
    public var memberID: Int64
    public var organisationID: Int64
    public var kind: DuesEntryKind
    public var months: [DuesMonth]
    public var amount: Fen
    public var paidOn: CivilDate
    public var method: DuesPaymentMethod
    /// 收据编号: per branch and year, "2026-0001".
    public var receiptNumber: String
    public var reverses: Int64?
    public var reason: String?
    public var recordedAt: Date

    public var ledgerEntry: DuesLedgerEntry { DuesLedgerEntry(id: id, kind: kind, months: months, amount: amount, reverses: reverses) }
}

/// A payment as its receipt prints it.
public struct DuesReceipt: Sendable {
    public var payment: DuesPayment
    public var memberName: String
    public var organisationName: String
    /// The entry that reversed this one (冲正), if any.
    public var reversedBy: DuesPayment?
}

/// 党费收缴 (issue 18, item 2): recording payments checked by `DuesCollection` against the member's yearly amount
/// (DUES-09) and the months already settled, reversing them with a reason, and reading a member's payments. Entries
/// are never changed or deleted. `membersWrite` over the member's organisation to write, `membersRead` to read.
extension DuesRepository {
    /// Records `draft` for member `memberID`. Refusals name the field and rule (DUES-11/17/18 …); two clerks recording
    /// the same member-month at once settle it once and the other is refused.
    public func record(
        memberID: Int64, _ draft: DuesEntryDraft, method: DuesPaymentMethod, access: OrganisationAccess, actor: Actor
    ) async throws -> (payment: DuesPayment, notes: [String]) {
        let today = CivilDate(date: clock.now())
        let now = clock.now().epochSeconds
        let rules = try await ruleBook(on: today).duesCollection
        return try await database.write { db in
            guard let member = try await MemberRepository.find(memberID, access: access, db: db) else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            // One payment at a time per branch: the receipt number and the settled months are read and written under
            // the branch's row lock (PostgreSQL; SQLite writes one transaction at a time).
            if database.dialect == .postgres {
                _ = try await db.raw("SELECT id FROM organisations WHERE id = \(bind: member.organisationID) FOR UPDATE").all()
            }
            // The monthly amount of the months' year (DUES-09: fixed for the calendar year).
            let yearOfMonths = draft.months.first?.year ?? draft.paidOn.year
            if Set(draft.months.map(\.year)).count > 1 {
                throw ValidationFailure(field: "months", message: "跨年度的月份请按年度分笔登记（每年的党费标准可能不同）", ruleID: RuleID.dues09.code)
            }
            guard
                let base = try await db.raw(
                    "SELECT monthly_fen FROM dues_bases WHERE member_id = \(bind: memberID) AND year = \(bind: yearOfMonths)"
                ).first(), let monthly = Fen(try base.value("monthly_fen", Int64.self))
            else {
                throw ValidationFailure(
                    field: "months", message: "\(member.name) 的 \(yearOfMonths) 年党费基数尚未核定，请先在党费页面设定", ruleID: RuleID.dues09.code)
            }
            let settled = try await Self.settledMonths(memberID, db: db)
            // 减免 only under an application the higher committee approved for these months, at its amount (DUES-07/18):
            // read here, never taken from the form.
            var draft = draft
            draft.reductionApproved = false
            draft.reducedMonthly = nil
            if draft.kind == .reduction,
                let approved = try await Self.reductions(memberID: memberID, db: db).first(where: { $0.covers(draft.months) })
            {
                draft.reductionApproved = true
                draft.reducedMonthly = approved.monthly
            }
            // Each month's own amount (DUES-09: mid-year changes, when the rule book allows them), and for a 差额补交 what
            // each month paid at a lower amount still owes — its entries' attribution, a 减免 month owing nothing.
            let amounts = try await Self.monthlyAmounts(memberID, year: yearOfMonths, db: db)
            var owed: [DuesMonth: Int64]?
            if draft.kind == .difference {
                let entries = try await db.raw("SELECT * FROM dues_payments WHERE member_id = \(bind: memberID) ORDER BY id").all().map(
                    Self.decodePayment)
                let reversed = Set(entries.compactMap(\.reverses))
                let reduced = Set(entries.filter { $0.kind == .reduction && $0.reverses == nil && !reversed.contains($0.id) }.flatMap(\.months))
                let paid = DuesCollection.attribution(entries.map(\.ledgerEntry)) { _ in .latest }
                owed = Dictionary(
                    uniqueKeysWithValues: draft.months.map { m in (m, reduced.contains(m) ? 0 : (amounts[m] ?? monthly).value - (paid[m] ?? 0)) })
            }
            let notes: [String]
            switch DuesCollection.check(
                draft, monthly: monthly, settled: settled, today: today, rules: rules, monthlyFor: { amounts[$0] ?? monthly }, differenceDue: owed)
            {
            case .success(let n): notes = n
            case .failure(let problems): throw problems
            }
            let receipt = try await Self.nextReceipt(organisationID: member.organisationID, year: draft.paidOn.year, db: db)
            let id = try await db.insertReturningID(
                """
                INSERT INTO dues_payments (member_id, organisation_id, kind, months, amount_fen, paid_on, method, receipt_no, recorded_by, recorded_at)
                VALUES (\(bind: memberID), \(bind: member.organisationID), \(bind: draft.kind.rawValue), \(bind: draft.months.sorted().map(\.code).joined(separator: ",")),
                    \(bind: draft.amount.value), \(bind: draft.paidOn.description), \(bind: method.rawValue), \(bind: receipt), \(bind: actor.userID), \(bind: now))
                """)
            if draft.kind.settlesMonths {
                for m in draft.months.sorted() {
                    let inserted = try await db.raw(
                        """
                        INSERT INTO dues_settlements (member_id, month, payment_id) VALUES (\(bind: memberID), \(bind: m.code), \(bind: id))
                        ON CONFLICT (member_id, month) DO NOTHING RETURNING payment_id
                        """
                    ).first()
                    // Another clerk settled it a moment ago: nothing of this entry is kept (the transaction rolls back).
                    guard inserted != nil else {
                        throw ValidationFailure(field: "months", message: "\(m)的党费刚刚已由他人登记，本次未保存", ruleID: RuleID.dues11.code)
                    }
                }
            }
            try await audit.append(
                AuditEvent(
                    action: .create, objectType: "dues_payment", objectID: String(id), organisationID: member.organisationID,
                    summary:
                        "登记党费：\(member.name)，\(draft.kind.displayName)\(draft.months.isEmpty ? "" : "（\(draft.months.sorted().map(\.description).joined(separator: "、"))）")，\(draft.amount) 元，收据 \(receipt)"
                ),
                by: actor, in: db, dialect: database.dialect)
            return (try await Self.payment(id, db: db).required("payment", id), notes)
        }
    }

    /// Reverses payment `paymentID` (冲正) with a reason: a new entry naming it; its months are open again.
    public func reverse(paymentID: Int64, reason: String, access: OrganisationAccess, actor: Actor) async throws -> DuesPayment {
        let why = reason.trimmed
        guard !why.isEmpty, why.count <= 200 else {
            throw ValidationFailure(field: "reason", message: "冲正须写明原因（不超过 200 个字）", ruleID: RuleID.dues17.code)
        }
        let now = clock.now().epochSeconds
        return try await database.write { db in
            guard let original = try await Self.payment(paymentID, db: db),
                try await MemberRepository.find(original.memberID, access: access, db: db) != nil
            else { throw RecordNotFound(objectType: "dues_payment", objectID: String(paymentID)) }
            if database.dialect == .postgres {
                _ = try await db.raw("SELECT id FROM organisations WHERE id = \(bind: original.organisationID) FOR UPDATE").all()
            }
            guard original.reverses == nil else { throw ValidationFailure(field: "payment", message: "冲正记录不能再冲正", ruleID: RuleID.dues17.code) }
            if try await db.raw("SELECT id FROM dues_payments WHERE reverses_id = \(bind: paymentID)").first() != nil {
                throw ValidationFailure(field: "payment", message: "收据 \(original.receiptNumber) 已冲正过", ruleID: RuleID.dues17.code)
            }
            let receipt = try await Self.nextReceipt(organisationID: original.organisationID, year: CivilDate(date: clock.now()).year, db: db)
            let id = try await db.insertReturningID(
                """
                INSERT INTO dues_payments (member_id, organisation_id, kind, months, amount_fen, paid_on, method, receipt_no, reverses_id, reason, recorded_by, recorded_at)
                VALUES (\(bind: original.memberID), \(bind: original.organisationID), \(bind: original.kind.rawValue), \(bind: original.months.map(\.code).joined(separator: ",")),
                    \(bind: original.amount.value), \(bind: CivilDate(date: clock.now()).description), \(bind: original.method.rawValue), \(bind: receipt),
                    \(bind: paymentID), \(bind: why), \(bind: actor.userID), \(bind: now))
                """)
            try await db.raw("DELETE FROM dues_settlements WHERE payment_id = \(bind: paymentID)").run()
            try await audit.append(
                AuditEvent(
                    action: .update, objectType: "dues_payment", objectID: String(paymentID), organisationID: original.organisationID,
                    summary: "冲正党费收据 \(original.receiptNumber)（\(original.amount) 元），原因：\(why)；冲正记录 \(receipt)"),
                by: actor, in: db, dialect: database.dialect)
            return try await Self.payment(id, db: db).required("payment", id)
        }
    }

    /// Member `memberID`'s entries, oldest first, and the months they settle.
    public func payments(memberID: Int64, access: OrganisationAccess) async throws -> (entries: [DuesPayment], settled: Set<DuesMonth>) {
        try await database.read { db in
            guard try await MemberRepository.find(memberID, access: access, db: db) != nil else {
                throw RecordNotFound(objectType: "member", objectID: String(memberID))
            }
            let entries = try await db.raw("SELECT * FROM dues_payments WHERE member_id = \(bind: memberID) ORDER BY id").all().map(
                Self.decodePayment)
            let settled = try await Self.settledMonths(memberID, db: db)
            return (entries, settled)
        }
    }

    /// Payment `paymentID` with the member's and organisation's names and, when it was reversed, the reversal —
    /// inside `access` (nil when out of reach).
    public func receipt(paymentID: Int64, access: OrganisationAccess) async throws -> DuesReceipt? {
        try await database.read { db in
            guard let payment = try await Self.payment(paymentID, db: db),
                let member = try await MemberRepository.find(payment.memberID, access: access, db: db),
                let org = try await OrganisationRepository.find(payment.organisationID, access: .maintenance, db: db)
            else { return nil }
            let reversal = try await db.raw("SELECT * FROM dues_payments WHERE reverses_id = \(bind: paymentID)").first().map(Self.decodePayment)
            return DuesReceipt(payment: payment, memberName: member.name, organisationName: org.name, reversedBy: reversal)
        }
    }

    /// The months member `memberID` has settled (the `dues_settlements` index kept with the entries).
    static func settledMonths(_ memberID: Int64, db: any SQLDatabase) async throws -> Set<DuesMonth> {
        Set(
            try await db.raw("SELECT month FROM dues_settlements WHERE member_id = \(bind: memberID)").all()
                .compactMap { DuesMonth.parse(try $0.value("month", String.self)) })
    }

    static func nextReceipt(organisationID: Int64, year: Int, db: any SQLDatabase) async throws -> String {
        let count =
            try await db.raw(
                "SELECT COUNT(*) AS n FROM dues_payments WHERE organisation_id = \(bind: organisationID) AND receipt_no LIKE \(bind: "\(year)-%")"
            ).first()?.value("n", Int.self) ?? 0
        let n = String(count + 1)
        return "\(year)-\(String(repeating: "0", count: max(0, 4 - n.count)))\(n)"
    }

    static func payment(_ id: Int64, db: any SQLDatabase) async throws -> DuesPayment? {
        try await db.raw("SELECT * FROM dues_payments WHERE id = \(bind: id)").first().map(decodePayment)
    }

    static func decodePayment(_ r: any SQLRow) throws -> DuesPayment {
        DuesPayment(
            id: try r.value("id"), memberID: try r.value("member_id"), organisationID: try r.value("organisation_id"),
            kind: DuesEntryKind(rawValue: try r.value("kind")) ?? .regular,
            months: (try r.value("months", String.self)).split(separator: ",").compactMap { DuesMonth.parse(String($0)) },
            amount: Fen(clamping: try r.value("amount_fen", Int64.self)), paidOn: try r.date("paid_on"),
            method: DuesPaymentMethod(rawValue: try r.value("method")) ?? .cash, receiptNumber: try r.value("receipt_no"),
            reverses: try r.optional("reverses_id"), reason: try r.optional("reason"),
            recordedAt: Date(epochSeconds: try r.value("recorded_at")))
    }
}
