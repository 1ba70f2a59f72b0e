// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "dangjian",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dangjian", targets: ["dangjian"]),
        .library(name: "DangjianDomain", targets: ["DangjianDomain"]),
        .library(name: "DangjianStore", targets: ["DangjianStore"]),
        .library(name: "DangjianOffice", targets: ["DangjianOffice"]),
        .library(name: "DangjianWeb", targets: ["DangjianWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .target(
            name: "DangjianDomain",
            dependencies: [],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .target(
            name: "DangjianStore",
            dependencies: [
                "DangjianDomain", "DangjianOffice",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DangjianOffice",
            dependencies: [
                "DangjianDomain",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DangjianWeb",
            dependencies: [
                "DangjianDomain", "DangjianStore", "DangjianOffice",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "dangjian",
            dependencies: [
                "DangjianWeb", "DangjianStore", "DangjianDomain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DangjianTestSupport",
            dependencies: [
                "DangjianStore", "DangjianDomain",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Tests/DangjianTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "DangjianDomainTests", dependencies: ["DangjianDomain", "DangjianTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DangjianStoreTests",
            dependencies: ["DangjianStore", "DangjianDomain", "DangjianOffice", "DangjianTestSupport", .product(name: "SQLKit", package: "sql-kit"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DangjianOfficeTests",
            dependencies: ["DangjianOffice", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DangjianWebTests",
            dependencies: [
                "DangjianWeb", "DangjianStore", "DangjianDomain", "DangjianOffice", "DangjianTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            exclude: ["Authorization/Matrix", "Authorization/Routes"],
            swiftSettings: strict
        ),
    ]
)
