using System.Net;
using Fleet.Agent.Hosting;
using Fleet.Agent.Tests.Identity;

namespace Fleet.Agent.Tests.Hosting;

public sealed class AgentCommandLineTests
{
    private static readonly string PinA = "sha256:" + new string('a', 64);
    private static readonly string PinB = "sha256:" + new string('B', 64);

    [Fact]
    public void ParseEnroll_AllOptions_BuildsRequestWithLabelsAndTwoPins()
    {
        var (request, errors) = CommandLine().ParseEnroll(
        [
            "--controller", "https://127.0.0.1:7443", "--token", EnrollerTests.Token,
            "--ca-pin", PinA, "--ca-pin", PinB, "--name", "web-1",
            "--label", "env=staging", "--label", "role=web", "--state-dir", "/srv/agent", "--force",
        ]);

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal(new Uri("https://127.0.0.1:7443"), request.Controller);
        Assert.Equal(EnrollerTests.Token, request.JoinToken);
        Assert.Equal([PinA, PinB.ToLowerInvariant()], request.CaPins);
        Assert.Equal("web-1", request.Name);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "staging", ["role"] = "web" }, request.Labels);
        Assert.Equal("/srv/agent", request.StateDir);
        Assert.True(request.Force);
    }

    [Fact]
    public void ParseEnroll_NoStateDir_UsesEnvironmentThenDefault()
    {
        var fromEnvironment = CommandLine(new() { ["FLEET_AGENT_STATE_DIR"] = "/tmp/agent-state" }).ParseEnroll(Minimal()).Request;
        var fromDefault = CommandLine().ParseEnroll(Minimal()).Request;

        Assert.Equal("/tmp/agent-state", fromEnvironment?.StateDir);
        Assert.Equal(AgentCommandLine.DefaultStateDir, fromDefault?.StateDir);
        Assert.Empty(fromDefault!.Labels);
        Assert.False(fromDefault.Force);
    }

    [Theory]
    [InlineData("sha256:1234")]
    [InlineData("md5:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("sha256:zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void ParseEnroll_BadPin_Refused(string pin)
    {
        var (request, errors) = CommandLine().ParseEnroll([.. Minimal().Where(a => a != PinA), "--ca-pin", pin]);

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains("--ca-pin", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseEnroll_ThreePins_Refused()
    {
        var pinC = "sha256:" + new string('c', 64);

        var (request, errors) = CommandLine().ParseEnroll([.. Minimal(), "--ca-pin", PinB, "--ca-pin", pinC]);

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains("at most two", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--label", "noequals", "key=value")]
    [InlineData("--label", "Env=x", "label key")]
    [InlineData("--label", "team_a=x", "label key")]
    [InlineData("--name", "Web_1", "agent name")]
    [InlineData("--controller", "http://127.0.0.1:7443", "https://")]
    [InlineData("--token", "fleet_api_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGH", "join token")]
    public void ParseEnroll_BadValue_RefusedWithReason(string option, string value, string expected)
    {
        var args = Minimal().ToList();
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (request, errors) = CommandLine().ParseEnroll(args);

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ParseEnroll_LabelValueWithSpacesAndEquals_Kept()
    {
        var (request, errors) = CommandLine().ParseEnroll([.. Minimal(), "--label", "note=rack 4, a=b"]);

        Assert.Empty(errors);
        Assert.Equal("rack 4, a=b", request?.Labels["note"]);
    }

    [Fact]
    public void ParseEnroll_LabelValueTooLong_Refused()
    {
        var (request, errors) = CommandLine().ParseEnroll([.. Minimal(), "--label", "note=" + new string('x', 257)]);

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains("256", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseEnroll_DuplicateLabelKey_Refused()
    {
        var (request, errors) = CommandLine().ParseEnroll([.. Minimal(), "--label", "env=a", "--label", "env=b"]);

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains("given twice", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseEnroll_BadToken_DoesNotEchoIt()
    {
        const string secretLike = "not-a-token-but-maybe-a-password";
        var args = Minimal().ToList();
        args[args.IndexOf("--token") + 1] = secretLike;

        var (_, errors) = CommandLine().ParseEnroll(args);

        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, e => e.Contains(secretLike, StringComparison.Ordinal));
    }

    [Fact]
    public void ParseEnroll_MissingName_Refused()
    {
        var (request, errors) = CommandLine().ParseEnroll([.. Minimal().TakeWhile(a => a != "--name")]);

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains("--name", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseRun_MetricsOff_HasNoEndpoint()
    {
        var (options, errors) = CommandLine().ParseRun(["--state-dir", "/tmp/s", "--metrics-listen", "off"]);

        Assert.Empty(errors);
        Assert.Equal(new AgentRunOptions("/tmp/s", null), options);
    }

    [Fact]
    public void ParseRun_Defaults_ListenOnLoopback9471()
    {
        var (options, _) = CommandLine().ParseRun([]);

        Assert.Equal(IPEndPoint.Parse("127.0.0.1:9471"), options?.MetricsListen);
        Assert.Equal(AgentCommandLine.DefaultStateDir, options?.StateDir);
    }

    [Fact]
    public void ParseRun_BadMetricsAddress_Refused()
    {
        var (options, errors) = CommandLine().ParseRun(["--metrics-listen", "localhost"]);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains("--metrics-listen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvokeAsync_UsageError_ExitsTwoWithMessageOnStderr()
    {
        var stderr = new StringWriter();
        var commandLine = new AgentCommandLine(_ => null) { Out = new StringWriter(), Error = stderr };

        var exit = await commandLine.InvokeAsync(["enroll", "--name", "web-1"], TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("--controller", stderr.ToString(), StringComparison.Ordinal);
    }

    private static AgentCommandLine CommandLine(Dictionary<string, string>? environment = null) =>
        new(name => environment?.GetValueOrDefault(name));

    private static string[] Minimal() =>
    [
        "--controller", "https://127.0.0.1:7443", "--token", EnrollerTests.Token, "--ca-pin", PinA, "--name", "web-1",
    ];
}
