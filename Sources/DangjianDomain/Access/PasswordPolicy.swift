import Foundation

/// The password and sign-in policy (口令策略), configurable per deployment (security.md §7 decision 6).
///
/// Two presets ship: `.mlps` follows common 等保 evaluator practice (the default) and `.asvs` follows OWASP ASVS
/// (long passwords, no composition rules, no forced rotation). Every field can be overridden in configuration.
public struct PasswordPolicy: Sendable, Equatable, Codable {
    /// Minimum length in characters.
    public var minLength: Int
    /// Maximum length in characters (bcrypt reads 72 bytes; longer inputs are rejected, not truncated silently).
    public var maxLength: Int
    /// How many of the four character classes (lower, upper, digit, symbol) are required; 0 disables the check.
    public var minCharacterClasses: Int
    /// Days after which a password must be changed; nil disables rotation.
    public var maxAgeDays: Int?
    /// How many previous passwords may not be reused; 0 disables the check.
    public var historyCount: Int
    /// Consecutive failures that lock the account.
    public var lockoutThreshold: Int
    /// Minutes an account stays locked; nil means only an administrator can unlock it.
    public var lockoutMinutes: Int?
    /// Idle minutes before an ordinary session ends.
    public var idleTimeoutMinutes: Int
    /// Idle minutes before an administrator's session ends.
    public var adminIdleTimeoutMinutes: Int
    /// Hours after which any session ends, however active.
    public var absoluteTimeoutHours: Int
    /// Hours a one-time password issued by an administrator stays valid.
    public var initialPasswordValidHours: Int
    /// Whether every account, not only the administrator roles and 组织管理员, must use a second factor (issue 15,
    /// H6). Optional so a policy saved before it existed still reads (absent: no).
    public var secondFactorForEveryone: Bool?

    /// Whether a user holding `roles` must have a second factor: always for the three administrators and
    /// 组织管理员 (等保 8.1.4.1 d), for everyone when the policy says so.
    public func requiresSecondFactor(_ roles: Set<Role>) -> Bool {
        secondFactorForEveryone == true || roles.contains { $0.requiresSecondFactor }
    }

