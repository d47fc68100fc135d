using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseFileBackupsTests
{
    private const string App = """
        app: shop
        services:
          web:
            image: 127.0.0.1:5000/shop/web:1.0
            health:
              type: tcp
              port: 8080
        backups:
          db:

        """;

    private static ReleaseDefinition Parse(string backup) => ReleaseFile.Parse(App + Indent(backup));

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l));

    private static IReadOnlyList<ValidationError> Errors(string backup) =>
        Assert.Throws<ReleaseValidationException>(() => Parse(backup)).Errors;

    [Fact]
    public void Parse_MinimalBackup_DefaultsApplied()
    {
        var backup = Parse("""
            database: shop
            store: file:///var/backups/shop
            encryption_key_file: /etc/fleet/secrets/key
            """).Backups!.Single();

        Assert.Equal(("db", "postgres", 5432, "postgres", "0 0 3 * * ?"), (backup.Name, backup.Kind, backup.Port, backup.User, backup.Schedule));
        Assert.Equal(new BackupRetentionSpec { Daily = 7, Weekly = 4, Monthly = 12 }, backup.Retention);
        Assert.Equal("file:///var/backups/shop", backup.Store.Url);
        Assert.Null(backup.Host);
        Assert.False(backup.PreDeploy);
    }

    [Fact]
    public void Parse_EveryField_Read()
    {
        var backup = Parse("""
            kind: postgres
            container: shop-db
            port: 5433
            database: shop
            user: backup
            password_env: SHOP_DB_PASSWORD
            schedule: "0 30 2 * * ?"
            jitter: 15m
            retention: { daily: 3, weekly: 2, monthly: 1 }
            store:
              url: s3://bucket/prefix
              endpoint: https://storage.googleapis.com
              region: auto
              access_key_id_file: /etc/fleet/secrets/id
              secret_access_key_file: /etc/fleet/secrets/secret
            encryption_key_file: /etc/fleet/secrets/key
            verify_schedule: "0 0 5 ? * SUN"
            pre_deploy: true
            optional: true
            """).Backups!.Single();

        Assert.Equal(("shop-db", 5433, "backup", "SHOP_DB_PASSWORD"), (backup.Container, backup.Port, backup.User, backup.PasswordEnv));
        Assert.Equal(TimeSpan.FromMinutes(15), backup.Jitter);
        Assert.Equal(new BackupRetentionSpec { Daily = 3, Weekly = 2, Monthly = 1 }, backup.Retention);
        Assert.Equal("https://storage.googleapis.com", backup.Store.Endpoint);
        Assert.Equal("/etc/fleet/secrets/secret", backup.Store.SecretAccessKeyFile);
        Assert.Equal("0 0 5 ? * SUN", backup.VerifySchedule);
        Assert.True(backup.PreDeploy && backup.Optional);
    }

    [Fact]
    public void Parse_PasswordInTheFile_RefusedNamingTheField()
    {
        var errors = Errors("""
            database: shop
            password: hunter2
            store: file:///var/backups
            encryption_key_file: /etc/key
            """);

        var error = Assert.Single(errors);
        Assert.Equal("backups.db.password", error.Path);
        Assert.Contains("never holds secrets", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyMistakes_EachReportedWithItsPath()
    {
        var errors = Errors("""
            kind: mysql
            host: 127.0.0.1
            container: shop-db
            port: 70000
            password_file: secrets/pw
            password_env: SHOP_PW
            schedule: every night
            verify_schedule: "0 0 5 ? * SUN * extra"
            jitter: 7h
            retention: { daily: 1001 }
            store: ftp://example/x
            optional: true
            """);

        Assert.Equal(
            [
                "backups.db.container", "backups.db.database", "backups.db.encryption_key_file", "backups.db.jitter",
                "backups.db.kind", "backups.db.optional", "backups.db.password_env", "backups.db.password_file", "backups.db.port",
                "backups.db.retention.daily", "backups.db.schedule", "backups.db.store", "backups.db.verify_schedule",
            ],
            errors.Select(e => e.Path).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_StoreMissingAndUnknownField_Refused()
    {
        var errors = Errors("""
            database: shop
            encryption_key_file: /etc/key
            sechdule: "0 0 3 * * ?"
            """);

        Assert.Contains(errors, e => e.Path == "backups.db.store" && e.Message.Contains("is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "backups.db.sechdule" && e.Message.Contains("unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_HalfOfTheS3Credentials_Refused()
    {
        var errors = Errors("""
            database: shop
            store: { url: s3://bucket/p, access_key_id_file: /etc/id }
            encryption_key_file: /etc/key
            """);

        Assert.Equal("backups.db.store.secret_access_key_file", Assert.Single(errors).Path);
    }

    [Fact]
    public void Parse_GcsStoreWithServiceAccountKeyFile_Accepted()
    {
        var backup = Parse("""
            database: shop
            store: { url: gs://shop-backups/daily, service_account_key_file: /etc/fleet/secrets/gcs.json }
            encryption_key_file: /etc/key
            """).Backups!.Single();

        Assert.Equal(("gs://shop-backups/daily", "/etc/fleet/secrets/gcs.json", false), (backup.Store.Url, backup.Store.ServiceAccountKeyFile, backup.Store.Anonymous));
    }

    [Theory]
    [InlineData("{ url: s3://bucket/p, service_account_key_file: /etc/gcs.json }", "backups.db.store.service_account_key_file")]
    [InlineData("{ url: gs://bucket/p, service_account_key_file: gcs.json }", "backups.db.store.service_account_key_file")]
    [InlineData("{ url: s3://bucket/p, anonymous: true }", "backups.db.store.anonymous")]
    [InlineData("{ url: gs://bucket/p, anonymous: true, service_account_key_file: /etc/gcs.json }", "backups.db.store.anonymous")]
    [InlineData("gs:///no-bucket", "backups.db.store")]
    public void Parse_MisplacedGcsSettings_RefusedNamingTheField(string store, string path)
    {
        var errors = Errors($"""
            database: shop
            store: {store}
            encryption_key_file: /etc/key
            """);

        Assert.Equal(path, Assert.Single(errors).Path);
    }

    [Fact]
    public void Parse_VerifyQueryAndVerifyOn_Accepted()
    {
        var backup = Parse("""
            database: shop
            store: file:///var/backups
            encryption_key_file: /etc/key
            verify_query: SELECT 1 FROM orders LIMIT 1
            verify_on: { host: scratch-db.internal, port: 5433, user: verifier, password_file: /etc/fleet/verify-pw }
            """).Backups!.Single();

        Assert.Equal("SELECT 1 FROM orders LIMIT 1", backup.VerifyQuery);
        Assert.Equal(new BackupServerSpec { Host = "scratch-db.internal", Port = 5433, User = "verifier", PasswordFile = "/etc/fleet/verify-pw" }, backup.VerifyOn);
    }

    [Theory]
    [InlineData("verify_on: { port: 5433 }", "backups.db.verify_on.host")]
    [InlineData("verify_on: { host: db, port: 70000 }", "backups.db.verify_on.port")]
    [InlineData("verify_on: { host: db, password_file: pw }", "backups.db.verify_on.password_file")]
    [InlineData("verify_on: { host: db, password: hunter2 }", "backups.db.verify_on.password")]
    [InlineData("verify_query: ' '", "backups.db.verify_query")]
    public void Parse_BadVerifySettings_RefusedNamingTheField(string line, string path)
    {
        var errors = Errors($"""
            database: shop
            store: file:///var/backups
            encryption_key_file: /etc/key
            {line}
            """);

        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Manifest_WithBackups_RoundTripsThroughCanonicalJson()
    {
        var release = Parse("""
            database: shop
            store: file:///var/backups
            encryption_key_file: /etc/key
            pre_deploy: true
            """);
        var manifest = ReleaseManifest.Create(release, "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1));

        var parsed = ReleaseManifest.Parse(manifest.ToCanonicalJson());

        Assert.Equal(manifest.Release.Backups!.Single(), parsed.Release.Backups!.Single());
        Assert.Equal(manifest.ToCanonicalJson(), parsed.ToCanonicalJson());
    }

    [Fact]
    public void Manifest_WithoutBackups_HasNoBackupsField()
    {
        var release = ReleaseFile.Parse(App.Replace("backups:\n  db:\n", "", StringComparison.Ordinal));

        var json = System.Text.Encoding.UTF8.GetString(ReleaseManifest.Create(release, "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1)).ToCanonicalJson());

        Assert.DoesNotContain("backups", json, StringComparison.Ordinal);
    }
}
