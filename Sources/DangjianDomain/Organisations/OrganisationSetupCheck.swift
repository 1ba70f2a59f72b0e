/// Setup-rule warnings for an organisation given its roster (组织设置提醒, rules.md §3.1). They are warnings for the
/// people who decide, never automatic changes; each names its rule.
public enum OrganisationSetupCheck {
    public struct Warning: Sendable, Equatable {
        public var ruleID: String
        public var message: String

        public var fullMessage: String { "\(message)（\(ruleID)）" }
    }

    /// Warnings for an organisation of `type` with `total` members on the roster, `full` of them full members.
    /// - Parameters:
    ///   - committee: the people on the current committee (班子成员 of the latest term still in post), nil when no
    ///     term is recorded.
    ///   - units: how many units (单位) the organisation covers.
    ///   - established: the day the organisation was set up (its history), with `today`, for LIFE-13.
    public static func warnings(
        type: OrganisationType, total: Int, full: Int, committee: Int? = nil, units: Int = 0, established: CivilDate? = nil,
        today: CivilDate? = nil, rules: RuleBook = .national2014
    ) -> [Warning] {
        var warnings: [Warning] = []
        switch type {
        case .branch, .jointBranch:
            if total > 0 && full < rules.branchMinimumFullMembers {
                warnings.append(
                    Warning(
                        ruleID: RuleID.org01.code, message: "正式党员只有 \(full) 人，少于 \(rules.branchMinimumFullMembers) 人，一般应与邻近单位组建联合党支部（\(RuleID.org02)）"
                    ))
            }
            if total > rules.branchMaximumMembers {
                warnings.append(Warning(ruleID: RuleID.org03.code, message: "党员 \(total) 人，超过一般上限 \(rules.branchMaximumMembers) 人，可考虑分设党支部或成立党总支"))
            }
            if total >= 100 {
                warnings.append(Warning(ruleID: RuleID.org05.code, message: "党员 \(total) 人，达到 100 人，机关中一般应设立基层党委"))
            } else if total >= 50 {
                warnings.append(Warning(ruleID: RuleID.org04.code, message: "党员 \(total) 人，达到 50 人，机关中一般应设立党总支"))
            }
            let threshold = rules.committeeThresholdFullMembers
            let sizes = "\(rules.committeeMinimumSize) 至 5 人，一般不超过 \(rules.committeeMaximumSize) 人"
            if full >= threshold {
                if let committee, committee >= rules.committeeMinimumSize, committee <= rules.committeeMaximumSize {
                    // A committee of the right size is in place.
                } else if let committee {
                    warnings.append(Warning(ruleID: RuleID.org06.code, message: "正式党员 \(full) 人，应设支部委员会（\(sizes)），现有班子成员 \(committee) 人"))
                } else {
                    warnings.append(Warning(ruleID: RuleID.org06.code, message: "正式党员 \(full) 人，\(threshold) 人以上应设立支部委员会（\(sizes)）"))
                }
            } else if full > 0 {
                if let committee {
                    if committee > 2 {
                        warnings.append(
                            Warning(ruleID: RuleID.org07.code, message: "正式党员不足 \(threshold) 人，不设支部委员会，只设书记 1 人、必要时副书记 1 人，现有班子成员 \(committee) 人"))
                    }
                } else {
                    warnings.append(Warning(ruleID: RuleID.org07.code, message: "正式党员不足 \(threshold) 人，不设支部委员会，由党员大会选举书记 1 人，必要时增设副书记 1 人"))
                }
            }
            // ORG-09 (UNCONFIRMED, configurable): a committee should be fewer than half of the full members.
            if rules.committeeHalfRuleWarns, let committee, committee >= rules.committeeMinimumSize, full > 0, committee * 2 >= full {
                warnings.append(Warning(ruleID: RuleID.org09.code, message: "支委会 \(committee) 人，达到正式党员 \(full) 人的半数，支委人数一般应少于正式党员的半数"))
            }
            if type == .jointBranch && units > rules.jointBranchMaximumUnits {
                warnings.append(Warning(ruleID: RuleID.org02.code, message: "联合党支部覆盖 \(units) 个单位，一般不超过 \(rules.jointBranchMaximumUnits) 个"))
            }
        case .generalBranch:
            if total >= 100 {
                warnings.append(Warning(ruleID: RuleID.org05.code, message: "党员 \(total) 人，达到 100 人，机关中一般应设立基层党委"))
            }
        case .temporaryBranch:
            warnings.append(Warning(ruleID: RuleID.life12.code, message: "临时党支部不转接组织关系，不接收党员、不收缴党费、不进行换届选举；所在临时机构撤销时自动撤销"))
            // LIFE-13: a project or work lasting the rule book's months (6) or more should have a regular branch.
            if let established, let today, today >= established.adding(months: rules.temporaryBranchRegularMonths) {
                warnings.append(
                    Warning(
                        ruleID: RuleID.life13.code,
                        message:
                            "临时党支部自 \(established) 设立已满 \(rules.temporaryBranchRegularMonths) 个月：项目或工作持续 \(rules.temporaryBranchRegularMonths) 个月以上、具备条件的，应成立正式党支部并转接组织关系"
                    ))
            }
        default:
            break
        }
        return warnings
    }
}
