import DangjianDomain

extension StoreServices {
    /// 党费: the capability's part of the one graph.
    public var dues: DuesRepository { DuesRepository(database: database, audit: audit, clock: clock) }
}
