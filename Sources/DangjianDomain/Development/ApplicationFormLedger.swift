/// Where a 发展党员 case file stands: open until step 25 archives it (DEV-36: one open case per person).
public enum DevelopmentCaseStatus: String, Sendable, Codable, CaseIterable {
    case open, completed

    public var displayName: String { self == .open ? "进行中" : "已完成" }
}

/// 入党志愿书编号 (DEV-34): where a numbered form stands in the ledger.
public enum ApplicationFormStatus: String, Sendable, CaseIterable {
    case issued, used, voided
    public var displayName: String { self == .issued ? "已发放未使用" : self == .used ? "已使用" : "已作废" }
}

/// DEV-34's ledger rules: numbers issued in batches, one number per applicant used once at step 14, a lost or
/// spoiled form voided with a reason and never reused. The Store looks up the facts; these decide.
public enum ApplicationFormLedger {
    /// The numbers of a batch: `first` and the following `count - 1`, incrementing the trailing digits and keeping
    /// their width ("粤2026000123" × 3 → …123, …124, …125).
    public static func batch(first: String, count: Int) throws -> [String] {
        let first = first.trimmed
        guard !first.isEmpty, first.count <= 40, !first.contains(where: { $0.isWhitespace }) else {
            throw ValidationFailure(field: "first", message: "请填写起始编号（不含空格，不超过 40 个字符）", ruleID: RuleID.dev34.code)
        }
        guard (1...1000).contains(count) else { throw ValidationFailure(field: "count", message: "每批发放 1–1000 份", ruleID: RuleID.dev34.code) }
        let digits = String(first.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
        guard !digits.isEmpty, let start = Int(digits.suffix(15)) else {
            if count == 1 { return [first] }
            throw ValidationFailure(field: "first", message: "起始编号应以数字结尾，才能连续编号", ruleID: RuleID.dev34.code)
        }
        let prefix = String(first.dropLast(digits.count))
        return try (0..<count).map { i in
            let n = String(start + i)
            guard n.count <= digits.count else {
                throw ValidationFailure(field: "count", message: "编号超出 \(digits.count) 位数字的范围", ruleID: RuleID.dev34.code)
            }
            return prefix + String(repeating: "0", count: digits.count - n.count) + n
        }
    }

    /// 发放登记: a number already in the ledger is refused (the whole batch with it).
    public static func issueRefusal(number: String, alreadyInLedger: Bool) -> ValidationFailure? {
        guard alreadyInLedger else { return nil }
        return ValidationFailure(field: "first", message: "编号 \(number) 已在台账中（一人一号，编号不得重复）", ruleID: RuleID.dev34.code)
    }

    /// 作废 needs a reason (遗失、填错 …).
    public static func voidReasonRefusal(_ reason: String) -> ValidationFailure? {
        guard reason.isEmpty else { return nil }
        return ValidationFailure(field: "reason", message: "作废须写明原因（遗失、填错等）", ruleID: RuleID.dev34.code)
    }

    /// 作废 of `number`, whose status in the caller's part of the ledger is `status` (nil: not there).
    public static func voidRefusal(number: String, status: ApplicationFormStatus?) -> ValidationFailure? {
        switch status {
        case nil: ValidationFailure(field: "number", message: "台账中没有编号 \(number)", ruleID: RuleID.dev34.code)
        case .voided: ValidationFailure(field: "number", message: "编号 \(number) 已作废", ruleID: RuleID.dev34.code)
        case .issued, .used: nil
        }
    }

    /// 使用登记 at step 14: the number is in the ledger, issued and unused, issued to the case's organisation or one
    /// above it, and the case holds no other.
    public static func useRefusal(
        number: String, status: ApplicationFormStatus?, issuedToCaseOrganisationOrAbove: Bool, caseHoldsOne: Bool
    ) -> ValidationFailure? {
        guard !number.isEmpty else { return ValidationFailure(field: "form_number", message: "请填写入党志愿书编号", ruleID: RuleID.dev34.code) }
        guard let status else {
            return ValidationFailure(field: "form_number", message: "编号 \(number) 不在入党志愿书发放台账中", ruleID: RuleID.dev34.code)
        }
        guard status == .issued else {
            return ValidationFailure(
                field: "form_number", message: "编号 \(number) \(status.displayName)，不能使用（一人一号，作废编号不得再用）", ruleID: RuleID.dev34.code)
        }
        guard issuedToCaseOrganisationOrAbove else {
            return ValidationFailure(field: "form_number", message: "编号 \(number) 未发放给本党组织或其上级", ruleID: RuleID.dev34.code)
        }
        guard !caseHoldsOne else {
            return ValidationFailure(field: "form_number", message: "此人已使用过一份入党志愿书；遗失或填错的须先作废再换新号", ruleID: RuleID.dev34.code)
        }
        return nil
    }
}
