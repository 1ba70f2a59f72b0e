/// 预警等级: the red / yellow / green of the seeds' 实时质量图, lists and ledgers, as a level. The Domain says how
/// serious a state is; the pages choose its colour (`WarningLevel.cssClass` in the web layer).
public enum WarningLevel: String, Sendable, CaseIterable {
    /// Done, qualified, on target (green).
    case good
    /// Not yet due, or nothing to judge (grey).
    case neutral
    /// Due soon, behind but recoverable, basically qualified (yellow).
    case caution
    /// Done, but after its deadline (amber).
    case lateDone
    /// Overdue, unqualified, for review (red).
    case alarm
}
