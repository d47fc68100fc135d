using System.Text;
using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseFileSecretsTests
{
    private static readonly string Version = new('a', 64);

    private static string Yaml(string serviceLines) => $"""
        app: shop
        services:
          web:
            image: 127.0.0.1:5000/shop/web@sha256:{new string('0', 64)}
            environment: {"{"} MODE: prod {"}"}
            health: {"{"} type: tcp, port: 8080 {"}"}
        {string.Join('\n', serviceLines.Split('\n').Select(l => "    " + l))}
        """;

    private static IReadOnlyList<ValidationError> Errors(string serviceLines) =>
        Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse(Yaml(serviceLines))).Errors;

    [Fact]
    public void Parse_NamesAndEnvMappingsAndEnvFile_Read()
    {
        var release = ReleaseFile.Parse(Yaml("""
            secrets:
              - db_password
              - { name: jwt_key, env: JWT_KEY }
            env_file: /etc/shop/web.env
            """));

        var web = release.Services.Single();
        Assert.Equal([new SecretUse { Name = "db_password" }, new SecretUse { Name = "jwt_key", Env = "JWT_KEY" }], web.Secrets);
        Assert.Equal("/etc/shop/web.env", web.EnvFile);
        Assert.Null(release.Secrets);
        Assert.Equal(["db_password", "jwt_key"], release.SecretNames());
    }

    [Fact]
    public void Parse_BadNamesEnvAndEnvFile_AllReportedWithPaths()
    {
        var errors = Errors("""
            secrets:
              - ../etc/passwd
              - { name: token, env: MODE }
              - { name: token2, env: 1BAD }
              - { name: token3, mode: x }
            env_file: relative/web.env
            """);

        Assert.Contains(errors, e => e.Path == "services.web.secrets.../etc/passwd");
        Assert.Contains(errors, e => e.Path == "services.web.secrets.token.env" && e.Message.Contains("also set in environment", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "services.web.secrets.token2.env");
        Assert.Contains(errors, e => e.Path.StartsWith("services.web.secrets[3]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "services.web.env_file");
    }

    [Fact]
    public void Parse_SameSecretTwice_Refused() =>
        Assert.Contains(Errors("secrets: [ a, a ]"), e => e.Path == "services.web.secrets.a");

    [Fact]
    public void Create_ManifestUsingSecretsWithoutVersions_Refused()
    {
        var release = ReleaseFile.Parse(Yaml("secrets: [ db_password ]"));

        var error = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Create(release, "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1)));

        Assert.Contains(error.Errors, e => e.Path == "release.secrets" && e.Message.Contains("db_password", StringComparison.Ordinal));
    }

    [Fact]
    public void WithSecretVersions_Pinned_SignedJsonCarriesVersionsAndRoundTrips()
    {
        var release = ReleaseFile.Parse(Yaml("secrets: [ db_password ]"))
            .WithSecretVersions(new Dictionary<string, string> { ["db_password"] = Version, ["unused"] = new string('b', 64) });

        var manifest = ReleaseManifest.Create(release, "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1));
        var json = Encoding.UTF8.GetString(manifest.ToCanonicalJson());
        var parsed = ReleaseManifest.Parse(manifest.ToCanonicalJson());

        Assert.Contains($"\"secrets\":{{\"db_password\":\"{Version}\"}}", json, StringComparison.Ordinal);
        Assert.Equal(Version, parsed.Release.Secrets!["db_password"]);
        Assert.Equal("db_password", parsed.Release.Services.Single().Secrets!.Single().Name);
    }

    [Fact]
    public void Create_PinnedVersionMalformedOrUnused_Refused()
    {
        var release = ReleaseFile.Parse(Yaml("secrets: [ db_password ]")) with
        {
            Secrets = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["db_password"] = "v1", ["other"] = Version },
        };

        var errors = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Create(release, "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1))).Errors;

        Assert.Contains(errors, e => e.Path == "release.secrets.db_password" && e.Message.Contains("64 lowercase hex", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "release.secrets.other" && e.Message.Contains("no service uses", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NoSecrets_CanonicalJsonHasNoSecretFields()
    {
        var manifest = ReleaseManifest.Create(ReleaseFile.Parse(Yaml("")), "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1));

        Assert.DoesNotContain("secret", Encoding.UTF8.GetString(manifest.ToCanonicalJson()), StringComparison.Ordinal);
        Assert.DoesNotContain("env_file", Encoding.UTF8.GetString(manifest.ToCanonicalJson()), StringComparison.Ordinal);
    }
}
