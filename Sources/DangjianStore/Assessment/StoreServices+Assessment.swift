import DangjianDomain

extension StoreServices {
    /// 考评验收: the capability's part of the one graph.
    public var assessment: AssessmentRepository { AssessmentRepository(database: database, audit: audit, clock: clock, problems: problems) }
}
