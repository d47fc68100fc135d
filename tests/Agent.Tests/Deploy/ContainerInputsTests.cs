using Fleet.Agent.Deploy;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Deploy;

public sealed class ContainerInputsTests : IDisposable
{
    private const string Image = "r/shop@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly TempDir _dir = new();

    [Fact]
    public void Environment_EnvFileThenReleaseEnvThenSecrets_LaterWins()
    {
        File.WriteAllText(_dir.Combine("web.env"), "# comment\n\nMODE=from-file\nEXTRA=a=b\n");
        Directory.CreateDirectory(_dir.Combine("secrets"));
        File.WriteAllText(Path.Combine(_dir.Combine("secrets"), "jwt_key"), "k3y");
        var spec = new ServiceSpec("web", Image, new HealthCheckSpec(HealthCheckKind.Http),
            SecretsDir: _dir.Combine("secrets"), SecretEnv: new Dictionary<string, string> { ["JWT_KEY"] = "jwt_key" }, EnvFile: _dir.Combine("web.env"));

        var env = ContainerInputs.Environment(spec, new Dictionary<string, string> { ["MODE"] = "prod" });

        Assert.Equal(new Dictionary<string, string> { ["MODE"] = "prod", ["EXTRA"] = "a=b", ["JWT_KEY"] = "k3y" }, env);
        Assert.Equal([new MountSpec(MountKind.Bind, _dir.Combine("secrets"), "/run/secrets", ReadOnly: true)], ContainerInputs.SecretMounts(spec));
    }

    [Fact]
    public void Environment_MalformedEnvFileLine_ErrorNamesLineNotContent()
    {
        File.WriteAllText(_dir.Combine("web.env"), "OK=1\nhunter2\n");
        var spec = new ServiceSpec("web", Image, new HealthCheckSpec(HealthCheckKind.Http), EnvFile: _dir.Combine("web.env"));

        var error = Assert.Throws<InvalidOperationException>(() => ContainerInputs.Environment(spec, new Dictionary<string, string>()));

        Assert.Contains("line 2 is not KEY=VALUE", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binds_NoSecrets_None() =>
        Assert.Empty(ContainerInputs.SecretMounts(new ServiceSpec("web", Image, new HealthCheckSpec(HealthCheckKind.Http))));

    public void Dispose() => _dir.Dispose();
}
