import DangjianDomain

extension StoreServices {
    /// 党费: the capability's part of the one graph.
    public var dues: DuesRepository { DuesRepository(database: database, audit: audit, clock: clock) }
    /// 党费基数 from the payroll sheet (DUES-09/15).
    public var duesPayroll: DuesPayrollImportService { DuesPayrollImportService(database: database, keyring: keyring, audit: audit, clock: clock) }
}
