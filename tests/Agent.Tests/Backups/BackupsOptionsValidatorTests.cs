using Fleet.Agent.Backups;

namespace Fleet.Agent.Tests.Backups;

public sealed class BackupsOptionsValidatorTests : IDisposable
{
    private readonly string _keyFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), Guid.NewGuid().ToString("N"));

    public BackupsOptionsValidatorTests() => BackupKey.Generate(_keyFile);

    [Fact]
    public void Validate_CompleteDeclaration_Succeeds()
    {
        var result = new BackupsOptionsValidator().Validate(null, Options(Valid()));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_ManyMistakes_ReportsEveryOne()
    {
        var bad = Valid();
        bad.Name = "../etc";
        bad.Kind = "mysql";
        bad.Database = "";
        bad.Port = 0;
        bad.Schedule = "every day";
        bad.VerifySchedule = "sometimes";
        bad.Jitter = TimeSpan.FromHours(7);
        bad.EncryptionKeyFile = "/nonexistent/fleet-key";
        bad.PasswordFile = "relative/password";
        bad.Store.Url = "ftp://example/backups";
        bad.Retention.Daily = -1;
        bad.Store.ServiceAccountKeyFile = "/nonexistent/gcs.json";
        bad.VerifyQuery = " ";
        bad.VerifyOn = new VerifyServerSettings { Host = "", Port = 70000 };

        var result = new BackupsOptionsValidator().Validate(null, Options(bad, Valid()));

        Assert.False(result.Succeeded);
        var failures = result.Failures!.ToList();
        foreach (var setting in new[] { ":Name", ":Kind", ":Database", ":Port", ":Schedule", ":VerifySchedule", ":Jitter", ":EncryptionKeyFile", ":PasswordFile", ":Store:Url", ":Retention", ":Store:ServiceAccountKeyFile", ":VerifyQuery", ":VerifyOn:Host", ":VerifyOn:Port" })
        {
            Assert.Contains(failures, f => f.Contains("Backups:Declarations:0" + setting, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(failures, f => f.Contains("Declarations:1", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SameAppAndNameTwice_ReportsDuplicate()
    {
        var result = new BackupsOptionsValidator().Validate(null, Options(Valid(), Valid()));

        Assert.Contains(result.Failures!, f => f.Contains("declared twice", StringComparison.Ordinal));
    }

    private BackupDeclaration Valid() => new()
    {
        Name = "db",
        App = "shop",
        Database = "shop",
        EncryptionKeyFile = _keyFile,
        Schedule = "0 30 2 * * ?",
        VerifySchedule = "0 0 5 ? * SUN",
        Jitter = TimeSpan.FromMinutes(10),
        Store = new BackupStoreSettings { Url = "s3://bucket/prefix", Endpoint = "https://storage.googleapis.com" },
    };

    private static BackupsOptions Options(params BackupDeclaration[] declarations) =>
        new() { AgentName = "web-1", StateDirectory = "/var/lib/fleet-agent/backups", Declarations = [.. declarations] };

    public void Dispose() => File.Delete(_keyFile);
}
