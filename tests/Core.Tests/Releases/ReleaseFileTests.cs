using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseFileTests
{
    private const string Minimal = """
        app: shop
        services:
          web:
            image: 127.0.0.1:5000/shop/web:1.0
        """;

    [Fact]
    public void Load_ExampleInRepository_ValidWithEveryFeature()
    {
        var release = ReleaseFile.Load(Path.Combine(RepositoryRoot(), "examples", "fleet.yaml"));

        Assert.Equal("shop", release.App);
        Assert.Equal("web", release.TargetLabels["role"]);
        var web = release.Services.Single(s => s.Name == "web");
        Assert.Equal(new PortMapping { HostIp = "127.0.0.1", HostPort = 8080, ContainerPort = 8080 }, web.Ports[0]);
        Assert.Equal(new VolumeMount { Source = "/etc/shop", Target = "/etc/shop", ReadOnly = true }, web.Volumes[1]);
        Assert.Equal(TimeSpan.FromSeconds(20), web.Health!.StartPeriod);
        Assert.Equal(UpdateOrder.StopFirst, release.Services.Single(s => s.Name == "worker").UpdateOrder);
        Assert.Equal(web.Image, release.Hooks[0].Image);
        Assert.Equal(new StrategySpec { Type = RolloutStrategyType.Canary, Count = 1, AutoPromote = true, MaxParallel = 2 }, release.Strategy);
        Assert.Equal(TimeSpan.FromSeconds(30), release.MinHealthyTime);
        Assert.True(release.Backups!.Single(b => b.Name == "db").PreDeploy);
    }

    [Fact]
    public void Parse_Minimal_DefaultsApplied()
    {
        var release = ReleaseFile.Parse(Minimal + """

                health:
                  type: tcp
                  port: 5432
            hooks:
              pre_deploy:
                - name: seed
                  image: busybox:1.36
                  command: ["true"]
            """);

        var web = release.Services[0];
        Assert.Equal(UpdateOrder.StartFirst, web.UpdateOrder);
        Assert.Equal(new HealthCheckSpec { Type = HealthCheckType.Tcp, Port = 5432 }, web.Health! with { Command = [] });
        Assert.Equal(TimeSpan.FromSeconds(10), web.Health.Interval);
        Assert.Equal(3, web.Health.Retries);
        Assert.Equal(HookRun.Once, release.Hooks[0].Run);
        Assert.Equal(TimeSpan.FromMinutes(5), release.Hooks[0].Timeout);
        Assert.Equal(RolloutStrategyType.All, release.Strategy.Type);
        Assert.Equal(TimeSpan.FromMinutes(5), release.HealthyDeadline);
        Assert.Equal(TimeSpan.FromSeconds(10), release.MinHealthyTime);
    }

    [Fact]
    public void Parse_ManyMistakes_AllReportedAtOnceWithPaths()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse("""
            app: Shop
            services:
              web:
                image: "not a valid image"
                ports: ["99999:80", "eighty"]
                volumes: ["relative/only"]
                helth: {}
                health:
                  type: http
                  interval: 10 seconds
                  retries: many
                update_order: sideways
            hooks:
              pre_deploy:
                - name: migrate
                  service: api
                  command: []
                  run: twice
                  timeout: 0s
            strategy:
              type: rolling
            healthy_deadline: 1h
            min_healthy_time: 2h
            """));

        Assert.Equal(
            [
                "app",
                "hooks.pre_deploy.migrate.command",
                "hooks.pre_deploy.migrate.run",
                "hooks.pre_deploy.migrate.service",
                "hooks.pre_deploy.migrate.timeout",
                "min_healthy_time",
                "services.web.health.interval",
                "services.web.health.path",
                "services.web.health.port",
                "services.web.health.retries",
                "services.web.helth",
                "services.web.image",
                "services.web.ports[0]",
                "services.web.ports[1]",
                "services.web.update_order",
                "services.web.volumes[0]",
                "strategy.max_parallel",
            ],
            ex.Errors.Select(e => e.Path).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "services.web.health.interval" && e.Message.Contains("30s", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_HealthWithoutTypeOrNone_RunningCheckWithItsStartPeriod()
    {
        var release = ReleaseFile.Parse(Minimal + """

                health: {start_period: 20s}
                liveness: {type: http, path: /live, port: 8080}
              worker:
                image: 127.0.0.1:5000/shop/worker:1.0
            """);

        Assert.Equal((HealthCheckType.Running, TimeSpan.FromSeconds(20)), (release.Services[0].Health!.Type, release.Services[0].Health!.StartPeriod));
        Assert.Equal("/live", release.Services[0].Liveness!.Path);
        Assert.Null(release.Services[1].Health);
        Assert.Equal(HealthCheckSpec.DefaultRunningStartPeriod, ReleaseFile.Parse(Minimal + Environment.NewLine + "    health: {}").Services[0].Health!.StartPeriod);
    }

    [Fact]
    public void Parse_MissingRequiredFields_Reported()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse("""
            services:
              web:
                health:
                  path: /health
            """));

        Assert.Equal(["app", "services.web.health", "services.web.image"], ex.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Contains("a running check (no type) probes nothing", ex.Errors.Single(e => e.Path == "services.web.health").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HookWithBothServiceAndImage_Refused()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse(Minimal + """

            hooks:
              pre_deploy:
                - name: migrate
                  service: web
                  image: busybox:1
                  command: ["true"]
            """));

        Assert.Equal("hooks.pre_deploy.migrate", Assert.Single(ex.Errors).Path);
    }

    [Theory]
    [InlineData("strategy: {type: canary}", "strategy.count")]
    [InlineData("strategy: {type: all, max_parallel: 2}", "strategy.max_parallel")]
    [InlineData("strategy: {type: rolling, max_parallel: 0}", "strategy.max_parallel")]
    [InlineData("strategy: {type: rolling, max_parallel: 1, auto_promote: true}", "strategy.auto_promote")]
    [InlineData("strategy: {type: all, max_unavailable: -1}", "strategy.max_unavailable")]
    [InlineData("strategy: {type: all, require_all: true, max_unavailable: 1}", "strategy.max_unavailable")]
    [InlineData("target_labels: {Role: web}", "target_labels.Role")]
    [InlineData("surprise: 1", "surprise")]
    public void Parse_InvalidTopLevelField_ReportedAtItsPath(string line, string path)
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse(Minimal + "\n" + line));

        Assert.Equal(path, Assert.Single(ex.Errors).Path);
    }

    [Theory]
    [InlineData("strategy: {type: rolling, max_parallel: 1, max_unavailable: 2}", false, 2, 2)]
    [InlineData("strategy: {type: all, require_all: true}", true, null, 0)]
    [InlineData("strategy: {type: all}", false, null, null)]
    public void Parse_UnavailableHosts_ReadAndAllowed(string line, bool requireAll, int? maxUnavailable, int? allowed)
    {
        var strategy = ReleaseFile.Parse(Minimal + "\n" + line).Strategy;

        Assert.Equal((requireAll, maxUnavailable, allowed), (strategy.RequireAll, strategy.MaxUnavailable, strategy.AllowedUnavailable));
    }

    [Fact]
    public void Parse_DuplicateServiceNames_InvalidYamlReportedWithLine()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse(Minimal + "\n  web:\n    image: x:1\n"));

        Assert.StartsWith("line ", Assert.Single(ex.Errors).Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- a\n- b\n")]
    [InlineData("")]
    public void Parse_NotOneMapping_ReportedAtRoot(string yaml)
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse(yaml));

        Assert.Equal("$", ex.Errors[0].Path);
    }

    [Fact]
    public void Parse_NoServices_Reported()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse("app: shop\n"));

        Assert.Equal("services", Assert.Single(ex.Errors).Path);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Agents.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Agents.sln not found above " + AppContext.BaseDirectory);
    }
}
