import ArgumentParser
import Foundation
import Hummingbird
import Logging
import DangjianDomain
import DangjianStore
import DangjianWeb

/// `dangjian` — the one binary operators use: serve, migrate, admin, backup, restore, demo, audit.
@main
struct Dangjian: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dangjian",
        abstract: "党建工作平台",
        subcommands: [Serve.self, Migrate.self, Admin.self, BackupCommand.self, RestoreCommand.self, Demo.self, Audit.self]
    )
}

extension StoreServices {
    /// The account for a login name, or a Chinese error.
    func user(named username: String) async throws -> User {
        guard let user = try await accounts.find(username: username) else { throw ValidationError("找不到登录名为 \(username) 的账户") }
        return user
    }
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "数据库：SQLite 文件路径或 postgres:// 地址（默认 data/dangjian.sqlite）")
    var databaseURL: String?

    /// Configuration from `.env`, the environment and these flags.
    func configuration() -> AppConfiguration {
        var config = AppConfiguration.load()
        if let databaseURL { config.database = .parse(databaseURL) }
        return config
    }

    /// Stops a command that works on existing data before it opens a SQLite file that is not there: opening would
    /// create an empty database and report on that (issue 17, item 15). Says which file it looked for, and where the
    /// demo's data are when they exist.
    func requireExistingDatabase(_ config: AppConfiguration) throws {
        guard case .sqlite(let path) = config.database, !FileManager.default.fileExists(atPath: path) else { return }
        var text = "找不到数据库文件 \(path)，未做任何操作，也没有创建它。请用 --database-url 指明数据库；新建数据库请先运行 dangjian migrate"
        if path != "data/demo.sqlite", FileManager.default.fileExists(atPath: "data/demo.sqlite") {
            text += "（演示数据在 data/demo.sqlite：--database-url data/demo.sqlite）"
        }
        Swift.print(text + "。")
        throw ExitCode(2)
    }

    /// The repositories a console command works with, on a migrated database that exists.
    func console(_ config: AppConfiguration) async throws -> StoreServices {
        try requireExistingDatabase(config)
        let (database, keyring) = try await open(config)
        return StoreServices(
            database: database, clock: SystemClock(), keyring: keyring, bcryptCost: config.bcryptCost,
            loginIPLimit: config.loginIPLimit)
    }

    /// Opens and migrates the database and loads the key.
    func open(_ config: AppConfiguration, migrate: Bool = true) async throws -> (Database, Keyring) {
        let database = try Database(location: config.database)
        if migrate { try await Migrator.migrate(database) }
        let keyring = try Keyring.load(base64: config.secretKey, keyFile: config.secretKeyFile)
        return (database, keyring)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "启动网页服务")
    @OptionGroup var common: CommonOptions
    @Option(help: "监听地址（默认 127.0.0.1）") var hostname: String?
    @Option(help: "端口（默认 8080）") var port: Int?
    @Flag(help: "使用演示数据（data/demo.sqlite），启动时打印各角色演示账户") var demo = false

    func run() async throws {
        var config = common.configuration()
        if let hostname { config.hostname = hostname }
        if let port { config.port = port }
        if demo && common.databaseURL == nil && ProcessInfo.processInfo.environment["DANGJIAN_DATABASE_URL"] == nil {
            config.database = .sqlite(path: "data/demo.sqlite")
        }
        Logs.bootstrap(format: config.logFormat)
        let logger = Logger(label: "dangjian")
        if !config.https && !["127.0.0.1", "localhost", "::1"].contains(config.hostname) {
            // Issue 15, L9: cookies without Secure on an address others can reach.
            let warning =
                "警告：DANGJIAN_HTTPS=false 且监听 \(config.hostname)：登录 Cookie 不带 Secure 标志，口令与会话可被窃听。请在前置的反向代理上启用 HTTPS 并设置 DANGJIAN_HTTPS=true（见 README“Running it for real”）。"
            logger.warning("\(warning)")
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }
        let (database, keyring) = try await common.open(config)
        if demo {
            let accounts = try await Demo.enrolSecondFactors(
                try await Demo.seed(database: database, keyring: keyring, config: config),
                database: database, keyring: keyring)
            Demo.print(accounts, url: "http://\(config.hostname):\(config.port)/")
        }
        let schema = try await Migrator.currentVersion(of: database)
        logger.info("数据库 \(config.database)，结构版本 \(schema)")
        let (app, services) = try await DangjianApp.buildApplication(configuration: config, database: database, keyring: keyring, logger: logger)
        let maintenance = services.store.maintenanceJob()
        let settings = services.settings
        let reminderJob = services.reminderJob
        let auditTrail = services.audit
        let anchorFile = AuditAnchorFile(path: config.auditAnchorFile)
        let housekeeping = Task {
            var lastReminders = Date.distantPast
            while !Task.isCancelled {
                do {
                    try await maintenance.runOnce(policy: try await settings.passwordPolicy(fallback: config.passwordPolicy))
                } catch {
                    logger.warning("维护任务失败：\(String(describing: type(of: error)))")
                }
                // The audit chain's head, outside the database (issue 15, M5).
                do {
                    try anchorFile.append(head: try await auditTrail.head(database: database))
                } catch {
                    logger.error("写入审计锚点失败：\(config.auditAnchorFile)")
                }
                // 待办提醒 once an hour (the lease lets one server run it; reminders are never repeated).
                if Date().timeIntervalSince(lastReminders) >= 3600 {
                    lastReminders = Date()
                    do {
                        let outcome = try await reminderJob.runOnce()
                        if outcome.ran { logger.info("提醒任务：\(outcome.users) 个账户，新提醒 \(outcome.created) 条") }
                    } catch {
                        logger.warning("提醒任务失败：\(String(describing: type(of: error)))")
                    }
                }
                try? await Task.sleep(for: .seconds(300))
            }
        }
        defer { housekeeping.cancel() }
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "升级数据库结构（只前进，不降级）")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let config = common.configuration()
        let database = try Database(location: config.database)
        let applied = try await Migrator.migrate(database)
        print(applied.isEmpty ? "数据库结构已是最新（版本 \(Migrator.knownVersion)）。" : "已应用迁移：\(applied.map(String.init).joined(separator: ", "))")
        await database.shutdown()
    }
}

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "管理员账户：创建、重置密码、重置动态口令、解锁", subcommands: [Create.self, ResetPassword.self, ResetSecondFactor.self, Unlock.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "创建管理员账户并打印一次性密码（首次登录必须修改）")
        @OptionGroup var common: CommonOptions
        @Option(help: "登录名") var username: String
        @Option(help: "姓名") var name: String
        @Option(help: "角色：system_admin（系统管理员，默认）、security_admin（安全管理员）、audit_admin（审计管理员）")
        var role: String = "system_admin"

        func run() async throws {
            guard let role = Role(rawValue: role), !role.isOrganisational else {
                throw ValidationError("角色必须是 system_admin、security_admin 或 audit_admin")
            }
            let config = common.configuration()
            let console = try await common.console(config)
            let actor = Actor.console("admin create")
            let policy = try await console.settings.passwordPolicy(fallback: config.passwordPolicy)
            do {
                let created = try await console.accounts.create(
                    username: username, displayName: name, organisationID: nil, policy: policy, actor: actor)
                _ = try await console.accounts.grant(role: role, to: created.user.id, organisationID: nil, scope: nil, actor: actor)
                print("已创建\(role.displayName)账户：\(created.user.username)")
                print("一次性密码：\(created.oneTimePassword)")
                print("该密码 \(policy.initialPasswordValidHours) 小时内有效，首次登录时必须修改。")
            } catch let failure as ValidationFailure {
                throw ValidationError(failure.fullMessage)
            }
            await console.database.shutdown()
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "重置密码并打印新的一次性密码")
        @OptionGroup var common: CommonOptions
        @Option(help: "登录名") var username: String

        func run() async throws {
            let config = common.configuration()
            let console = try await common.console(config)
            let user = try await console.user(named: username)
            let policy = try await console.settings.passwordPolicy(fallback: config.passwordPolicy)
            let oneTime = try await console.accounts.resetPassword(userID: user.id, policy: policy, actor: .console("admin reset-password"))
            print("已重置 \(user.username) 的密码，一次性密码：\(oneTime)（首次登录时必须修改）")
            await console.database.shutdown()
        }
    }

    /// The last 安全管理员 lost their phone, or no one else may (issue 15, H6): at the console, with a reason.
    struct ResetSecondFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-second-factor", abstract: "停用账户的动态口令（下次登录时重新绑定）")
        @OptionGroup var common: CommonOptions
        @Option(help: "登录名") var username: String
        @Option(help: "原因（记入审计日志）") var reason: String

        func run() async throws {
            let config = common.configuration()
            let console = try await common.console(config)
            let user = try await console.user(named: username)
            try await console.secondFactors.reset(userID: user.id, reason: String(reason.prefix(200)), actor: .console("admin reset-second-factor"))
            try await console.sessions.endAll(userID: user.id)
            print("已停用 \(user.username) 的动态口令并退出其全部登录；下次登录时需重新绑定。")
            await console.database.shutdown()
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "解除账户的登录锁定")
        @OptionGroup var common: CommonOptions
        @Option(help: "登录名") var username: String

        func run() async throws {
            let console = try await common.console(common.configuration())
            let user = try await console.user(named: username)
            try await console.accounts.unlock(userID: user.id, actor: .console("admin unlock"))
            print("已解除 \(user.username) 的锁定。")
            await console.database.shutdown()
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "在线备份（SQLite: VACUUM INTO；PostgreSQL: pg_dump），并校验备份")
    @OptionGroup var common: CommonOptions
    @Option(help: "备份文件路径（默认 backups/dangjian-时间.sqlite 或 .dump）") var output: String?

    func run() async throws {
        let config = common.configuration()
        try common.requireExistingDatabase(config)
        let (database, keyring) = try await common.open(config)
        let stamp = Date().utcTimestamp.replacingOccurrences(of: ":", with: "")
        let path = output ?? "backups/dangjian-\(stamp).\(database.dialect == .sqlite ? "sqlite" : "dump")"
        let store = StoreServices(database: database, clock: SystemClock(), keyring: keyring)
        let report = try await store.backup.backup(to: path)
        try await store.audit.record(
            AuditEvent(
                action: .backup, objectType: "database", objectID: "-",
                summary: "备份到 \(report.path)，\(report.bytes) 字节，SHA-256 \(report.sha256)"), by: .console("backup"), database: database)
        print("备份完成：\(report.path)")
        print("大小 \(report.bytes) 字节，SHA-256 \(report.sha256)")
        for (table, count) in report.tableCounts.sorted(by: { $0.key < $1.key }) { print("  \(table): \(count)") }
        await database.shutdown()
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "从备份恢复（SQLite 需先停止服务）")
    @OptionGroup var common: CommonOptions
    @Option(help: "备份文件路径") var input: String
    @Flag(help: "确认覆盖当前数据") var yes = false

    func run() async throws {
        guard yes else { throw ValidationError("恢复会覆盖当前全部数据。确认无误后加上 --yes 再执行。") }
        let config = common.configuration()
        let report = try await BackupService.restore(from: input, into: config.database)
        // A restore takes the audit log back to the backup: the anchors written since would report its later
        // records as deleted. They are kept aside, named with the time, and a new anchor file starts (issue 15, M5).
        let anchorPath = config.auditAnchorFile
        var keptAnchors: String?
        if FileManager.default.fileExists(atPath: anchorPath) {
            let aside = anchorPath + ".before-restore-" + Date().utcTimestamp.replacingOccurrences(of: ":", with: "")
            try FileManager.default.moveItem(atPath: anchorPath, toPath: aside)
            keptAnchors = aside
        }
        let (database, keyring) = try await common.open(config)
        let audit = AuditTrail(keyring: keyring, clock: SystemClock())
        try await audit.record(
            AuditEvent(
                action: .restore, objectType: "database", objectID: "-",
                summary: "从 \(report.path) 恢复，SHA-256 \(report.sha256)" + (keptAnchors.map { "；恢复前的审计锚点另存为 \($0)" } ?? "")),
            by: .console("restore"), database: database)
        try AuditAnchorFile(path: anchorPath).append(head: try await audit.head(database: database))
        print("恢复完成：\(report.path)")
        if let keptAnchors { print("恢复前的审计锚点已另存为 \(keptAnchors)，新的锚点文件从本次恢复开始。") }
        for (table, count) in report.tableCounts.sorted(by: { $0.key < $1.key }) { print("  \(table): \(count)") }
        await database.shutdown()
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "生成演示县的组织树和各角色账户（不启动服务）；--tier 生成县/市/省规模的合成数据")
    @OptionGroup var common: CommonOptions
    @Option(help: "再生成一套规模数据：county（约 500 个组织、1.5 万党员）、city（5000、30 万）、province（10 万、300 万）")
    var tier: String?
    @Option(help: "随机种子：同一种子生成同样的数据") var seed: UInt64 = 1
    @Flag(help: "在已生成的规模数据上再生成一轮考评（500 个单位 × 30 项指标 × 5 名评审员，全部提交），供性能测试") var assessmentScale = false

    func run() async throws {
        var config = common.configuration()
        if common.databaseURL == nil && ProcessInfo.processInfo.environment["DANGJIAN_DATABASE_URL"] == nil {
            config.database = .sqlite(path: "data/demo.sqlite")
        }
        let (database, keyring) = try await common.open(config)
        var accounts = try await Self.seed(database: database, keyring: keyring, config: config)
        if let tierName = tier {
            guard let tier = DemoTier(rawValue: tierName) else { throw ValidationError("--tier 只能是 county、city 或 province") }
            let generator = TierGenerator(store: Self.store(database: database, keyring: keyring, config: config))
            let started = Date()
            let result = try await generator.generate(tier, seed: seed, rootName: "规模测试\(tier.rawValue)\(seed)") { count in
                if count % 50_000 == 0 { FileHandle.standardError.write(Data("已生成党员 \(count) 人\n".utf8)) }
            }
            Swift.print(
                "已生成 \(tier.rawValue) 规模数据：组织 \(result.organisations) 个，党员 \(result.members) 人，用时 \(Int(Date().timeIntervalSince(started))) 秒")
            // An organisation administrator of the generated tree, so the scale data can be browsed (and benchmarked).
            accounts.append(
                try await Self.county(database: database, keyring: keyring, config: config)
                    .account(username: "scale_\(tier.rawValue)_\(seed)", displayName: "规模数据管理员", role: .orgAdmin, organisation: result.root))
        }
        if assessmentScale {
            let started = Date()
            guard
                let (roundID, assessors) = try await Self.county(database: database, keyring: keyring, config: config).seedAssessmentScale()
            else { throw ValidationError("没有规模数据：请先用 --tier 生成") }
            Swift.print("已生成规模考评：轮次 \(roundID)，用时 \(Int(Date().timeIntervalSince(started))) 秒")
            accounts += assessors
        }
        Self.print(
            try await Self.enrolSecondFactors(accounts, database: database, keyring: keyring), url: "http://\(config.hostname):\(config.port)/")
        await database.shutdown()
    }

    static func seed(database: Database, keyring: Keyring, config: AppConfiguration) async throws -> [DemoCounty.Account] {
        try await county(database: database, keyring: keyring, config: config).seed(parts: DangjianApp.demoParts)
    }

    /// The demo's administrators get a fresh second factor at every start, like their passwords (issue 15, H6):
    /// the secret is printed for the operator to add to an authenticator app (or to compute codes in tests).
    static func enrolSecondFactors(_ accounts: [DemoCounty.Account], database: Database, keyring: Keyring) async throws -> [DemoCounty.Account] {
        let clock = SystemClock()
        let store = StoreServices(database: database, clock: clock, keyring: keyring, bcryptCost: 4)
        let repository = store.secondFactors, users = store.accounts
        var result = accounts
        for index in result.indices where result[index].role.requiresSecondFactor {
            guard let user = try await users.find(username: result[index].username) else { continue }
            try await repository.reset(userID: user.id, reason: "演示数据重新生成", actor: .console("demo"))
            let secret = try await repository.pendingSecret(userID: user.id)
            // The previous step (within the accepted drift): the current one stays free for the first sign-in.
            let code = OneTimePassword.code(secret: Base32.decode(secret) ?? [], step: OneTimePassword.step(at: clock.now()) - 1)
            _ = try await repository.confirm(userID: user.id, code: code, actor: .console("demo"))
            result[index].secondFactorSecret = secret
        }
        return result
    }

    static func county(database: Database, keyring: Keyring, config: AppConfiguration) -> DemoCounty {
        DemoCounty(store: store(database: database, keyring: keyring, config: config))
    }

    /// The Store's graph for demo data: passwords hashed at most at cost 10 (the demo's accounts are throw-away).
    static func store(database: Database, keyring: Keyring, config: AppConfiguration) -> StoreServices {
        StoreServices(database: database, clock: SystemClock(), keyring: keyring, bcryptCost: min(config.bcryptCost, 10))
    }

    static func print(_ accounts: [DemoCounty.Account], url: String) {
        var text = """

            ==== 党建工作平台 演示数据 ====
            浏览器打开 \(url) ，用下列任一账户登录（密码每次启动重新生成，仅用于演示）：

            """
        for a in accounts {
            text += "  \(a.role.displayName)\t\(a.username)\t\(a.password)\t\(a.organisation ?? "全系统")"
            if let secret = a.secondFactorSecret { text += "\t动态口令密钥 \(secret)" }
            text += "\n"
        }
        if accounts.contains(where: { $0.secondFactorSecret != nil }) {
            text += "\n管理员账户须使用动态口令（等保 8.1.4.1）：把“动态口令密钥”添加到手机验证器（TOTP，30 秒，6 位），登录时输入验证器显示的数字。\n"
        }
        // Written unbuffered so it shows before the server's own log lines, even when piped.
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "审计日志工具", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "校验审计日志的哈希链，报告第一条被篡改的记录")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let config = common.configuration()
            // Checking a file that is not there must not create an empty database (or a new key) and call it intact
            // (issue 15, L14).
            try common.requireExistingDatabase(config)
            if config.secretKey == nil, !FileManager.default.fileExists(atPath: config.secretKeyFile) {
                Swift.print("找不到密钥文件 \(config.secretKeyFile)，无法校验哈希链。请设置 DANGJIAN_SECRET_KEY 或 DANGJIAN_SECRET_KEY_FILE。")
                throw ExitCode(2)
            }
            let (database, keyring) = try await common.open(config, migrate: false)
            let anchors = AuditAnchorFile(path: config.auditAnchorFile)
            let result = try await AuditTrail(keyring: keyring, clock: SystemClock()).verify(database: database, anchors: anchors)
            await database.shutdown()
            if let bad = result.firstBadID {
                Swift.print("审计日志校验失败：第一条异常记录编号 \(bad)（\(result.reason ?? "")）。此前 \(result.checked) 条完好。")
                throw ExitCode(2)
            }
            let count = (try? anchors.read().anchors.count) ?? 0
            Swift.print("审计日志完好：共 \(result.checked) 条记录，哈希链一致；与锚点文件 \(config.auditAnchorFile) 的 \(count) 个锚点相符。")
        }
    }
}
