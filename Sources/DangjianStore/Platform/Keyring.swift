public import Foundation
import Crypto

/// The server's secret key and the purpose-specific keys derived from it (HKDF-SHA256).
///
/// The master key comes from `DANGJIAN_SECRET_KEY` (base64 of 32 bytes) or from a key file created with mode 0600
/// on first start. Every server of a deployment must share it: it keys the audit hash chain, session-token hashing
/// and (later) field encryption and blind indexes. Keep the cipher behind this type so an SM3/SM4 implementation
/// can replace it (security.md §7 decision 2).
public struct Keyring: Sendable {
    private let master: SymmetricKey
    /// Derived keys, computed once per purpose (HKDF on every seal and blind index cost a 100,000-row import seconds).
    private let derivedKeys = DerivedKeyCache()

    /// Wraps raw key bytes (at least 32).
    public init(masterKey: Data) throws {
        guard masterKey.count >= 32 else { throw KeyringError.tooShort }
        master = SymmetricKey(data: masterKey)
    }

    /// Loads the base64 key, or reads/creates the key file.
    public static func load(base64: String?, keyFile: String) throws -> Keyring {
        if let base64, !base64.isEmpty {
            guard let data = Data(base64Encoded: base64) else { throw KeyringError.notBase64 }
            return try Keyring(masterKey: data)
        }
        let url = URL(fileURLWithPath: keyFile)
        if let data = try? Data(contentsOf: url), let decoded = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmed) {
            return try Keyring(masterKey: decoded)
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        FileManager.default.createFile(
            atPath: url.path, contents: Data(fresh.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600])
        return try Keyring(masterKey: fresh)
    }

    /// A new random key, for tests (a fresh 32-byte key is always accepted).
    public static func random() -> Keyring {
        try! Keyring(masterKey: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })  // invariant: 32 bytes always accepted
    }

    func derived(_ purpose: String) -> SymmetricKey {
        derivedKeys.key(purpose) {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: Data("dangjian".utf8), info: Data(purpose.utf8), outputByteCount: 32)
        }
    }

    /// Encrypts a sensitive field (身份证号, 手机号, 住址) with AES-256-GCM under the field key. `context` (the
    /// column, e.g. `member.id_number`) is authenticated, so a value copied into another column does not decrypt.
    /// The result is `v1:` + base64(nonce ‖ ciphertext ‖ tag).
    public func seal(_ plaintext: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: derived("field-encryption-v1"), authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw KeyringError.integrity }
        return "v1:" + combined.base64EncodedString()
    }

    /// Decrypts `seal`'s output; throws `KeyringError.integrity` when the value was altered or sealed elsewhere.
    public func open(_ sealed: String, context: String) throws -> String {
        guard sealed.hasPrefix("v1:"), let data = Data(base64Encoded: String(sealed.dropFirst(3))) else {
            throw KeyringError.integrity
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: derived("field-encryption-v1"), authenticating: Data(context.utf8))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw KeyringError.integrity
        }
    }

    /// A keyed blind index for exact lookup of an encrypted value (e.g. find a member by ID number) without
    /// storing the value: HMAC-SHA256 under a key of its own for `context`.
    public func blindIndex(_ normalised: String, context: String) -> String {
        mac(normalised, purpose: "blind-index-v1:" + context)
    }

    /// HMAC-SHA256 of `text` under the key for `purpose`, lower-case hex.
    public func mac(_ text: String, purpose: String) -> String {
        // A copy of the keyed HMAC state: keying (the inner and outer pads) is done once per purpose, not per value.
        var hmac = derivedKeys.hmac(purpose) { HMAC<SHA256>(key: derived(purpose)) }
        var text = text
        text.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        return Data(hmac.finalize()).hexString
    }
}

/// Problems with the configured secret key.
public enum KeyringError: Error, CustomStringConvertible {
    case tooShort
    case notBase64
    case integrity

    public var description: String {
        switch self {
        case .tooShort: "DANGJIAN_SECRET_KEY 至少需要 32 字节（base64 编码）"
        case .notBase64: "DANGJIAN_SECRET_KEY 不是有效的 base64"
        case .integrity: "加密字段校验失败：数据被改动，或密钥与加密时不同"
        }
    }
}

/// Random tokens for sessions, CSRF and API access (system CSPRNG via swift-crypto).
public enum RandomToken {
    /// `bytes` random bytes as URL-safe base64 without padding.
    public static func make(bytes: Int = 32) -> String {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: bytes * 8))
        return key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of a token, lower-case hex: what the database stores instead of the token itself.
    public static func hash(_ token: String) -> String {
        Data(SHA256.hash(data: Data(token.utf8))).hexString
    }
}

extension Data {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Purpose → derived key, filled on first use.
final class DerivedKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String: SymmetricKey] = [:]

    private var hmacs: [String: HMAC<SHA256>] = [:]

    func key(_ purpose: String, derive: () -> SymmetricKey) -> SymmetricKey {
        if let key = lock.withLock({ keys[purpose] }) { return key }
        let key = derive()
        lock.withLock { keys[purpose] = key }
        return key
    }

    /// The HMAC state keyed for `purpose`, before any data (copied by each use).
    func hmac(_ purpose: String, make: () -> HMAC<SHA256>) -> HMAC<SHA256> {
        if let hmac = lock.withLock({ hmacs[purpose] }) { return hmac }
        let hmac = make()
        lock.withLock { hmacs[purpose] = hmac }
        return hmac
    }
}