    public init(
        minLength: Int, maxLength: Int = 64, minCharacterClasses: Int, maxAgeDays: Int?, historyCount: Int,
        lockoutThreshold: Int, lockoutMinutes: Int?, idleTimeoutMinutes: Int, adminIdleTimeoutMinutes: Int,
        absoluteTimeoutHours: Int, initialPasswordValidHours: Int = 24
    ) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.minCharacterClasses = minCharacterClasses
        self.maxAgeDays = maxAgeDays
        self.historyCount = historyCount
        self.lockoutThreshold = lockoutThreshold
        self.lockoutMinutes = lockoutMinutes
        self.idleTimeoutMinutes = idleTimeoutMinutes
        self.adminIdleTimeoutMinutes = adminIdleTimeoutMinutes
        self.absoluteTimeoutHours = absoluteTimeoutHours
        self.initialPasswordValidHours = initialPasswordValidHours
    }

    /// 等保 evaluator practice: ≥ 8 characters, 3 of 4 classes, 90-day rotation, history 5, lock after 5 failures
    /// for 30 minutes, 30-minute idle timeout (15 for administrators), 8-hour absolute timeout.
    public static let mlps = PasswordPolicy(
        minLength: 8, minCharacterClasses: 3, maxAgeDays: 90, historyCount: 5,
        lockoutThreshold: 5, lockoutMinutes: 30, idleTimeoutMinutes: 30, adminIdleTimeoutMinutes: 15,
        absoluteTimeoutHours: 8
    )

    /// OWASP ASVS style: ≥ 12 characters, no composition rule, no forced rotation, common-password check.
    public static let asvs = PasswordPolicy(
        minLength: 12, maxLength: 128, minCharacterClasses: 0, maxAgeDays: nil, historyCount: 0,
        lockoutThreshold: 10, lockoutMinutes: 30, idleTimeoutMinutes: 30, adminIdleTimeoutMinutes: 15,
        absoluteTimeoutHours: 8
    )

    /// The policy's own values checked against the ranges 等保 practice allows (issue 15, L2): the first value out of
    /// range, or nil. A lock of 0 minutes would turn lockout off; a rotation of 99,999 days would turn rotation off.
    public var outOfBounds: ValidationFailure? {
        func check(_ value: Int, _ range: ClosedRange<Int>, _ field: String, _ label: String, _ unit: String) -> ValidationFailure? {
            range.contains(value) ? nil : ValidationFailure(field: field, message: "“\(label)”需在 \(range.lowerBound)–\(range.upperBound) \(unit)之间")
        }
        return check(minLength, 8...64, "min_length", "最短长度", "个字符")
            ?? check(minCharacterClasses, 0...4, "min_character_classes", "字符类别数", "类")
            ?? maxAgeDays.flatMap { check($0, 1...365, "max_age_days", "密码有效期", "天") }
            ?? check(historyCount, 0...24, "history_count", "不得重复使用的历史密码数", "个")
            ?? check(lockoutThreshold, 3...10, "lockout_threshold", "锁定阈值", "次")
            ?? lockoutMinutes.flatMap { check($0, 10...1_440, "lockout_minutes", "锁定时长", "分钟") }
            ?? check(idleTimeoutMinutes, 5...60, "idle_timeout_minutes", "空闲超时", "分钟")
            ?? check(adminIdleTimeoutMinutes, 5...60, "admin_idle_timeout_minutes", "管理员空闲超时", "分钟")
            ?? check(absoluteTimeoutHours, 1...24, "absolute_timeout_hours", "会话最长时间", "小时")
    }

    /// Checks a proposed password and returns every problem, in Chinese, empty when acceptable.
    ///
    /// - Parameters:
    ///   - password: the proposed password.
    ///   - username: the account's login name; the password may not contain it or its reverse.
    ///   - personalDigits: digit strings tied to the person (ID number, phone) that must not appear in the password.
    public func problems(password: String, username: String, personalDigits: [String] = [], personalNames: [String] = []) -> [String] {
        var problems: [String] = []
        if password.count < minLength { problems.append("密码至少需要 \(minLength) 个字符") }
        if password.count > maxLength { problems.append("密码不能超过 \(maxLength) 个字符") }
        if password.utf8.count > 72 { problems.append("密码过长（超过 72 字节），请缩短") }
        if minCharacterClasses > 0 {
            var classes = 0
            if password.contains(where: { $0.isLowercase && $0.isASCII }) { classes += 1 }
            if password.contains(where: { $0.isUppercase && $0.isASCII }) { classes += 1 }
            if password.contains(where: { $0.isASCII && $0.isNumber }) { classes += 1 }
            if password.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) { classes += 1 }
            if classes < minCharacterClasses {
                problems.append("密码需包含大写字母、小写字母、数字、符号中的至少 \(minCharacterClasses) 类")
            }
        }
        let lower = password.lowercased()
        let name = username.lowercased()
        if name.count >= 3, lower.contains(name) || lower.contains(String(name.reversed())) {
            problems.append("密码不能包含用户名或其倒序")
        }
        for digits in personalDigits where digits.count >= 6 {
            // Any 6-digit run of the ID number or phone counts as personal data in the password.
            let chars = Array(digits)
            for start in 0...(chars.count - 6) where password.contains(String(chars[start..<start + 6])) {
                problems.append("密码不能包含身份证号或手机号等个人信息")
                break
            }
        }
        // The person's own name (显示名, e.g. 张三 or its pinyin) anywhere in the password (issue 15, M7).
        for name in personalNames.map({ $0.trimmed.lowercased() }) where name.count >= 2 && lower.contains(name) {
            problems.append("密码不能包含本人姓名")
            break
        }
        if CommonPasswords.contains(lower) { problems.append("该密码过于常见或是“常用词+数字/符号”的组合，容易被猜中，请换一个") }
        return Array(uniqued(problems))
    }
}

