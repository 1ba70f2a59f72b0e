import DangjianDomain

extension StoreServices {
    /// 述职评议: the capability's part of the one graph.
    public var review: ReviewRepository { ReviewRepository(database: database, audit: audit, clock: clock, keyring: keyring, problems: problems) }
}
