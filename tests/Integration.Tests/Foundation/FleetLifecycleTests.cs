using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Foundation;

public sealed class FleetLifecycleTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task ThreeAgents_AllConnected_OneStoppedIsShownDownAfterGrace()
    {
        var token = await fleet.JoinTokenAsync(uses: 3);
        await using var a = await fleet.StartAgentAsync("trio-a", token);
        await using var b = await fleet.StartAgentAsync("trio-b", token);
        await using var c = await fleet.StartAgentAsync("trio-c", token);
        foreach (var name in (string[])["trio-a", "trio-b", "trio-c"])
        {
            await fleet.WaitForStateAsync(name, "connected");
        }

        await c.StopAsync();

        await fleet.WaitForStateAsync("trio-c", "down", TimeSpan.FromSeconds(20));
        Assert.Equal("connected", (await fleet.AgentAsync("trio-a")).GetProperty("state").GetString());
        var status = await fleet.Admin.JsonAsync("status");
        Assert.True(status.GetProperty("counts").GetProperty("down").GetInt32() >= 1);
    }

    [Fact]
    public async Task Revoke_ConnectedAgent_StreamClosedAndRefusedFromThenOn()
    {
        await using var agent = await fleet.StartAgentAsync("revoked-1");
        await fleet.WaitForStateAsync("revoked-1", "connected");

        await fleet.Admin.OkAsync("agents", "revoke", "revoked-1");

        await fleet.WaitForStateAsync("revoked-1", "revoked");
        using var certificate = agent.LoadCertificate();
        var refusal = await Assert.ThrowsAsync<Grpc.Core.RpcException>(
            () => AgentCalls.RenewAsync(fleet.Endpoint, certificate));
        Assert.Contains(refusal.StatusCode, new[] { Grpc.Core.StatusCode.PermissionDenied, Grpc.Core.StatusCode.Unauthenticated });
        // The agent keeps trying; it must stay refused, never be shown connected again.
        var lastSeen = (await fleet.AgentAsync("revoked-1")).GetProperty("lastSeen").GetString();
        await Task.Delay(TimeSpan.FromSeconds(3), TimeProvider.System, TestContext.Current.CancellationToken); // several heartbeat intervals
        var after = await fleet.AgentAsync("revoked-1");
        Assert.Equal("revoked", after.GetProperty("state").GetString());
        Assert.Equal(lastSeen, after.GetProperty("lastSeen").GetString());
    }
}

public sealed class CertificateRenewalTests(CertificateRenewalTests.ShortLivedCertificates fleet)
    : IClassFixture<CertificateRenewalTests.ShortLivedCertificates>
{
    public sealed class ShortLivedCertificates : FleetFixture
    {
        protected override string[] ControllerArguments => ["--heartbeat-interval", "1s", "--agent-cert-lifetime", "20s"];
    }

    [Fact]
    public async Task Renewal_ShortLifetime_NewCertificateAndKeyWithoutRestart()
    {
        await using var agent = await fleet.StartAgentAsync("renewing-1");
        await fleet.WaitForStateAsync("renewing-1", "connected");
        var firstCertificate = await File.ReadAllTextAsync(agent.CertificatePath, TestContext.Current.CancellationToken);
        var firstKey = await File.ReadAllTextAsync(agent.KeyPath, TestContext.Current.CancellationToken);

        await Eventually.UntilAsync(
            async () => await File.ReadAllTextAsync(agent.CertificatePath) != firstCertificate,
            TimeSpan.FromSeconds(40),
            "the agent to renew its certificate");

        Assert.NotEqual(firstKey, await File.ReadAllTextAsync(agent.KeyPath, TestContext.Current.CancellationToken));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(agent.KeyPath));
        using var renewed = agent.LoadCertificate();
        // Past the first certificate's lifetime the same host is still connected with the new one.
        await Eventually.UntilAsync(
            async () =>
            {
                var shown = await fleet.AgentAsync("renewing-1");
                return shown.GetProperty("state").GetString() == "connected"
                    && DateTimeOffset.Parse(shown.GetProperty("lastSeen").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > renewed.NotBefore.ToUniversalTime().AddSeconds(21);
            },
            TimeSpan.FromSeconds(40),
            "heartbeats after the first certificate expired");
    }
}