/// Removes duplicates while keeping order.
private func uniqued(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}

/// Passwords an attacker tries first (ASVS 2.1.7, issue 15 M7): the 30,000 most common breached passwords bundled
/// with the project (`Resources/common-passwords.txt`, from zxcvbn), and the patterns offices in China use — a common
/// word, a pinyin surname or greeting, or the product's and organisations' names, followed only by digits and
/// symbols (`Dangjian@2026`, `Admin@2026`, `Password123!`, `wang19800501`, `woaini1314`).
public enum CommonPasswords {
    /// The bundled list, read once.
    static let list: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return fallback }
        var set = fallback
        for line in text.split(separator: "\n") where !line.hasPrefix("#") { set.insert(String(line)) }
        return set
    }()

    /// Kept in code too, so a build without the resource still refuses the worst.
    static let fallback: Set<String> = [
        "12345678", "123456789", "1234567890", "password", "password1", "password123", "qwerty123", "11111111",
        "88888888", "66666666", "a1234567", "abc12345", "abcd1234", "aa123456", "1qaz2wsx", "1qaz@wsx", "qwe123!@#",
        "5201314520", "1q2w3e4r", "zaq12wsx", "!qaz2wsx",
    ]

    /// Words that, followed by nothing but digits and symbols, make a guessable password: the product and the
    /// offices using it, roles, places, greetings, and the hundred commonest surnames in pinyin.
    static let guessableWords: Set<String> = [
        "dangjian", "djpt", "dangjianpingtai", "dangyuan", "dangwei", "dangzhibu", "zhibu", "dangzongzhi", "zuzhibu",
        "jiguan", "gongwei", "jiguangongwei", "zhengfu", "gongchandang", "zhonggong", "dang", "party", "china", "zhongguo",
        "beijing", "shanghai", "admin", "administrator", "root", "test", "user", "guest", "system", "sysadmin", "secadmin",
        "auditor", "manager", "welcome", "woaini", "aini", "nihao", "wanan", "laopo", "laogong", "baobei", "qwerty",
        "qwe", "asd", "zxc", "abc", "abcd", "abcde", "aaa", "pass", "passwd", "password", "passw0rd", "p@ssw0rd",
        "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo",
        "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng",
        "zeng", "xiao", "tian", "dong", "yuan", "pan", "yu", "jiang", "cai", "jia", "ding", "wei", "xue", "ye", "yan",
        "du", "cheng", "lu", "su", "lv", "shi", "fan", "fu", "qian", "kong", "mao", "qiu", "qin", "jin", "dai", "tan",
        "meng", "bai", "cui", "kang", "mo", "xiong", "zou", "hou", "shao", "long", "wan", "duan", "lei", "qian", "tao",
    ]

    /// How many passwords the bundled list holds.
    public static var count: Int { list.count }

    /// Whether `lowercasedPassword` is on the list or is a guessable word followed only by digits and symbols.
    public static func contains(_ lowercasedPassword: String) -> Bool {
        if list.contains(lowercasedPassword) { return true }
        let scalars = Array(lowercasedPassword.unicodeScalars)
        // The leading letters, with the symbols people put between a word and a year.
        var end = 0
        while end < scalars.count, scalars[end].properties.isAlphabetic, scalars[end].isASCII { end += 1 }
        guard end > 0, end < scalars.count else { return false }
        let rest = scalars[end...]
        guard rest.allSatisfy({ $0.isASCII && !$0.properties.isAlphabetic }) else { return false }
        let word = String(String.UnicodeScalarView(scalars[..<end]))
        if guessableWords.contains(word) { return true }
        // A common password's word part ("monkey" + "2026!") counts too, when it is long enough to be a word.
        return word.count >= 4 && list.contains(word)
    }
}
