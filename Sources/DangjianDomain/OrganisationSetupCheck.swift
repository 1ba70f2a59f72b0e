/// Setup-rule warnings for an organisation given its roster (组织设置提醒, rules.md §3.1). They are warnings for the
/// people who decide, never automatic changes; each names its rule.
public enum OrganisationSetupCheck {
    public struct Warning: Sendable, Equatable {
        public var ruleID: String
        public var message: String

        public var fullMessage: String { "\(message)（\(ruleID)）" }
    }

    /// Warnings for an organisation of `type` with `total` members on the roster, `full` of them full members.
    public static func warnings(type: OrganisationType, total: Int, full: Int, rules: RuleBook = .national2014) -> [Warning] {
        var warnings: [Warning] = []
        switch type {
        case .branch, .jointBranch:
            if total > 0 && full < rules.branchMinimumFullMembers {
                warnings.append(Warning(ruleID: "ORG-01", message: "正式党员只有 \(full) 人，少于 \(rules.branchMinimumFullMembers) 人，一般应与邻近单位组建联合党支部（ORG-02）"))
            }
            if total > rules.branchMaximumMembers {
                warnings.append(Warning(ruleID: "ORG-03", message: "党员 \(total) 人，超过一般上限 \(rules.branchMaximumMembers) 人，可考虑分设党支部或成立党总支"))
            }
            if total >= 100 {
                warnings.append(Warning(ruleID: "ORG-05", message: "党员 \(total) 人，达到 100 人，机关中一般应设立基层党委"))
            } else if total >= 50 {
                warnings.append(Warning(ruleID: "ORG-04", message: "党员 \(total) 人，达到 50 人，机关中一般应设立党总支"))
            }
            if full >= rules.committeeThresholdFullMembers {
                warnings.append(Warning(ruleID: "ORG-06", message: "正式党员 \(full) 人，7 人以上应设立支部委员会（3 至 5 人，一般不超过 7 人）"))
            } else if full > 0 {
                warnings.append(Warning(ruleID: "ORG-07", message: "正式党员不足 7 人，不设支部委员会，由党员大会选举书记 1 人，必要时增设副书记 1 人"))
            }
        case .generalBranch:
            if total >= 100 {
                warnings.append(Warning(ruleID: "ORG-05", message: "党员 \(total) 人，达到 100 人，机关中一般应设立基层党委"))
            }
        case .temporaryBranch:
            warnings.append(Warning(ruleID: "LIFE-12", message: "临时党支部不转接组织关系，不接收党员、不收缴党费、不进行换届选举；所在临时机构撤销时自动撤销"))
        default:
            break
        }
        return warnings
    }
}
