using System.Diagnostics;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Telemetry;

/// <summary>deploy/prometheus/alerts.yml checked and unit-tested by the real promtool.</summary>
public sealed class AlertRulesTests
{
    private static readonly string RulesFolder = Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "prometheus");

    [Fact]
    public async Task AlertRules_PromtoolCheckRules_AreValidWithEveryAlertTheIssueNames()
    {
        var (code, output) = await PromtoolAsync("check", "rules", "alerts.yml");

        Assert.True(code == 0, output);
        var rules = await File.ReadAllTextAsync(Path.Combine(RulesFolder, "alerts.yml"), TestContext.Current.CancellationToken);
        Assert.All(
            ["DeploymentFailed", "HighRollbackRate", "AgentDown", "BackupTooOld", "BackupVerifyFailed", "CertificateExpiringSoon"],
            alert => Assert.Contains($"alert: {alert}\n", rules, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AlertRules_PromtoolTestRules_EveryAlertFiresOnlyOnItsCondition()
    {
        var (code, output) = await PromtoolAsync("test", "rules", "alerts.test.yml");

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(TestEnvironment.Require("FLEET_TEST_PROMTOOL", "promtool (Debian package prometheus)"))
        {
            WorkingDirectory = RulesFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
